/**
 * Speed of the `evaluate` core without figure export: read a predictions CSV of 11 fractions x
 * 5 folds x 3,000 exams (165,000 rows; simulated), validate it, average folds, compute every
 * metric (thresholds, DeLong AUCs and paired tests, binomial CIs, Holm) and write metrics.json,
 * metrics.csv, report.md and report.html. Target: under 2 s.
 *
 * @example
 * ```sh
 * RUST_BACKTRACE=0 NO_COLOR=1 deno bench -A bench/evaluate_bench.ts
 * ```
 */
import { join } from "node:path";
import { examplePredictionsCsv } from "../data-manifests/make_example_predictions.ts";
import { averageFolds } from "../src/predict/fold_average.ts";
import { evaluateSplits } from "../src/report/evaluation.ts";
import { writeEvaluation } from "../src/report/outputs.ts";
import { readPredictions } from "../src/train/predictions_table.ts";

const dir = await Deno.makeTempDir({ prefix: "evaluate-bench-" });
const csv = join(dir, "predictions.csv");
await Deno.writeTextFile(
  csv,
  examplePredictionsCsv(7, [
    { split: "public", prefix: "pub", exams: 900, positives: 270, central: 54 },
    { split: "private", prefix: "prv", exams: 2000, positives: 600, central: 120 },
    { split: "external", prefix: "ext", exams: 100, positives: 58, central: null },
  ]),
);
globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));

Deno.bench({
  name: "evaluate core: 11 fractions x 5 folds x 3,000 exams (no figures)",
  n: 5,
  warmup: 1,
  async fn() {
    const splits = averageFolds(readPredictions(csv));
    const evaluation = evaluateSplits(splits, {
      thresholdSplit: "public",
      referenceFraction: 100,
      ciMethod: "wilson",
    });
    await writeEvaluation(evaluation, splits, join(dir, "out"), { source: csv, figures: false });
  },
});
