/**
 * DICOM slice headers: the attributes needed to assemble and validate a CT series, read with
 * dicom-parser from a short prefix of each file (parsing stops at PixelData, so no pixel is
 * read or decoded).
 *
 * @example
 * ```ts ignore
 * import { readSliceHeader, scanSeriesHeaders } from "./dicom_header.ts";
 * const one = await readSliceHeader("series/1.2.3.dcm");
 * console.log(one.rows, one.imagePositionPatient); // 512 [-158.1, -179.0, -75.7]
 * const all = await scanSeriesHeaders("series"); // one header per file, in file-name order
 * ```
 */
import dicomParser from "dicom-parser";
import { join } from "node:path";
import { SeriesError } from "./series_problem.ts";
import { errorMessage } from "./errors.ts";

/** The attributes of one slice that series assembly, validation and decoding need. */
export interface SliceHeader {
  /** File path. */
  path: string;
  sopInstanceUid: string;
  seriesInstanceUid: string;
  studyInstanceUid: string;
  transferSyntaxUid: string;
  rows: number;
  columns: number;
  bitsAllocated: number;
  bitsStored: number;
  /** 0 = unsigned, 1 = two's complement. */
  pixelRepresentation: number;
  samplesPerPixel: number;
  numberOfFrames: number;
  rescaleSlope: number;
  rescaleIntercept: number;
  /** Stored value that marks padding (outside the field of view), or null. */
  pixelPaddingValue: number | null;
  /** ImagePositionPatient (LPS, mm), or null when absent. */
  imagePositionPatient: [number, number, number] | null;
  /** ImageOrientationPatient: row direction then column direction, or null when absent. */
  imageOrientationPatient: [number, number, number, number, number, number] | null;
  /** PixelSpacing: [between rows (y), between columns (x)] mm, or null when absent. */
  pixelSpacing: [number, number] | null;
  sliceThickness: number | null;
  instanceNumber: number | null;
  /** Whether the file holds a PixelData element. */
  hasPixelData: boolean;
  /** Names of required attributes that are absent or unparsable. */
  missing: string[];
}

/** Bytes read first when scanning a header; a longer header triggers a full read. */
const headerPrefixBytes = 16 * 1024;

/** Files in a series folder: regular files, not hidden, in name order. */
export async function listSeriesFiles(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && !entry.name.startsWith(".")) names.push(entry.name);
  }
  return names.sort().map((name) => join(dir, name));
}

/** Read and parse the header of one DICOM file (prefix only; the whole file if needed). */
export async function readSliceHeader(path: string): Promise<SliceHeader> {
  const file = await Deno.open(path, { read: true });
  let prefix: Uint8Array;
  let complete = false;
  try {
    const buffer = new Uint8Array(headerPrefixBytes);
    let filled = 0;
    while (filled < buffer.length) {
      const n = await file.read(buffer.subarray(filled));
      if (n === null) {
        complete = true;
        break;
      }
      filled += n;
    }
    prefix = buffer.subarray(0, filled);
  } finally {
    file.close();
  }
  try {
    return parseSliceHeader(prefix, path);
  } catch (error) {
    if (complete) throw error;
    return parseSliceHeader(await Deno.readFile(path), path);
  }
}

