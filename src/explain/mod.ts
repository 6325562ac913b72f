/**
 * The explain stage: where a trained network looks. Grad-CAM of a prepared exam carried back to
 * its source voxels (any data), measures of where a map puts its mass, the operating threshold
 * for "detected", and, on the synthetic phantom only, the comparison with the truth's clots per
 * label fraction and the `explain.json` record of it. Figures are drawn by
 * src/report/explain_figures.ts.
 *
 * @example
 * ```ts ignore
 * import { readTruth } from "../data/phantom/truth.ts";
 * import { explainRun, runThreshold } from "./mod.ts";
 * const runDir = "runs/demo/fraction-27.5/fold-0";
 * const result = await explainRun({
 *   runDir, cacheDir: "cache/demo", truth: await readTruth("data/demo/truth.json"),
 *   options: { threshold: runThreshold(`${runDir}/predictions.csv`).threshold },
 * });
 * console.log(result.exams.filter((e) => e.detected).map((e) => e.massInside));
 * ```
 */
export * from "./measure.ts";
export * from "./source_cam.ts";
export * from "./threshold.ts";
export * from "./mass_summary.ts";
export * from "./phantom_truth.ts";
export * from "./explain_file.ts";
