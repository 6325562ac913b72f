import assert from "node:assert/strict";
import { checkRocInput } from "../../src/stats/_input.ts";
import { ascendingOrder, placements, scoreLevels } from "../../src/stats/_ranking.ts";

/** Deterministic scores with negatives, zeros of both signs, infinities, tiny and tied values. */
function awkwardScores(n: number): Float64Array {
  const special = [0, -0, Infinity, -Infinity, 5e-324, -5e-324, 1e300, -1e300, 0.5, -0.5];
  let state = 12345;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  return Float64Array.from({ length: n }, (_, i) => {
    if (i % 7 === 0) return special[i % special.length];
    if (i % 3 === 0) return Math.round(next() * 20) - 10; // heavy ties
    return (next() - 0.5) * 1e3;
  });
}

Deno.test("ascendingOrder is a stable ascending argsort (radix and small-n paths)", () => {
  for (const n of [1, 2, 50, 4095, 4096, 20000]) {
    const scores = awkwardScores(n).map((s) => s + 0); // -0 -> 0, as checkRocInput does
    // Array.prototype.sort is stable; Infinity - Infinity is NaN, which counts as a tie here.
    const expected = Array.from(scores.keys()).sort((a, b) => scores[a] - scores[b] || a - b);
    assert.deepEqual(Array.from(ascendingOrder(scores)), expected, `n=${n}`);
  }
});

Deno.test("placements equal their O(m n) definition (ties 1/2)", () => {
  for (const n of [30, 6000]) {
    const scores = awkwardScores(n).map((s) => (Number.isFinite(s) ? s : 0));
    const labels = Array.from(scores, (_, i) => (i % 5 === 0 || i % 11 === 0 ? 1 : 0));
    const input = checkRocInput(scores, labels, { scores: "scores", labels: "labels" });
    const cases = scores.filter((_, i) => labels[i] === 1);
    const controls = scores.filter((_, i) => labels[i] === 0);
    const share = (v: number, others: Float64Array, above: boolean) =>
      others.reduce((sum, o) => sum + (o === v ? 0.5 : (above ? o > v : o < v) ? 1 : 0), 0) /
      others.length;
    const { values, auc } = placements(input);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const expected = labels[i] === 1
        ? share(scores[i], controls, false)
        : share(scores[i], cases, true);
      assert.ok(Math.abs(values[i] - expected) < 1e-15, `n=${n}, entry ${i}`);
      if (labels[i] === 1) total += expected;
    }
    assert.ok(Math.abs(auc - total / cases.length) < 1e-12);
  }
});

Deno.test("scoreLevels: distinct scores descending with class counts", () => {
  const input = checkRocInput([0.2, 0.5, 0.2, -0, 0, 0.5], [1, 0, 0, 1, 0, 1], {
    scores: "scores",
    labels: "labels",
  });
  const levels = scoreLevels(input);
  assert.deepEqual(Array.from(levels.scores), [0.5, 0.2, 0]);
  assert.deepEqual(Array.from(levels.cases), [1, 1, 1]);
  assert.deepEqual(Array.from(levels.controls), [1, 1, 1]);
});
