/**
 * NIfTI-1 images (.nii and .nii.gz): read with nifti-reader-js (gunzip by fflate), written with
 * a 348-byte header built here. Values are returned as Float32 after scl_slope / scl_inter;
 * the affine (voxel -> RAS mm, 4x4 row-major) comes from the sform when sform_code > 0, else
 * from the qform, else from pixdim alone. The writer stores the affine as the sform
 * (sform_code as given, default 2 = aligned) with qform_code 0, so a read after a write gives
 * the same data, dims, pixdim, affine and datatype.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { join } from "node:path";
 * import { readNifti, writeNifti } from "./nifti.ts";
 * const path = join(await Deno.makeTempDir(), "x.nii.gz");
 * await writeNifti(path, {
 *   data: new Float32Array([0, 1, 2, 3, 4, 5, 6, 7]), dims: [2, 2, 2], pixdim: [1, 1, 3],
 *   affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 3, 0, 0, 0, 0, 1], datatype: "int16",
 * });
 * const image = await readNifti(path);
 * assert.equal(image.data[7], 7);
 * ```
 */
import * as nifti from "nifti-reader-js";
import { gunzipSync, gzipSync } from "fflate";
import { z } from "zod";
import { writeBytesAtomic } from "./atomic.ts";

/** Voxel types the reader and writer handle, with their NIfTI codes and byte sizes. */
export const niftiDatatypes = {
  uint8: { code: 2, bytes: 1 },
  int16: { code: 4, bytes: 2 },
  int32: { code: 8, bytes: 4 },
  float32: { code: 16, bytes: 4 },
  float64: { code: 64, bytes: 8 },
  int8: { code: 256, bytes: 1 },
  uint16: { code: 512, bytes: 2 },
  uint32: { code: 768, bytes: 4 },
} as const;

/** Name of a supported voxel type. */
export type NiftiDatatype = keyof typeof niftiDatatypes;

/** Schema of an image handed to {@link writeNifti}. */
export const NiftiImageSchema = z.object({
  /** Voxel values, x fastest: index = x + nx * (y + ny * z) (NIfTI order). */
  data: z.instanceof(Float32Array),
  /** [nx, ny, nz] or [nx, ny, nz, nt]. */
  dims: z.array(z.number().int().positive()).min(1).max(7),
  /** Voxel size per axis (mm), same length as dims. */
  pixdim: z.array(z.number()),
  /** 4x4 voxel -> world (RAS mm) matrix, row-major, 16 numbers. */
  affine: z.array(z.number()).length(16),
  datatype: z.enum(Object.keys(niftiDatatypes) as [NiftiDatatype, ...NiftiDatatype[]]),
  /** scl_slope / scl_inter to store (values are written as (value - inter) / slope). */
  sclSlope: z.number().optional(),
  sclInter: z.number().optional(),
  /** sform_code to store (default 2). */
  sformCode: z.number().int().min(1).max(4).optional(),
});

/** An image to write. */
export type NiftiImageInput = z.infer<typeof NiftiImageSchema>;

/** An image as read: the written fields plus the parsed header. */
export interface NiftiImage extends NiftiImageInput {
  sclSlope: number;
  sclInter: number;
  /** The header as parsed by nifti-reader-js. */
  header: nifti.NIFTI1;
}

