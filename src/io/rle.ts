/**
 * DICOM RLE Lossless (1.2.840.10008.1.2.5) decoder for one frame: a 64-byte header with the
 * segment count and offsets, then one PackBits segment per byte plane, most significant first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeRle } from "./rle.ts";
 * // frame: the concatenated fragments of one frame; 16-bit: 2 segments
 * const frame = new Uint8Array(64 + 4 + 4);
 * const view = new DataView(frame.buffer);
 * view.setUint32(0, 2, true); view.setUint32(4, 64, true); view.setUint32(8, 68, true);
 * frame.set([0xff, 0x00, 0x00, 0x00], 64); // high bytes: 2 x 0x00 (run of 2), padding
 * frame.set([0x01, 0x05, 0x07, 0x00], 68); // low bytes: literal [5, 7]
 * assert.deepEqual(Array.from(decodeRle(frame, 2, 2)), [5, 0, 7, 0]); // little-endian 16-bit: 5, 7
 * ```
 */

/**
 * Decode an RLE frame of `pixels` samples of `bytesPerSample` bytes into little-endian bytes
 * `[pixels * bytesPerSample]`. Throws when the segment count or lengths do not fit.
 */
export function decodeRle(frame: Uint8Array, pixels: number, bytesPerSample: number): Uint8Array {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const segments = view.getUint32(0, true);
  if (segments !== bytesPerSample) {
    throw new Error(`RLE frame has ${segments} segments, ${bytesPerSample} expected`);
  }
  const out = new Uint8Array(pixels * bytesPerSample);
  const plane = new Uint8Array(pixels); // one byte plane, [pixels]
  for (let s = 0; s < segments; s++) {
    const start = view.getUint32(4 + 4 * s, true);
    const end = s + 1 < segments ? view.getUint32(8 + 4 * s, true) : frame.length;
    const written = unpackBits(frame.subarray(start, Math.min(end, frame.length)), plane);
    if (written !== pixels) {
      throw new Error(`RLE segment ${s} holds ${written} samples, ${pixels} expected`);
    }
    // segment 0 holds the most significant bytes; output is little endian
    for (let i = 0, o = bytesPerSample - 1 - s; i < pixels; i++, o += bytesPerSample) {
      out[o] = plane[i];
    }
  }
  return out;
}

/** PackBits: decode `segment` into `plane` (stops when full); returns the bytes written. */
function unpackBits(segment: Uint8Array, plane: Uint8Array): number {
  const size = plane.length, length = segment.length;
  let written = 0, i = 0;
  while (i < length && written < size) {
    const n = (segment[i++] << 24) >> 24; // signed header byte
    if (n >= 0) {
      const count = Math.min(n + 1, size - written, length - i);
      const next = i + n + 1;
      for (let k = 0; k < count; k++) plane[written++] = segment[i++];
      i = next;
    } else if (n !== -128 && i < length) {
      const value = segment[i++];
      const end = Math.min(written + 1 - n, size);
      while (written < end) plane[written++] = value;
    }
  }
  return written;
}
