import assert from "node:assert/strict";
import type { Volume } from "../../src/io/volume.ts";
import type { LungVoi } from "../../src/preprocess/lung_mask.ts";
import { resampleVoi, squareCrop } from "../../src/preprocess/resample.ts";
import { mapToSource, outputCoordinate, sourceSliceOf } from "../../src/preprocess/source_map.ts";

// Source [20, 40, 40]; VOI slices 4..13 (10 slices -> 4 outputs: source 4, 7, 10, 13);
// in-plane box rows 10..40 x cols 5..30 -> square side 31 from row 10, col 2.5; 16 outputs
// per side: row = 10 + 2h, col = 2.5 + 2w.
const voi: LungVoi = { z: [4, 13], y: [10, 40], x: [5, 30] };
const geometry = {
  sourceDims: [20, 41, 40] as [number, number, number],
  voi,
  crop: squareCrop(voi),
};
const dims = [4, 16, 16] as const;

Deno.test("square crop of the test geometry is the hand-computed one", () => {
  assert.deepEqual(geometry.crop, { row0: 10, col0: 2.5, side: 31 });
});

Deno.test("a single hot output voxel lands on the right source voxels (tent weights by hand)", () => {
  const hot = new Float32Array(4 * 16 * 16);
  hot[(2 * 16 + 5) * 16 + 3] = 1; // output (d 2, h 5, w 3) = source (slice 10, row 20, col 8.5)
  const source = mapToSource(hot, dims, geometry);
  const [, rows, cols] = geometry.sourceDims;
  const at = (k: number, r: number, c: number) => source[(k * rows + r) * cols + c];
  // z: slice 10 sits on output 2 (weight 1); slices 9 and 11 at 1.67 and 2.33 (2/3); 8 at 1/3
  // rows: row 20 on h 5 (1), rows 19 and 21 halfway (1/2); cols: 8 and 9 at w 2.75, 3.25 (3/4)
  const close = (a: number, b: number) => Math.abs(a - b) < 1e-6;
  assert.ok(close(at(10, 20, 8), 0.75));
  assert.ok(close(at(10, 20, 9), 0.75));
  assert.ok(close(at(10, 20, 7), 0.25));
  assert.ok(close(at(10, 19, 8), 0.375));
  assert.ok(close(at(9, 20, 8), 0.5));
  assert.ok(close(at(8, 20, 8), 0.25));
  assert.ok(close(at(12, 20, 8), 0.25)); // slice 12 at 2.67: weight 1/3 on output 2
  assert.ok(close(at(14, 20, 8), 0)); // outside the VOI's slices
  // the hottest source voxels are (10, 20, 8) and (10, 20, 9), nothing else reaches 0.75
  const peak = Math.max(...source);
  const hottest = [...source.keys()].filter((i) => close(source[i], peak));
  assert.deepEqual(hottest, [(10 * rows + 20) * cols + 8, (10 * rows + 20) * cols + 9]);
  let total = 0;
  source.forEach((v) => (total += v));
  // (1/3 + 2/3 + 1 + 2/3 + 1/3) slices x (1/2 + 1 + 1/2) rows x (1/4 + 3/4 + 3/4 + 1/4) cols
  assert.ok(close(total, 3 * 2 * 2), `total ${total}`);
});

Deno.test("outside the VOI's slices and the crop the map is 0", () => {
  const ones = new Float32Array(4 * 16 * 16).fill(1);
  const source = mapToSource(ones, dims, geometry);
  const [slices, rows, cols] = geometry.sourceDims;
  for (let k = 0; k < slices; k++) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const inside = k >= 4 && k <= 13 && r >= 10 && r <= 40 && c >= 3 && c <= 32;
        assert.equal(source[(k * rows + r) * cols + c], inside ? 1 : 0, `${k} ${r} ${c}`);
      }
    }
  }
  const some = mapToSource(ones, dims, geometry, [4, 5]);
  assert.equal(some[(6 * rows + 20) * cols + 10], 0); // slice 6 not asked for
  assert.equal(some[(5 * rows + 20) * cols + 10], 1);
});

Deno.test("resampling then mapping back returns a linear field exactly (preprocessing's forward)", () => {
  // HU ramp inside the window (-250..450 HU): windowed values are linear in (k, r, c), so the
  // forward resampling (bilinear + linear) and the inverse interpolation are both exact.
  const [slices, rows, cols] = geometry.sourceDims;
  const hu = new Float32Array(slices * rows * cols);
  const field = (k: number, r: number, c: number) => -200 + 10 * k + 4 * r + 3 * c;
  for (let k = 0; k < slices; k++) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) hu[(k * rows + r) * cols + c] = field(k, r, c);
    }
  }
  const volume: Volume = {
    hu,
    dims: geometry.sourceDims,
    spacing: [2, 1, 1],
    origin: [0, 0, 0],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    sopInstanceUids: Array.from({ length: slices }, (_, k) => `1.2.${k + 1}`),
    zPositions: Array.from({ length: slices }, (_, k) => 2 * k),
  };
  // the crop (rows 10..40, columns 2.5..32.5) lies inside the volume: no fill values
  const grid = resampleVoi(volume, voi, dims, new Float32Array(4 * 16 * 16));
  const back = mapToSource(grid, dims, geometry);
  let worst = 0;
  for (let k = 4; k <= 13; k++) {
    for (let r = 10; r <= 40; r++) {
      for (let c = 3; c <= 32; c++) {
        const want = (field(k, r, c) + 250) / 700;
        worst = Math.max(worst, Math.abs(back[(k * rows + r) * cols + c] - want));
      }
    }
  }
  assert.ok(worst < 1e-5, `largest error ${worst}`);
});

Deno.test("output coordinates and nearest source slices invert samplePosition", () => {
  assert.equal(outputCoordinate(4, 3, 9, 0), 1);
  assert.ok(Number.isNaN(outputCoordinate(9, 3, 9, 0)));
  assert.equal(outputCoordinate(5, 1, 9, 0), 0);
  assert.equal(sourceSliceOf(0, 4, voi), 4);
  assert.equal(sourceSliceOf(2, 4, voi), 10);
  assert.equal(sourceSliceOf(3, 4, voi), 13);
  assert.throws(() => mapToSource(new Float32Array(3), dims, geometry), /3 values for a 4x16x16/);
});
