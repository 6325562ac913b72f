/** Stored values -> HU (bits, sign, padding, rescale) and the RLE decoder, on hand-made input. */
import assert from "node:assert/strict";
import { decodeRle, paddingHu, storedToHu } from "../../src/io/mod.ts";

const header = {
  bitsStored: 12,
  pixelRepresentation: 0,
  pixelPaddingValue: null as number | null,
  rescaleSlope: 1,
  rescaleIntercept: -1024,
};

Deno.test("unsigned 12-bit: bits above BitsStored are ignored", () => {
  const out = new Float32Array(3);
  storedToHu(new Uint16Array([0x0400, 0xf400, 0x0fff]), header, out, 0);
  assert.deepEqual([...out], [0, 0, 4095 - 1024]);
});

Deno.test("signed 12-bit: two's complement within BitsStored, slope applied", () => {
  const out = new Float32Array(4);
  storedToHu(
    new Uint16Array([0x0fff, 0x0800, 0x07ff, 0x0001]),
    { ...header, pixelRepresentation: 1, rescaleSlope: 2, rescaleIntercept: 10 },
    out,
    0,
  );
  assert.deepEqual([...out], [-1 * 2 + 10, -2048 * 2 + 10, 2047 * 2 + 10, 1 * 2 + 10]);
});

Deno.test("signed 16-bit padding value becomes -1024 HU; offset respected", () => {
  const out = new Float32Array(5).fill(7);
  const words = new Uint16Array(new Int16Array([-2000, -1000, 0]).buffer);
  storedToHu(
    words,
    { ...header, bitsStored: 16, pixelRepresentation: 1, pixelPaddingValue: -2000 },
    out,
    2,
  );
  assert.equal(paddingHu, -1024);
  assert.deepEqual([...out], [7, 7, -1024, -2024, -1024]);
});

Deno.test("RLE: literal and replicate runs, two byte planes (PackBits, DICOM PS3.5 G.3)", () => {
  // 4 pixels: 0x0102, 0x0102, 0x0003, 0x00ff
  const highSegment = [0xff, 0x01, 0xff, 0x00]; // run of 2 x 0x01, run of 2 x 0x00
  const lowSegment = [0x03, 0x02, 0x02, 0x03, 0xff]; // literal of 4: 02 02 03 ff
  const frame = new Uint8Array(64 + highSegment.length + lowSegment.length);
  const view = new DataView(frame.buffer);
  view.setUint32(0, 2, true);
  view.setUint32(4, 64, true);
  view.setUint32(8, 64 + highSegment.length, true);
  frame.set(highSegment, 64);
  frame.set(lowSegment, 64 + highSegment.length);
  const out = decodeRle(frame, 4, 2);
  assert.deepEqual([...new Uint16Array(out.buffer)], [0x0102, 0x0102, 0x0003, 0x00ff]);
});

Deno.test("RLE: a short segment is an error, not silent zeros", () => {
  const frame = new Uint8Array(64 + 2);
  const view = new DataView(frame.buffer);
  view.setUint32(0, 1, true);
  view.setUint32(4, 64, true);
  frame.set([0x00, 0x05], 64); // one sample, four expected
  assert.throws(() => decodeRle(frame, 4, 1), /holds 1 samples, 4 expected/);
  assert.throws(() => decodeRle(frame, 4, 2), /1 segments, 2 expected/);
});
