/**
 * Byte buffers: joining the parts of a file (DICOM elements, PNG chunks) into one buffer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { concatBytes } from "./bytes.ts";
 * assert.deepEqual(Array.from(concatBytes([new Uint8Array([1, 2]), new Uint8Array([3])])), [1, 2, 3]);
 * ```
 */

/** The parts one after another in a new buffer (length = sum of the parts' lengths). */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
