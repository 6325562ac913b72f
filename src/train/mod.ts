/**
 * Training: exam sources (the prepared-exam cache or exams in memory), class-weighted
 * sampling, the cosine schedule, one resumable fraction/fold run, cross-validation over folds
 * and the label-fraction sweep (here, or as a Slurm job array), with predictions in the
 * evaluation schema; the run folder and its state have one owner (`run_folder.ts`).
 *
 * @example
 * ```ts ignore
 * import { cacheExamSource, runSweep } from "./mod.ts";
 * const source = await cacheExamSource("cache/rspect");
 * await runSweep({ base: {}, fractions: [0, 2.5, 100], folds: 5, source,
 *   outDir: "runs/rspect", backend: "wasm" });
 * ```
 */
export * from "./config.ts";
export * from "./exam_source.ts";
export * from "./cache_source.ts";
export * from "./marker_exams.ts";
export * from "./sampler.ts";
export * from "./schedule.ts";
export * from "./early_stopping.ts";
export * from "./batch.ts";
export * from "./evaluate_exams.ts";
export * from "./predictions.ts";
export * from "./predictions_table.ts";
export * from "./run_folder.ts";
export * from "./best_checkpoint.ts";
export * from "./run.ts";
export * from "./best_network.ts";
export * from "./sweep.ts";
export * from "./run_lock.ts";
export * from "./slurm_jobs.ts";
export * from "./slurm_sweep.ts";
export * from "./allocation_masks.ts";
export * from "./slice_scores.ts";
export * from "./profiles.ts";
export * from "./demo_folders.ts";
export * from "./allocation_experiment.ts";
