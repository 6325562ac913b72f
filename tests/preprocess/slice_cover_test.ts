import assert from "node:assert/strict";
import { sourceIntervals } from "../../src/preprocess/resample.ts";
import { sourceSliceCover, sourceSliceValues } from "../../src/preprocess/slice_cover.ts";

Deno.test("sourceSliceCover: the documented 5 -> 3 example, by hand", () => {
  // sourceIntervals(5, 3) = [[0, 1], [1, 3], [3, 4]] (resample.ts)
  assert.deepEqual(sourceSliceCover([[0, 1], [1, 3], [3, 4]], 5), [
    [0, 0],
    [0, 1],
    [1, 1],
    [1, 2],
    [2, 2],
  ]);
  // a VOI at source slices 2..6 of 9: slices outside get null
  const cover = sourceSliceCover([[2, 3], [3, 5], [5, 6]], 9);
  assert.deepEqual(cover.map((c) => c === null), [
    true,
    true,
    false,
    false,
    false,
    false,
    false,
    true,
    true,
  ]);
  assert.deepEqual(sourceSliceValues(cover, [0.1, 0.8, 0.3]), [
    null,
    null,
    0.1,
    0.8,
    0.8,
    0.8,
    0.3,
    null,
    null,
  ]);
});

Deno.test("sourceSliceValues: a one-hot output slice reaches exactly the source slices it covers", () => {
  for (const [m, n] of [[250, 184], [40, 184], [184, 184], [97, 13], [7, 1]]) {
    const intervals = sourceIntervals(m, n);
    const cover = sourceSliceCover(intervals, m);
    assert.ok(cover.every((c) => c !== null), `${m} -> ${n}: every source slice is covered`);
    for (let j = 0; j < n; j++) {
      const oneHot = Array.from({ length: n }, (_, k) => (k === j ? 1 : 0));
      const back = sourceSliceValues(cover, oneHot);
      back.forEach((v, i) => {
        const inside = intervals[j][0] <= i && i <= intervals[j][1];
        assert.equal(v, inside ? 1 : 0, `${m} -> ${n}, output ${j}, source ${i}`);
      });
    }
  }
});

Deno.test("sourceSliceCover: an interval outside the volume is refused with the fix", () => {
  assert.throws(
    () => sourceSliceCover([[0, 5]], 3),
    /output slice 0 covers source slices 0\.\.5, outside 0\.\.2/,
  );
});
