import assert from "node:assert/strict";
import { auc, delongAuc, rocCurve, StatsInputError, youdenThreshold } from "../../src/stats/mod.ts";

Deno.test("one class only fails clearly", () => {
  for (const fn of [auc, rocCurve, youdenThreshold, delongAuc]) {
    assert.throws(() => fn([0.1, 0.2, 0.3], [1, 1, 1]), /only positives/);
    assert.throws(() => fn([0.1, 0.2], [0, 0]), /only negatives/);
  }
});

Deno.test("empty input and mismatched lengths fail clearly", () => {
  assert.throws(
    () => auc([], []),
    (e: Error) => e instanceof StatsInputError && /empty/.test(e.message),
  );
  assert.throws(() => auc([0.1, 0.2, 0.3], [0, 1]), /labels has 2 entries but the scores have 3/);
  assert.throws(() => auc([0.1, 0.2], [0, 1], { ids: ["a"] }), /ids has 1 entries/);
});

Deno.test("non-finite scores are listed by id (at most 10) or by index", () => {
  const scores = Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? NaN : i / 30));
  const labels = scores.map((_, i) => i % 3 === 0 ? 1 : 0);
  const ids = scores.map((_, i) => `exam-${i}`);
  assert.throws(
    () => auc(scores, labels, { ids }),
    (e: Error) =>
      e instanceof StatsInputError && /15 non-finite/.test(e.message) &&
      /'exam-0' \(NaN\)/.test(e.message) && /'exam-18' \(NaN\)/.test(e.message) &&
      !/'exam-20'/.test(e.message) && /and 5 more/.test(e.message),
  );
  assert.throws(() => auc([0.1, Infinity], [0, 1]), /index 1 \(Infinity\)/);
});

Deno.test("labels other than 0/1 are listed", () => {
  assert.throws(
    () => auc([0.1, 0.2, 0.3], [0, 2, 1], { ids: ["a", "b", "c"] }),
    /'b' \(2\).*labels must be 0 \(negative\) or 1 \(positive\)/,
  );
  assert.throws(() => auc([0.1, 0.2], [0, 0.5]), StatsInputError);
});
