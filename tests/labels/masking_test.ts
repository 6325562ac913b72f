import assert from "node:assert/strict";
import {
  evenSpacingPositions,
  examSeed,
  labelledSlices,
  publishedMaskedPositions,
} from "../../src/labels/mod.ts";

const count = (mask: Uint8Array) => mask.reduce((a, b) => a + b, 0);
const even = (seed: number, examId: string) => ({
  strategy: "even-spacing" as const,
  seed,
  examId,
  sourceSliceCount: 300,
});

Deno.test("even spacing keeps k = round(f x D) slices for every paper fraction", () => {
  // round half up: 2.5 % of 184 = 4.6 -> 5; 27.5 % of 184 = 50.6 -> 51; 42.5 % of 184 = 78.2 -> 78
  const expected: Record<number, number> = {
    0: 0,
    2.5: 5,
    5: 9,
    10: 18,
    20: 37,
    27.5: 51,
    35: 64,
    42.5: 78,
    50: 92,
    75: 138,
    100: 184,
  };
  for (const [fraction, k] of Object.entries(expected)) {
    assert.equal(
      count(labelledSlices(184, Number(fraction), even(3, "1.2.3"))),
      k,
      `${fraction} %`,
    );
  }
  // a short stack: 2.5 % of 20 = 0.5 -> 1 slice (half up), 2.5 % of 19 = 0.475 -> 0
  assert.equal(count(labelledSlices(20, 2.5, even(0, "a"))), 1);
  assert.equal(count(labelledSlices(19, 2.5, even(0, "a"))), 0);
});

Deno.test("even spacing: positions floor(offset + i D/k), evenly spaced", () => {
  // D = 10, 30 % -> k = 3, spacing 10/3; offset 0.5 x 10/3 = 5/3
  // positions floor(5/3) = 1, floor(5/3 + 10/3) = 5, floor(5/3 + 20/3) = 8
  assert.deepEqual(evenSpacingPositions(10, 30, 0.5), [1, 5, 8]);
  assert.deepEqual(evenSpacingPositions(10, 20, 0), [0, 5]);
  assert.deepEqual(evenSpacingPositions(8, 50, 0.99), [1, 3, 5, 7]);
  // gaps between kept slices differ by at most one slice
  const positions = evenSpacingPositions(184, 10, 0.37);
  const gaps = positions.slice(1).map((p, i) => p - positions[i]);
  assert.ok(Math.max(...gaps) - Math.min(...gaps) <= 1, `gaps ${gaps}`);
  assert.ok(positions[0] < 184 / 18 && positions[positions.length - 1] < 184);
});

Deno.test("even spacing: offset fixed per seed and exam, different across exams or seeds", () => {
  const first = labelledSlices(184, 2.5, even(7, "1.2.840.1"));
  for (let epoch = 0; epoch < 3; epoch++) {
    assert.deepEqual(labelledSlices(184, 2.5, even(7, "1.2.840.1")), first);
  }
  const offsets = new Set<string>();
  for (let e = 0; e < 20; e++) offsets.add(labelledSlices(184, 2.5, even(7, `1.2.${e}`)).join(""));
  assert.ok(offsets.size > 10, `only ${offsets.size} distinct placements over 20 exams`);
  assert.notEqual(examSeed(7, "1.2.840.1"), examSeed(8, "1.2.840.1"));
});

Deno.test("fraction 0 keeps nothing, fraction 100 keeps every slice", () => {
  assert.equal(count(labelledSlices(184, 0, even(1, "x"))), 0);
  assert.equal(count(labelledSlices(184, 100, even(1, "x"))), 184);
  const published = { strategy: "published" as const, seed: 0, examId: "x", sourceSliceCount: 150 };
  assert.equal(count(labelledSlices(184, 0, published)), 0);
  // published: kept = min(D, floor(f x N)) = 150 of 184 at 100 %
  assert.equal(count(labelledSlices(184, 100, published)), 150);
  assert.equal(count(labelledSlices(184, 100, { ...published, sourceSliceCount: 400 })), 184);
});

Deno.test("published variant matches a hand-computed example", () => {
  // D = 10, N = 20, 25 % kept: kept = floor(0.25 x 20) = 5; 5 masked at
  // floor(linspace(0, 9, 5)) = floor([0, 2.25, 4.5, 6.75, 9]) = [0, 2, 4, 6, 9]
  assert.deepEqual(publishedMaskedPositions(10, 25, 20), [0, 2, 4, 6, 9]);
  const mask = labelledSlices(10, 25, {
    strategy: "published",
    seed: 0,
    examId: "x",
    sourceSliceCount: 20,
  });
  assert.deepEqual([...mask], [0, 1, 0, 1, 0, 1, 0, 1, 1, 0]);
  // D = 6, N = 30, 10 % kept: kept = 3, masked = floor(linspace(0, 5, 3)) = [0, 2, 5]
  assert.deepEqual(publishedMaskedPositions(6, 10, 30), [0, 2, 5]);
  // one masked slice: linspace(0, D - 1, 1) = [0]
  assert.deepEqual(publishedMaskedPositions(6, 50, 10), [0]);
});

Deno.test("a fraction outside [0, 100] is refused with the fix", () => {
  assert.throws(() => labelledSlices(10, 101, even(0, "x")), /\[0, 100\] percent, got 101/);
  assert.throws(() => labelledSlices(10, -1, even(0, "x")), /got -1/);
  assert.throws(() => labelledSlices(10, NaN, even(0, "x")), /got NaN/);
});
