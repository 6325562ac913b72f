/**
 * The report stage: fold-averaged predictions -> evaluation metrics, tables, Plotly figure specs
 * and their static export; the study report with the paper's numbers beside the run's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { averageFolds } from "../predict/fold_average.ts";
 * import { readPredictions } from "../train/predictions_table.ts";
 * import { evaluateSplits } from "./mod.ts";
 * const splits = averageFolds(readPredictions("data-manifests/example-predictions.csv"));
 * const evaluation = evaluateSplits(splits, {
 *   thresholdSplit: "public", referenceFraction: 100, ciMethod: "wilson",
 * });
 * assert.ok(evaluation.metrics.rows.length > 0);
 * // then writeEvaluation(evaluation, splits, "out", { source: "example" }) writes the files
 * ```
 */
export * from "./evaluation.ts";
export * from "./curves.ts";
export * from "./figures.ts";
export * from "./tables.ts";
export * from "./outputs.ts";
export * from "./export.ts";
export * from "./style.ts";
export * from "./image_grids.ts";
export * from "./preprocess_figures.ts";
export * from "./training_figures.ts";
export * from "./predict_figures.ts";
export * from "./explain_figures.ts";
export * from "./data_figures.ts";
