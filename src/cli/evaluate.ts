/**
 * `deno task evaluate`: predictions file -> metrics.json, metrics.csv, report.md/.html,
 * figures/ and run.json in the output folder (see docs/evaluation.md).
 *
 * @example
 * ```sh
 * deno task evaluate --predictions data-manifests/example-predictions.csv --out runs/eval \
 *   --threshold-split public --reference-fraction 100 --ci wilson
 * ```
 */
import { join } from "node:path";
import { z } from "zod";
import { writeJsonAtomic } from "../io/atomic.ts";
import { runRecord } from "../io/run_record.ts";
import { averageFolds } from "../predict/fold_average.ts";
import { evaluateSplits } from "../report/evaluation.ts";
import { CI_METHODS } from "../stats/mod.ts";
import { writeEvaluation } from "../report/outputs.ts";
import { readPredictions, SPLITS } from "../train/predictions_table.ts";
import { progressBar } from "../ui/progress.ts";
import { parseFlags } from "./flags.ts";

/** The flags of `evaluate`. */
const evaluateFlagsSchema = z.object({
  predictions: z.string({ error: "required: the predictions file (.csv or .parquet)" }),
  out: z.string({ error: "required: the output folder" }),
  thresholdSplit: z.enum(SPLITS).default("public"),
  referenceFraction: z.coerce.number().min(0).max(100).default(100),
  ci: z.enum(CI_METHODS).default("wilson"),
  figures: z.enum(["all", "html", "none"]).default("all"),
});

/**
 * Run the evaluation described by `args`.
 *
 * @example
 * ```ts ignore
 * await main(["--predictions", "preds.csv", "--out", "runs/eval", "--ci", "wilson"]);
 * ```
 */
export async function main(args: string[]): Promise<void> {
  const flags = parseFlags(args, evaluateFlagsSchema, "evaluate");
  const started = performance.now();
  const bar = progressBar("evaluate", 4);
  const table = readPredictions(flags.predictions);
  bar.update(1, "read");
  const splits = averageFolds(table);
  bar.update(2, "folds averaged");
  const evaluation = evaluateSplits(splits, {
    thresholdSplit: flags.thresholdSplit,
    referenceFraction: flags.referenceFraction,
    ciMethod: flags.ci,
    source: flags.predictions,
  });
  bar.update(3, "metrics");
  const written = await writeEvaluation(evaluation, splits, flags.out, {
    source: flags.predictions,
    figures: flags.figures !== "none",
    figureFormats: flags.figures === "all" ? ["png", "svg"] : [],
  });
  bar.done("written");
  for (const reason of evaluation.skipped) console.warn(`not evaluated: ${reason}`);
  if (written.figureError) console.warn(`figures: ${written.figureError}`);
  await writeJsonAtomic(join(flags.out, "run.json"), {
    ...runRecord("evaluate", flags, null),
    seconds: (performance.now() - started) / 1000,
    input: {
      rows: table.rows.length,
      splits: splits.map((s) => ({
        split: s.split,
        exams: s.examIds.length,
        positives: s.labels.reduce((a, b) => a + b, 0),
        fractions: s.fractions,
        folds: Object.fromEntries(s.folds),
      })),
    },
    thresholds: Object.fromEntries(evaluation.thresholds),
    skipped: evaluation.skipped,
    figureError: written.figureError,
    outputs: written.files,
  });
  console.log(
    `evaluate: ${evaluation.metrics.rows.length} metric rows, ${written.files.length} files in ${flags.out}`,
  );
}
