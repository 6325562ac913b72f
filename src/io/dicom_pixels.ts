/**
 * Pixel data of one DICOM slice -> Hounsfield units, written into a caller's buffer (so a
 * series decodes slice by slice into one preallocated volume).
 *
 * Stored values are masked to BitsStored (sign-extended when PixelRepresentation = 1); a value
 * equal to PixelPaddingValue becomes {@link paddingHu} (-1024 HU, air), every other value
 * `stored * RescaleSlope + RescaleIntercept`.
 *
 * Transfer syntaxes: implicit / explicit VR little endian, explicit VR big endian, RLE Lossless,
 * JPEG Lossless (process 14 and 14 SV1, jpeg-lossless-decoder-js), JPEG 2000 lossless and lossy
 * (OpenJPEG via @cornerstonejs/codec-openjpeg, loaded on first use).
 *
 * @example
 * ```ts ignore
 * import { readSliceHeader } from "./dicom_header.ts";
 * import { decodeSliceInto } from "./dicom_pixels.ts";
 * const header = await readSliceHeader("slice.dcm");
 * const hu = new Float32Array(header.rows * header.columns);
 * await decodeSliceInto(await Deno.readFile("slice.dcm"), header, hu, 0);
 * ```
 */
import dicomParser from "dicom-parser";
import { Decoder as JpegLosslessDecoder } from "jpeg-lossless-decoder-js";
import type { SliceHeader } from "./dicom_header.ts";
import { decodeRle } from "./rle.ts";

/** HU written for voxels whose stored value equals PixelPaddingValue. */
export const paddingHu = -1024;

/** Transfer syntaxes the reader decodes, UID -> name. */
export const supportedTransferSyntaxes: ReadonlyMap<string, string> = new Map([
  ["1.2.840.10008.1.2", "Implicit VR Little Endian"],
  ["1.2.840.10008.1.2.1", "Explicit VR Little Endian"],
  ["1.2.840.10008.1.2.2", "Explicit VR Big Endian"],
  ["1.2.840.10008.1.2.5", "RLE Lossless"],
  ["1.2.840.10008.1.2.4.57", "JPEG Lossless, process 14"],
  ["1.2.840.10008.1.2.4.70", "JPEG Lossless, process 14 SV1"],
  ["1.2.840.10008.1.2.4.90", "JPEG 2000 (lossless only)"],
  ["1.2.840.10008.1.2.4.91", "JPEG 2000"],
]);

interface J2kDecoder {
  getEncodedBuffer(length: number): Uint8Array;
  getDecodedBuffer(): Uint8Array;
  decode(): void;
  getFrameInfo(): { width: number; height: number; bitsPerSample: number };
}

let j2kDecoder: Promise<J2kDecoder> | null = null;

/** The OpenJPEG wasm decoder, created once; its console printing is silenced. */
function openJpeg(): Promise<J2kDecoder> {
  j2kDecoder ??= (async () => {
    const { default: factory } = await import("@cornerstonejs/codec-openjpeg/decodewasmjs");
    // deno-lint-ignore no-explicit-any
    const module = await (factory as any)({ print: () => {}, printErr: () => {} });
    return new module.J2KDecoder() as J2kDecoder;
  })();
  return j2kDecoder;
}

/**
 * The stored sample words of one frame, `[rows * columns]` 16-bit, before sign handling.
 * Throws an Error describing what failed.
 */
