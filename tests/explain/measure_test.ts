import assert from "node:assert/strict";
import { maskShare, massInsideMask, sliceMass, topSlices } from "../../src/explain/measure.ts";

// hand-made 2 x 4 x 4 maps; the mask is a 2 x 2 block on slice 1
const slices = 2, plane = 16;
const mask = new Uint8Array(slices * plane);
for (const [r, c] of [[1, 1], [1, 2], [2, 1], [2, 2]]) mask[plane + r * 4 + c] = 1;

Deno.test("all mass inside the mask scores 1, all outside 0", () => {
  const inside = new Float32Array(slices * plane);
  mask.forEach((m, i) => (inside[i] = m ? 0.3 + i / 100 : 0));
  assert.equal(massInsideMask(inside, mask), 1);
  const outside = new Float32Array(slices * plane).map((_, i) => (mask[i] ? 0 : 1));
  assert.equal(massInsideMask(outside, mask), 0);
});

Deno.test("a uniform map scores the mask's share (4 of 32 voxels; 4 of 16 in a region)", () => {
  const uniform = new Float32Array(slices * plane).fill(0.7);
  assert.ok(Math.abs(massInsideMask(uniform, mask)! - 4 / 32) < 1e-12);
  assert.equal(maskShare(mask), 4 / 32);
  const region = new Uint8Array(slices * plane).fill(1, plane); // slice 1 only
  assert.ok(Math.abs(massInsideMask(uniform, mask, region)! - 4 / 16) < 1e-12);
  assert.equal(maskShare(mask, region), 4 / 16);
});

Deno.test("a half-and-half map: 3 units inside, 1 outside -> 0.75; no mass -> null", () => {
  const map = new Float32Array(slices * plane);
  map[plane + 5] = 3; // (1, 1) on slice 1, inside
  map[0] = 1; // outside
  assert.equal(massInsideMask(map, mask), 0.75);
  assert.equal(massInsideMask(new Float32Array(slices * plane), mask), null);
  assert.throws(() => massInsideMask(new Float32Array(3), mask), /differ in size/);
  const negative = new Float32Array(slices * plane);
  negative[2] = -1;
  assert.throws(() => massInsideMask(negative, mask), /negative map value -1 at 2/);
});

Deno.test("mass per slice as shares, and the slices with the most mass first", () => {
  const map = new Float32Array([1, 0, 0, 0, 2, 1, 0, 0, 0.5, 0.5]);
  const mass = sliceMass(map, 5);
  assert.deepEqual(Array.from(mass), [0.2, 0, 0.6, 0, 0.2]);
  assert.deepEqual(topSlices(mass, 3), [2, 0, 4]);
  assert.throws(() => sliceMass(map, 3), /not 3 equal slices/);
});
