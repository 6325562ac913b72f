import assert from "node:assert/strict";
import { auc, rocCurve } from "../../src/stats/mod.ts";
import { assertClose, inputs, proc, statsmodels } from "./_reference.ts";

Deno.test("auc matches pROC and scikit-learn on every reference case", () => {
  inputs.rocCases.forEach((c, i) => {
    const value = auc(c.scores, c.labels);
    assertClose(value, proc.roc[i].auc, `${c.name}: pROC auc`);
    assertClose(value, statsmodels.roc[i].auc, `${c.name}: roc_auc_score`);
  });
});

Deno.test("auc: exact values on hand cases (ties count 1/2, AUC below 0.5 kept)", () => {
  assert.equal(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 0.75);
  assert.equal(auc([0.5, 0.5], [0, 1]), 0.5);
  assert.equal(auc([0.9, 0.1], [0, 1]), 0);
  assert.equal(auc(new Float64Array([-0, 0, 1]), [1, 0, 1]), 0.75); // -0 ties with 0
});

Deno.test("rocCurve matches scikit-learn roc_curve(drop_intermediate=False)", () => {
  inputs.rocCases.forEach((c, i) => {
    const roc = rocCurve(c.scores, c.labels);
    const expected = statsmodels.roc[i];
    assert.equal(roc.fpr.length, expected.fpr.length, `${c.name}: number of points`);
    assert.equal(roc.thresholds[0], Infinity);
    for (let k = 0; k < roc.fpr.length; k++) {
      assertClose(roc.fpr[k], expected.fpr[k], `${c.name}: fpr[${k}]`);
      assertClose(roc.tpr[k], expected.tpr[k], `${c.name}: tpr[${k}]`);
      if (k > 0) assert.equal(roc.thresholds[k], expected.thresholds[k], `${c.name}: thr[${k}]`);
    }
  });
});

Deno.test("rocCurve runs from (0,0) to (1,1) and its trapezoid area is the AUC", () => {
  const c = inputs.rocCases.find((x) => x.name === "rounded-probabilities-1000")!;
  const roc = rocCurve(c.scores, c.labels);
  const last = roc.fpr.length - 1;
  assert.deepEqual([roc.fpr[0], roc.tpr[0], roc.fpr[last], roc.tpr[last]], [0, 0, 1, 1]);
  let area = 0;
  for (let k = 1; k <= last; k++) {
    area += (roc.fpr[k] - roc.fpr[k - 1]) * (roc.tpr[k] + roc.tpr[k - 1]) / 2;
  }
  assertClose(area, auc(c.scores, c.labels), "trapezoid area");
});
