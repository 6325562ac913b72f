import assert from "node:assert/strict";
import { cumulativeStdNormalProbability, probit } from "simple-statistics";
import { normalCdf, normalQuantile } from "../../src/stats/mod.ts";
import { assertClose, inputs, proc } from "./_reference.ts";

// A few units in the last place.
const ULPS = 4e-16;

Deno.test("normalCdf matches R pnorm to ~1e-15 relative, tails included", () => {
  inputs.normalX.forEach((x, i) => {
    assertClose(normalCdf(x), proc.pnorm[i], `pnorm(${x})`, ULPS, true);
  });
});

Deno.test("normalQuantile matches R qnorm to ~1e-15 relative", () => {
  inputs.normalP.forEach((p, i) => {
    const expected = proc.qnorm[i];
    if (expected === 0) assert.equal(normalQuantile(p), 0);
    else assertClose(normalQuantile(p), expected, `qnorm(${p})`, ULPS, true);
  });
});

Deno.test("normalQuantile inverts normalCdf", () => {
  // Upper-tail probabilities near 1 carry only absolute precision, so x stays moderate there.
  for (const x of [-30, -8, -3, -1, -0.2, 0.2, 1, 2]) {
    assertClose(normalQuantile(normalCdf(x)), x, `qnorm(pnorm(${x}))`, 1e-13, true);
  }
});

Deno.test("normal functions at the edges", () => {
  assert.ok(Number.isNaN(normalCdf(NaN)));
  assert.equal(normalCdf(-Infinity), 0);
  assert.equal(normalCdf(Infinity), 1);
  assert.equal(normalQuantile(0), -Infinity);
  assert.equal(normalQuantile(1), Infinity);
  assert.ok(Number.isNaN(normalQuantile(-0.1)));
  assert.ok(Number.isNaN(normalQuantile(1.1)));
  assert.ok(Number.isNaN(normalQuantile(NaN)));
});

Deno.test("simple-statistics' normal table is too coarse for p-values and CIs", () => {
  // Its CDF is a 4-decimal z table and its probit an approximation: errors of 1e-5 to 1e-3,
  // against ~1e-16 here, which is why the stage computes its own normal distribution.
  let tableError = 0;
  let ownError = 0;
  inputs.normalX.forEach((x, i) => {
    if (Math.abs(x) > 3) return;
    tableError = Math.max(tableError, Math.abs(cumulativeStdNormalProbability(x) - proc.pnorm[i]));
    ownError = Math.max(ownError, Math.abs(normalCdf(x) - proc.pnorm[i]));
  });
  assert.ok(tableError > 1e-5, `table error ${tableError}`);
  assert.ok(ownError < 1e-15, `own error ${ownError}`);
  const z975 = proc.qnorm[inputs.normalP.indexOf(0.975)];
  assert.ok(Math.abs(probit(0.975) - z975) > 1e-4);
  assert.ok(Math.abs(normalQuantile(0.975) - z975) < 1e-15);
});
