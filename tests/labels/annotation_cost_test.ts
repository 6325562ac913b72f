import assert from "node:assert/strict";
import { annotationCost } from "../../src/labels/mod.ts";

Deno.test("annotation cost: round(f x N) per exam, mean and range", () => {
  // N = 150, 160, 200: 2.5 % -> 3.75, 4, 5 -> 4, 4, 5; 27.5 % -> 41.25, 44, 55 -> 41, 44, 55
  const rows = annotationCost([0, 2.5, 27.5, 100], [150, 160, 200]);
  assert.deepEqual(rows[0], {
    fractionPercent: 0,
    meanSlices: 0,
    minSlices: 0,
    maxSlices: 0,
    exams: 3,
  });
  assert.deepEqual(rows[1], {
    fractionPercent: 2.5,
    meanSlices: 13 / 3,
    minSlices: 4,
    maxSlices: 5,
    exams: 3,
  });
  assert.deepEqual(rows[2], {
    fractionPercent: 27.5,
    meanSlices: 140 / 3,
    minSlices: 41,
    maxSlices: 55,
    exams: 3,
  });
  assert.equal(rows[3].meanSlices, 170);
});

Deno.test("annotation cost: the paper's ~4 and ~53 slices at a typical lung extent", () => {
  // Supplementary Table 8: 2.5 % ~ 4 slices, 27.5 % ~ 53 slices per exam -> ~190 lung slices
  const [low, mid] = annotationCost([2.5, 27.5], [190]);
  assert.equal(low.meanSlices, 5); // 4.75 rounds to 5
  assert.equal(mid.meanSlices, 52); // 52.25
});

Deno.test("annotation cost: bad input is refused", () => {
  assert.throws(() => annotationCost([2.5], []), /at least one exam/);
  assert.throws(() => annotationCost([120], [100]), /\[0, 100\] percent/);
});
