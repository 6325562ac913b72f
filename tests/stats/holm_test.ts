import assert from "node:assert/strict";
import { holmAdjust, StatsInputError } from "../../src/stats/mod.ts";
import { assertClose, inputs, proc, statsmodels } from "./_reference.ts";

Deno.test("holmAdjust matches R p.adjust('holm') and statsmodels multipletests", () => {
  inputs.holmSets.forEach((p, i) => {
    const adjusted = holmAdjust(p);
    adjusted.forEach((value, k) => {
      assertClose(value, proc.holm[i][k], `set ${i} [${k}] vs R`, 1e-12);
      assertClose(value, statsmodels.holm[i][k], `set ${i} [${k}] vs statsmodels`, 1e-12);
    });
  });
});

Deno.test("holmAdjust: missing p-values pass through and are not counted (R's NA rule)", () => {
  inputs.holmWithMissing.forEach((p, i) => {
    holmAdjust(p).forEach((value, k) => {
      assertClose(value, proc.holmWithMissing[i][k], `missing set ${i} [${k}]`, 1e-12);
    });
  });
  assert.deepEqual(holmAdjust([0.01, undefined, NaN]), [0.01, NaN, NaN]);
  assert.deepEqual(holmAdjust([]), []);
  assert.throws(() => holmAdjust([0.1, 1.5]), StatsInputError);
});