export async function decodeStoredWords(
  bytes: Uint8Array,
  header: SliceHeader,
): Promise<Uint16Array> {
  const pixels = header.rows * header.columns;
  const ds = dicomParser.parseDicom(bytes);
  const element = ds.elements.x7fe00010;
  if (!element) throw new Error("no PixelData element");
  const ts = header.transferSyntaxUid;
  if (!element.encapsulatedPixelData) {
    if (element.length < pixels * 2) {
      throw new Error(`PixelData holds ${element.length} bytes, ${pixels * 2} expected`);
    }
    const start = bytes.byteOffset + element.dataOffset;
    const words = start % 2 === 0
      ? new Uint16Array(bytes.buffer, start, pixels)
      : new Uint16Array(bytes.slice(element.dataOffset, element.dataOffset + pixels * 2).buffer);
    if (ts === "1.2.840.10008.1.2.2") {
      const swapped = new Uint16Array(pixels);
      for (let i = 0; i < pixels; i++) {
        const v = words[i];
        swapped[i] = ((v & 0xff) << 8) | (v >> 8);
      }
      return swapped;
    }
    return words;
  }
  const fragments = element.fragments ?? [];
  const frame = dicomParser.readEncapsulatedPixelDataFromFragments(
    ds,
    element,
    0,
    fragments.length,
  );
  let decoded: Uint16Array;
  if (ts === "1.2.840.10008.1.2.5") {
    decoded = new Uint16Array(decodeRle(frame, pixels, 2).buffer);
  } else if (ts === "1.2.840.10008.1.2.4.57" || ts === "1.2.840.10008.1.2.4.70") {
    const out = new JpegLosslessDecoder().decode(frame, 0, frame.length, 2);
    decoded = out instanceof Uint16Array ? out : new Uint16Array(out.buffer);
  } else if (ts === "1.2.840.10008.1.2.4.90" || ts === "1.2.840.10008.1.2.4.91") {
    const decoder = await openJpeg();
    decoder.getEncodedBuffer(frame.length).set(frame);
    decoder.decode();
    const info = decoder.getFrameInfo();
    if (info.bitsPerSample > 16 || info.bitsPerSample <= 8) {
      throw new Error(`JPEG 2000 stream has ${info.bitsPerSample} bits per sample`);
    }
    const out = decoder.getDecodedBuffer();
    decoded = new Uint16Array(out.slice().buffer);
  } else {
    throw new Error(`unsupported transfer syntax ${ts}`);
  }
  if (decoded.length !== pixels) {
    throw new Error(`decoded ${decoded.length} samples, ${header.rows}x${header.columns} expected`);
  }
  return decoded;
}

/**
 * Decode one slice to HU into `target[offset .. offset + rows*columns)`.
 * Throws an Error describing what failed (unsupported syntax, truncated or corrupt data).
 */
export async function decodeSliceInto(
  bytes: Uint8Array,
  header: SliceHeader,
  target: Float32Array,
  offset: number,
): Promise<void> {
  const words = await decodeStoredWords(bytes, header);
  storedToHu(words, header, target, offset);
}

/** Convert stored 16-bit words to HU (bits, sign, padding, rescale) into `target`. */
export function storedToHu(
  words: Uint16Array,
  header: Pick<
    SliceHeader,
    "bitsStored" | "pixelRepresentation" | "pixelPaddingValue" | "rescaleSlope" | "rescaleIntercept"
  >,
  target: Float32Array,
  offset: number,
): void {
  const n = words.length;
  const out = target.subarray(offset, offset + n);
  const slope = header.rescaleSlope, intercept = header.rescaleIntercept;
  const padding = header.pixelPaddingValue;
  const signed = header.pixelRepresentation === 1;
  if (header.bitsStored === 16) {
    // common CT case: the words are the values; let the typed-array copy convert them
    out.set(signed ? new Int16Array(words.buffer, words.byteOffset, n) : words);
  } else {
    const shift = 32 - header.bitsStored;
    if (signed) { for (let i = 0; i < n; i++) out[i] = (words[i] << shift) >> shift; }
    else for (let i = 0; i < n; i++) out[i] = (words[i] << shift) >>> shift;
  }
  if (padding === null) {
    if (slope !== 1 || intercept !== 0) {
      for (let i = 0; i < n; i++) out[i] = out[i] * slope + intercept;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const v = out[i];
    out[i] = v === padding ? paddingHu : v * slope + intercept;
  }
}
