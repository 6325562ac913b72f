import assert from "node:assert/strict";
import { sliceStackInput } from "../../src/preprocess/model_input.ts";

// 3 slices of 1 x 2 pixels: slice z holds values 10z + 1, 10z + 2.
const exam = {
  dims: [3, 1, 2] as [number, number, number],
  voxels: new Uint8Array([1, 2, 11, 12, 21, 22]),
};

Deno.test("adjacent channels: (z-1, z, z+1) with the first and last slice replicated", () => {
  const input = sliceStackInput(exam, "adjacent");
  const at = (z: number, x: number) =>
    Array.from(input.subarray((z * 2 + x) * 3, (z * 2 + x) * 3 + 3), (v) => Math.round(v * 255));
  assert.deepEqual(at(0, 0), [1, 1, 11]);
  assert.deepEqual(at(0, 1), [2, 2, 12]);
  assert.deepEqual(at(1, 0), [1, 11, 21]);
  assert.deepEqual(at(2, 1), [12, 22, 22]);
  assert.equal(input[2 * 3 + 1], Math.fround(11 / 255), "values are bytes / 255");
});

Deno.test("repeat channels: the slice three times; a given buffer is filled and returned", () => {
  const buffer = new Float32Array(18).fill(-1);
  const input = sliceStackInput(exam, "repeat", buffer);
  assert.equal(input, buffer);
  assert.deepEqual(Array.from(input.subarray(6, 12), (v) => Math.round(v * 255)), [
    11,
    11,
    11,
    12,
    12,
    12,
  ]);
  assert.throws(() => sliceStackInput(exam, "repeat", new Float32Array(5)), /18 needed/);
});
