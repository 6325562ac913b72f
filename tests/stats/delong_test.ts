import assert from "node:assert/strict";
import {
  type DelongAuc,
  delongAuc,
  delongPairedTest,
  delongUnpairedTest,
  type PairedDelong,
  StatsInputError,
} from "../../src/stats/mod.ts";
import { assertClose, inputs, proc, rocCase } from "./_reference.ts";

/** Runs fn with console.warn captured; returns the warnings. */
function captureWarnings(fn: () => void): string[] {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => warnings.push(args.join(" "));
  try {
    fn();
  } finally {
    console.warn = original;
  }
  return warnings;
}

Deno.test("delongAuc matches pROC var() and ci.auc(method='delong') at 95 % and 90 %", () => {
  inputs.rocCases.forEach((c, i) => {
    const expected = proc.roc[i];
    let result95: DelongAuc | undefined;
    let result90: DelongAuc | undefined;
    const warnings = captureWarnings(() => {
      result95 = delongAuc(c.scores, c.labels);
      result90 = delongAuc(c.scores, c.labels, { level: 0.9 });
    });
    // pROC: NA for fewer than two cases or controls; here NaN with a warning.
    assert.equal(warnings.length, Number.isNaN(expected.variance) ? 2 : 0, c.name);
    assert.ok(result95 && result90);
    assertClose(result95.auc, expected.auc, `${c.name}: auc`);
    assertClose(result95.variance, expected.variance, `${c.name}: variance`, 1e-9, true);
    assertClose(result95.low, expected.ci95[0], `${c.name}: 95 % low`);
    assertClose(result95.high, expected.ci95[2], `${c.name}: 95 % high`);
    assertClose(result90.low, expected.ci90[0], `${c.name}: 90 % low`);
    assertClose(result90.high, expected.ci90[2], `${c.name}: 90 % high`);
  });
});

Deno.test("delongAuc clips to [0, 1] by default and not with clip: false", () => {
  const c = rocCase("small-ties"); // pROC's upper 95 % limit is clipped to 1 here
  const clipped = delongAuc(c.scores, c.labels);
  const raw = delongAuc(c.scores, c.labels, { clip: false });
  assert.equal(clipped.high, 1);
  assert.ok(raw.high > 1);
  assertClose(raw.high - raw.auc, raw.auc - raw.low, "symmetric unclipped interval");
  assertClose(raw.high - raw.auc, 1.959963984540054 * Math.sqrt(raw.variance), "half-width");
  assert.throws(() => delongAuc(c.scores, c.labels, { level: 95 }), StatsInputError);
});

Deno.test("delongPairedTest matches pROC roc.test(paired = TRUE, method = 'delong')", () => {
  inputs.pairedCases.forEach((c, i) => {
    const expected = proc.paired[i];
    const result = delongPairedTest(c.scoresA, c.scoresB, c.labels);
    assertClose(result.aucA, expected.aucA, `${c.name}: aucA`);
    assertClose(result.aucB, expected.aucB, `${c.name}: aucB`);
    assertClose(result.difference, expected.aucA - expected.aucB, `${c.name}: difference`);
    assertClose(result.z, expected.z, `${c.name}: z`);
    assertClose(result.p, expected.p, `${c.name}: p`, 1e-9, expected.p < 1e-3);
  });
});

Deno.test("delongPairedTest: degenerate variance gives z = 0, p = 1 or z = +-Inf, p = 0", () => {
  const labels = [0, 0, 0, 1, 1, 1];
  const same = delongPairedTest([1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6], labels);
  assert.deepEqual([same.variance, same.z, same.p], [0, 0, 1]);
  // Both perfectly separating: AUC 1 and 1, variance 0.
  const perfect = delongPairedTest([1, 2, 3, 4, 5, 6], [3, 1, 2, 6, 4, 5], labels);
  assert.deepEqual([perfect.difference, perfect.z, perfect.p], [0, 0, 1]);
  // AUC 1 against AUC 0: both variances 0 but the AUCs differ.
  const apart = delongPairedTest([1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1], labels);
  assert.deepEqual([apart.difference, apart.z, apart.p], [1, Infinity, 0]);
});

Deno.test("delongUnpairedTest matches pROC roc.test(paired = FALSE, method = 'delong')", () => {
  inputs.unpairedCases.forEach((c, i) => {
    const expected = proc.unpaired[i];
    const a = rocCase(c.a);
    const b = rocCase(c.b);
    const result = delongUnpairedTest(a.scores, a.labels, b.scores, b.labels);
    const what = `${c.a} vs ${c.b}`;
    assertClose(result.aucA, expected.aucA, `${what}: aucA`);
    assertClose(result.aucB, expected.aucB, `${what}: aucB`);
    assertClose(result.z, expected.z, `${what}: D`);
    assertClose(result.df, expected.df, `${what}: df`, 1e-9, true);
    assertClose(result.p, expected.p, `${what}: p`);
  });
});

Deno.test("delongUnpairedTest: degenerate variance follows the paired rule (pROC: NaN)", () => {
  const equal = delongUnpairedTest([1, 2, 3, 4], [0, 0, 1, 1], [1, 2, 3, 4, 5], [0, 0, 0, 1, 1]);
  assert.deepEqual([equal.aucA, equal.aucB, equal.z, equal.p], [1, 1, 0, 1]);
  assert.ok(Number.isNaN(equal.df));
  const apart = delongUnpairedTest([1, 2, 3, 4], [0, 0, 1, 1], [5, 4, 3, 2, 1], [0, 0, 1, 1, 1]);
  assert.deepEqual([apart.aucA, apart.aucB, apart.z, apart.p], [1, 0, Infinity, 0]);
});

Deno.test("DeLong with one positive: NaN and a warning, like pROC's NA", () => {
  let result: PairedDelong | undefined;
  const warnings = captureWarnings(() => {
    result = delongPairedTest([0.1, 0.2, 0.9], [0.3, 0.1, 0.5], [0, 0, 1]);
  });
  assert.equal(warnings.length, 1);
  assert.ok(result);
  assert.equal(result.aucA, 1);
  assert.ok(Number.isNaN(result.z) && Number.isNaN(result.p));
});

Deno.test("DeLong rejects bad input with StatsInputError", () => {
  assert.throws(() => delongAuc([0.1, 0.2], [1, 1]), StatsInputError);
  assert.throws(() => delongPairedTest([0.1, 0.2], [0.1], [0, 1]), StatsInputError);
  assert.throws(() => delongUnpairedTest([0.1, NaN], [0, 1], [0.1, 0.2], [0, 1]), /scoresA/);
});
