import assert from "node:assert/strict";
import { confusionCounts, youdenThreshold } from "../../src/stats/mod.ts";
import { assertClose, inputs, proc } from "./_reference.ts";

Deno.test("youdenThreshold is pROC's Youden-best threshold; ties -> the lowest of them", () => {
  inputs.rocCases.forEach((c, i) => {
    const expected = proc.roc[i];
    const best = youdenThreshold(c.scores, c.labels);
    // pROC lists every optimal threshold; the documented rule picks the lowest one.
    const lowest = expected.youdenThresholds.indexOf(Math.min(...expected.youdenThresholds));
    assertClose(best.threshold, expected.youdenThresholds[lowest], `${c.name}: threshold`, 1e-12);
    assertClose(best.sensitivity, expected.youdenSensitivity[lowest], `${c.name}: sensitivity`);
    assertClose(best.specificity, expected.youdenSpecificity[lowest], `${c.name}: specificity`);
    assertClose(best.j, best.sensitivity + best.specificity - 1, `${c.name}: j`, 1e-15);
  });
});

Deno.test("youdenThreshold: positive when score >= threshold, the point is reproducible", () => {
  const c = inputs.rocCases.find((x) => x.name === "large-5000")!;
  const best = youdenThreshold(c.scores, c.labels);
  const counts = confusionCounts(c.scores, c.labels, best.threshold);
  assert.equal(counts.tp / (counts.tp + counts.fn), best.sensitivity);
  assert.equal(counts.tn / (counts.tn + counts.fp), best.specificity);
});

Deno.test("youdenThreshold: tie rule and hand cases", () => {
  // Thresholds 0.25 and 0.65 both give J = 0.5; the lower one (higher sensitivity) wins.
  const tied = youdenThreshold([0.1, 0.4, 0.5, 0.9], [0, 1, 0, 1]);
  assert.deepEqual(tied, { threshold: 0.25, sensitivity: 1, specificity: 0.5, j: 0.5 });
  // Perfect separation: the midpoint of the gap.
  assert.equal(youdenThreshold([1, 2, 3, 4], [0, 0, 1, 1]).threshold, 2.5);
  // Nothing beats chance: J = 0, everything positive.
  const chance = youdenThreshold([0.9, 0.1], [0, 1]);
  assert.deepEqual(chance, { threshold: -Infinity, sensitivity: 1, specificity: 0, j: 0 });
  // Adjacent doubles: the threshold must still separate them.
  const a = 1;
  const b = 1 + Number.EPSILON;
  const near = youdenThreshold([a, b], [0, 1]);
  assert.ok(near.threshold > a && near.threshold <= b);
  assert.equal(near.j, 1);
});
