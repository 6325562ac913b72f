/**
 * The committed simulated example: reproducible from its seeded script, and its AUCs follow the
 * shape it was built to have (paper's private test: 0.68 at 0 %, ~0.93 from 27.5 %; central above
 * peripheral).
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { examplePredictionsCsv } from "../../data-manifests/make_example_predictions.ts";
import { averageFolds } from "../../src/predict/fold_average.ts";
import { evaluateSplits } from "../../src/report/evaluation.ts";
import { readPredictions } from "../../src/train/predictions_table.ts";

const path = fileURLToPath(
  new URL("../../data-manifests/example-predictions.csv", import.meta.url),
);

Deno.test("example-predictions.csv is exactly what its script makes with seed 20251125", () => {
  assert.equal(examplePredictionsCsv(20251125), Deno.readTextFileSync(path));
});

Deno.test("the example's private-test AUCs have the intended shape", () => {
  const splits = averageFolds(readPredictions(path));
  assert.deepEqual(splits.map((s) => [s.split, s.examIds.length]), [
    ["public", 642],
    ["private", 1444],
    ["external", 65],
  ]);
  const { rows } = evaluateSplits(splits, {
    thresholdSplit: "public",
    referenceFraction: 100,
    ciMethod: "wilson",
  }).metrics;
  const auc = (subset: string, fraction: number) =>
    rows.find((r) => r.split === "private" && r.subset === subset && r.fraction === fraction)!
      .auc;
  const near = (value: number, target: number) =>
    assert.ok(Math.abs(value - target) < 0.04, `${value} not near ${target}`);
  near(auc("all", 0), 0.68);
  near(auc("all", 2.5), 0.86);
  near(auc("all", 27.5), 0.93);
  near(auc("all", 100), 0.93);
  for (const fraction of [0, 2.5, 27.5, 100]) {
    assert.ok(auc("central", fraction) > auc("peripheral", fraction), `central at ${fraction} %`);
  }
});
