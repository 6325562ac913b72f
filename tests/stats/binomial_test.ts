import assert from "node:assert/strict";
import { binomialCi, type CiMethod, StatsInputError } from "../../src/stats/mod.ts";
import { assertClose, statsmodels } from "./_reference.ts";

const METHODS: CiMethod[] = ["wilson", "clopper-pearson", "wald", "agresti-coull", "jeffreys"];

Deno.test("binomialCi matches statsmodels proportion_confint for all five methods", () => {
  for (const row of statsmodels.proportions) {
    for (const method of METHODS) {
      const ci = binomialCi(row.count, row.nobs, method, 1 - row.alpha);
      const what = `${method} ${row.count}/${row.nobs} alpha ${row.alpha}`;
      assert.equal(ci.estimate, row.count / row.nobs);
      assertClose(ci.low, row[method][0], `${what}: low`);
      assertClose(ci.high, row[method][1], `${what}: high`);
    }
  }
});

Deno.test("binomialCi defaults to Wilson at 95 %", () => {
  assert.deepEqual(binomialCi(40, 50), binomialCi(40, 50, "wilson", 0.95));
  const ci = binomialCi(40, 50);
  assert.ok(ci.low < 0.8 && ci.high > 0.8);
});

Deno.test("binomialCi: 0/0 is NaN with a warning, bad input throws", () => {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (message: string) => warnings.push(message);
  let ci;
  try {
    ci = binomialCi(0, 0);
  } finally {
    console.warn = original;
  }
  assert.ok(Number.isNaN(ci.estimate) && Number.isNaN(ci.low) && Number.isNaN(ci.high));
  assert.equal(warnings.length, 1);
  assert.throws(() => binomialCi(5, 3), StatsInputError);
  assert.throws(() => binomialCi(1.5, 3), StatsInputError);
  assert.throws(() => binomialCi(1, 3, "exact" as CiMethod), /unknown CI method/);
  assert.throws(() => binomialCi(1, 3, "wilson", 1), StatsInputError);
});