/** Parse the header attributes from the bytes of a DICOM file (a prefix is enough). */
export function parseSliceHeader(bytes: Uint8Array, path: string): SliceHeader {
  const ds = dicomParser.parseDicom(bytes, { untilTag: "x7fe00010" });
  const missing: string[] = [];
  const text = (tag: string) => ds.string(tag)?.trim() ?? "";
  const required = (tag: string, name: string) => {
    const value = text(tag);
    if (value === "") missing.push(name);
    return value;
  };
  const numbers = (tag: string, name: string, count: number, isRequired = true) => {
    const parts = text(tag).split("\\").filter((s) => s.trim() !== "").map(Number);
    if (parts.length === count && parts.every(Number.isFinite)) return parts;
    if (isRequired) missing.push(name);
    return null;
  };
  const uint = (tag: string, name: string) => {
    const value = ds.elements[tag] ? ds.uint16(tag) : undefined;
    if (value === undefined) missing.push(name);
    return value ?? 0;
  };
  const pixelRepresentation = uint("x00280103", "PixelRepresentation");
  const slope = numbers("x00281053", "RescaleSlope", 1);
  const intercept = numbers("x00281052", "RescaleIntercept", 1);
  // PixelPaddingValue is SS or US: its own VR (explicit VR) wins, else PixelRepresentation
  const paddingElement = ds.elements.x00280120;
  const paddingSigned = paddingElement?.vr ? paddingElement.vr === "SS" : pixelRepresentation === 1;
  const padding = paddingElement
    ? (paddingSigned ? ds.int16("x00280120") : ds.uint16("x00280120")) ?? null
    : null;
  const header: SliceHeader = {
    path,
    // SOPInstanceUID, else the file meta's MediaStorageSOPInstanceUID (same value by rule)
    sopInstanceUid: text("x00080018") || required("x00020003", "SOPInstanceUID"),
    seriesInstanceUid: text("x0020000e"),
    studyInstanceUid: text("x0020000d"),
    transferSyntaxUid: text("x00020010") || "1.2.840.10008.1.2",
    rows: uint("x00280010", "Rows"),
    columns: uint("x00280011", "Columns"),
    bitsAllocated: uint("x00280100", "BitsAllocated"),
    bitsStored: ds.elements.x00280101 ? ds.uint16("x00280101") ?? 0 : 0,
    pixelRepresentation,
    samplesPerPixel: ds.elements.x00280002 ? ds.uint16("x00280002") ?? 1 : 1,
    numberOfFrames: Number(text("x00280008") || "1"),
    rescaleSlope: slope ? slope[0] : 1,
    rescaleIntercept: intercept ? intercept[0] : 0,
    pixelPaddingValue: padding,
    imagePositionPatient: numbers("x00200032", "ImagePositionPatient", 3) as SliceHeader[
      "imagePositionPatient"
    ],
    imageOrientationPatient: numbers("x00200037", "ImageOrientationPatient", 6) as SliceHeader[
      "imageOrientationPatient"
    ],
    pixelSpacing: numbers("x00280030", "PixelSpacing", 2) as SliceHeader["pixelSpacing"],
    sliceThickness: numbers("x00180050", "SliceThickness", 1, false)?.[0] ?? null,
    instanceNumber: numbers("x00200013", "InstanceNumber", 1, false)?.[0] ?? null,
    hasPixelData: ds.elements.x7fe00010 !== undefined,
    missing,
  };
  if (header.bitsStored === 0 || header.bitsStored > header.bitsAllocated) {
    header.bitsStored = header.bitsAllocated;
  }
  return header;
}

/** Options for {@link scanSeriesHeaders}. */
export interface ScanOptions {
  /** Files read at the same time (default 16). */
  concurrency?: number;
}

/**
 * Headers of every file in a series folder, in file-name order, without decoding pixels.
 * A file that is not readable DICOM throws a {@link SeriesError} (`unreadable-pixels`) naming
 * the file.
 */
export async function scanSeriesHeaders(
  dir: string,
  options: ScanOptions = {},
): Promise<SliceHeader[]> {
  const paths = await listSeriesFiles(dir);
  const headers = new Array<SliceHeader>(paths.length);
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const i = next++;
      try {
        headers[i] = await readSliceHeader(paths[i]);
      } catch (error) {
        const why = errorMessage(error);
        throw new SeriesError("unreadable-pixels", `not readable as DICOM: ${why}`, paths[i]);
      }
    }
  };
  const lanes = Math.max(1, Math.min(options.concurrency ?? 16, paths.length));
  await Promise.all(Array.from({ length: lanes }, worker));
  return headers;
}
