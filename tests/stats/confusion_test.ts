import assert from "node:assert/strict";
import {
  binomialCi,
  confusionCounts,
  diagnosticMetrics,
  StatsInputError,
} from "../../src/stats/mod.ts";
import { assertClose, statsmodels } from "./_reference.ts";

Deno.test("confusionCounts: positive when score >= threshold", () => {
  const scores = [0.1, 0.4, 0.35, 0.8, 0.35];
  const labels = [0, 0, 1, 1, 0];
  assert.deepEqual(confusionCounts(scores, labels, 0.35), { tp: 2, fp: 2, tn: 1, fn: 0 });
  assert.deepEqual(confusionCounts(scores, labels, 0.36), { tp: 1, fp: 1, tn: 2, fn: 1 });
  assert.deepEqual(confusionCounts(scores, labels, Infinity), { tp: 0, fp: 0, tn: 3, fn: 2 });
  // One class only is allowed for counting (an all-negative subset).
  assert.deepEqual(confusionCounts([0.2, 0.9], [0, 0], 0.5), { tp: 0, fp: 1, tn: 1, fn: 0 });
  assert.throws(() => confusionCounts([0.2, 0.9], [0, 0], NaN), StatsInputError);
  assert.throws(() => confusionCounts([0.2, NaN], [0, 0], 0.5), StatsInputError);
});

Deno.test("diagnosticMetrics: each proportion is its binomial CI (statsmodels values)", () => {
  // 192 / 642 and 438 / 1444 are reference proportions with statsmodels intervals.
  const counts = { tp: 192, fn: 450, tn: 1006, fp: 438 };
  const metrics = diagnosticMetrics(counts, "clopper-pearson");
  const sens = statsmodels.proportions.find((r) => r.count === 192 && r.alpha === 0.05)!;
  assertClose(metrics.sensitivity.estimate, 192 / 642, "sensitivity");
  assertClose(metrics.sensitivity.low, sens["clopper-pearson"][0], "sensitivity low");
  assertClose(metrics.sensitivity.high, sens["clopper-pearson"][1], "sensitivity high");
  const fpRate = statsmodels.proportions.find((r) => r.count === 438 && r.alpha === 0.05)!;
  // specificity = 1006 / 1444 = 1 - 438 / 1444: the interval mirrors the false-positive rate's
  assertClose(metrics.specificity.low, 1 - fpRate["clopper-pearson"][1], "specificity low");
  assertClose(metrics.specificity.high, 1 - fpRate["clopper-pearson"][0], "specificity high");
  assert.deepEqual(metrics.accuracy, binomialCi(1198, 2086, "clopper-pearson"));
  assert.deepEqual(metrics.ppv, binomialCi(192, 630, "clopper-pearson"));
  assert.deepEqual(metrics.npv, binomialCi(1006, 1456, "clopper-pearson"));
  assert.equal(metrics.f1, 384 / (384 + 438 + 450));
});

Deno.test("diagnosticMetrics: empty denominators give NaN, bad counts throw", () => {
  const original = console.warn;
  const warnings: string[] = [];
  console.warn = (message: string) => warnings.push(message);
  let metrics;
  try {
    metrics = diagnosticMetrics({ tp: 0, fp: 0, tn: 5, fn: 0 });
  } finally {
    console.warn = original;
  }
  assert.ok(Number.isNaN(metrics.sensitivity.estimate) && Number.isNaN(metrics.ppv.low));
  assert.ok(Number.isNaN(metrics.f1));
  assert.equal(metrics.specificity.estimate, 1);
  assert.equal(warnings.length, 2); // sensitivity and PPV
  assert.throws(() => diagnosticMetrics({ tp: -1, fp: 0, tn: 5, fn: 0 }), /counts.tp/);
});