/** Read a .nii or .nii.gz file (gzip detected by its magic bytes). */
export async function readNifti(path: string): Promise<NiftiImage> {
  let bytes = await Deno.readFile(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  if (!nifti.isNIFTI1(buffer)) throw new Error(`${path}: not a NIfTI-1 file (magic n+1 / ni1)`);
  const header = nifti.readHeader(buffer) as nifti.NIFTI1;
  const datatype = (Object.keys(niftiDatatypes) as NiftiDatatype[]).find((name) =>
    niftiDatatypes[name].code === header.datatypeCode
  );
  if (!datatype) {
    throw new Error(`${path}: datatype code ${header.datatypeCode} is not supported`);
  }
  const rank = header.dims[0];
  const dims = header.dims.slice(1, rank + 1);
  const count = dims.reduce((a, b) => a * b, 1);
  const raw = nifti.readImage(header, buffer);
  const values = typedView(datatype, raw.slice(0, count * niftiDatatypes[datatype].bytes));
  // [nt?, nz, ny, nx] in memory: x fastest
  const slope = header.scl_slope === 0 || !Number.isFinite(header.scl_slope) ? 1 : header.scl_slope;
  const inter = Number.isFinite(header.scl_inter) ? header.scl_inter : 0;
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = values[i] * slope + inter;
  return {
    data,
    dims,
    pixdim: header.pixDims.slice(1, rank + 1),
    affine: affineOf(header, new DataView(buffer)),
    datatype,
    sclSlope: slope,
    sclInter: inter,
    sformCode: header.sform_code > 0 ? header.sform_code : undefined,
    header,
  };
}

function affineOf(header: nifti.NIFTI1, view: DataView): number[] {
  const le = header.littleEndian;
  if (header.sform_code > 0) {
    const rows: number[] = [];
    for (let k = 0; k < 12; k++) rows.push(view.getFloat32(280 + 4 * k, le));
    return [...rows, 0, 0, 0, 1];
  }
  if (header.qform_code > 0) return header.affine.flat();
  const [, x, y, z] = header.pixDims;
  return [x, 0, 0, 0, 0, y, 0, 0, 0, 0, z, 0, 0, 0, 0, 1];
}

/** A typed array of `datatype` over `buffer` (little-endian host). */
function typedView(datatype: NiftiDatatype, buffer: ArrayBuffer, offset = 0, length?: number) {
  const args = [buffer, offset, length] as const;
  switch (datatype) {
    case "uint8":
      return new Uint8Array(...args);
    case "int8":
      return new Int8Array(...args);
    case "int16":
      return new Int16Array(...args);
    case "uint16":
      return new Uint16Array(...args);
    case "int32":
      return new Int32Array(...args);
    case "uint32":
      return new Uint32Array(...args);
    case "float32":
      return new Float32Array(...args);
    case "float64":
      return new Float64Array(...args);
  }
}

/** Encode an image as NIfTI-1 bytes (header 348 + 4 extension bytes, then voxels). */
export function encodeNifti(input: NiftiImageInput): Uint8Array {
  const image = NiftiImageSchema.parse(input);
  const count = image.dims.reduce((a, b) => a * b, 1);
  if (image.data.length !== count) {
    throw new Error(`NIfTI data has ${image.data.length} values, dims ${image.dims} need ${count}`);
  }
  const { code, bytes: size } = niftiDatatypes[image.datatype];
  const voxOffset = 352;
  const out = new Uint8Array(voxOffset + count * size);
  const view = new DataView(out.buffer);
  view.setInt32(0, 348, true);
  view.setInt16(40, image.dims.length, true);
  image.dims.forEach((d, i) => view.setInt16(42 + 2 * i, d, true));
  for (let i = image.dims.length; i < 7; i++) view.setInt16(42 + 2 * i, 1, true);
  view.setInt16(70, code, true);
  view.setInt16(72, size * 8, true);
  view.setFloat32(76, 1, true); // qfac
  image.pixdim.forEach((p, i) => view.setFloat32(80 + 4 * i, p, true));
  view.setFloat32(108, voxOffset, true);
  const slope = image.sclSlope ?? 1, inter = image.sclInter ?? 0;
  view.setFloat32(112, slope, true);
  view.setFloat32(116, inter, true);
  view.setUint8(123, 2 | 8); // mm, seconds
  view.setInt16(252, 0, true); // qform_code
  view.setInt16(254, image.sformCode ?? 2, true);
  for (let k = 0; k < 12; k++) view.setFloat32(280 + 4 * k, image.affine[k], true);
  out.set([0x6e, 0x2b, 0x31, 0x00], 344); // "n+1\0"
  const target = typedView(image.datatype, out.buffer, voxOffset, count);
  const integer = !image.datatype.startsWith("float");
  for (let i = 0; i < count; i++) {
    const v = (image.data[i] - inter) / slope;
    target[i] = integer ? Math.round(v) : v;
  }
  return out;
}

/** Write an image to `path` atomically; gzip when the name ends in .gz. */
export async function writeNifti(path: string, image: NiftiImageInput): Promise<void> {
  const bytes = encodeNifti(image);
  await writeBytesAtomic(path, path.endsWith(".gz") ? gzipSync(bytes, { level: 6 }) : bytes);
}
