/**
 * The predict stage: a trained run applied to new studies. The fold ensemble of one label
 * fraction, its operating point (fold-averaged AUC and Youden's threshold on the run's public
 * predictions), every series read, validated, prepared with the run's settings and scored, and
 * the outputs written one study at a time.
 *
 * @example
 * ```ts ignore
 * import { runPredict } from "./mod.ts";
 * const summary = await runPredict(
 *   { run: "runs/demo", data: "new-studies", out: "out/predict", folds: "all" },
 *   { backend: "wasm" },
 * );
 * console.log(summary.threshold?.value, summary.predictions.length);
 * ```
 */
export * from "./fold_average.ts";
export * from "./operating_point.ts";
export * from "./fold_ensemble.ts";
export * from "./series.ts";
export * from "./output.ts";
export * from "./predict_studies.ts";
