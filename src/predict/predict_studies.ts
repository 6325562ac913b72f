/**
 * Prediction on new CT studies with a trained run, no labels needed: every series under a path
 * (one series folder, one study folder or a tree of studies) is read and validated as in
 * cleaning, prepared with the run's own preprocessing settings, and scored by the fold ensemble
 * of one label fraction (default: the run's best by public-split AUC); the call uses Youden's
 * threshold on the run's public predictions for those folds. `deno task predict` and notebook 06
 * run it; the outputs are described in output.ts and docs/predict.md.
 *
 * @example
 * ```ts ignore
 * import { runPredict } from "./predict_studies.ts";
 * const summary = await runPredict(
 *   { run: "runs/demo", data: "data/demo/1.2.3", out: "out/predict", folds: "all" },
 *   { backend: "wasm" },
 * );
 * console.log(summary.fractionPercent, summary.threshold?.value, summary.predictions.length);
 * ```
 */
import { join } from "node:path";
import { findSeriesFolders, type SeriesLayout } from "../io/series_folders.ts";
import { readPredictions } from "../train/predictions_table.ts";
import { loadFoldEnsemble } from "./fold_ensemble.ts";
import {
  chooseOperatingPoint,
  ensembleThreshold,
  type OperatingPoint,
  operatingPoints,
} from "./operating_point.ts";
import { PredictionWriter, type PredictThreshold } from "./output.ts";
import { predictSeriesFolders, type SeriesFailure, type SeriesPrediction } from "./series.ts";

/** What to predict: the run, the studies, where the outputs go, which fraction and folds. */
export interface PredictRequest {
  /** The run folder of `deno task train` / `sweep`. */
  run: string;
  /** A series folder, a study folder or a folder of studies. */
  data: string;
  /** The output folder. */
  out: string;
  /** Label fraction (percent) of the ensemble; default the run's best by public AUC. */
  fraction?: number;
  /** The folds of the ensemble: every finished one, or a list. */
  folds: "all" | readonly number[];
}

/** What {@link runPredict} did. */
export interface PredictSummary {
  layout: SeriesLayout;
  fractionPercent: number;
  folds: number[];
  threshold: PredictThreshold | null;
  /** Why there is no threshold (null when there is one). */
  thresholdNote: string | null;
  predictions: SeriesPrediction[];
  failures: SeriesFailure[];
  outDir: string;
}

/** The run's operating points over `folds` (every fold when omitted), or why there are none. */
function runOperatingPoints(
  runDir: string,
  folds?: readonly number[],
): OperatingPoint[] | string {
  const path = join(runDir, "predictions.csv");
  try {
    Deno.statSync(path);
  } catch {
    return `${path} is missing: no public predictions to choose a fraction or a threshold`;
  }
  return operatingPoints(readPredictions(path), { folds });
}

/**
 * Predict every series under `request.data` and write the outputs (see output.ts); the backend
 * must be selected. The request is recorded in `run.json` as given.
 *
 * @example
 * ```ts ignore
 * import { runPredict } from "./predict_studies.ts";
 * const summary = await runPredict(
 *   { run: "runs/rspect", data: "new-studies", out: "out/predict", folds: "all" },
 *   { backend: "wasm" },
 * );
 * summary.predictions[0].examProbability;
 * ```
 */
export async function runPredict(
  request: PredictRequest,
  options: {
    backend: string;
    command?: string;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<PredictSummary> {
  const found = await findSeriesFolders(request.data);
  let fractionPercent = request.fraction;
  if (fractionPercent === undefined) {
    const points = runOperatingPoints(request.run);
    if (typeof points === "string") throw new Error(`${points}; fix: pass --fraction`);
    fractionPercent = chooseOperatingPoint(points).fractionPercent;
  }
  const ensemble = await loadFoldEnsemble(request.run, fractionPercent, request.folds);
  try {
    const folds = ensemble.models.map((m) => m.fold);
    const { threshold, note: thresholdNote } = ensembleThreshold(
      runOperatingPoints(request.run, folds),
      fractionPercent,
      folds,
    );
    const writer = new PredictionWriter(request.out, {
      runDir: request.run,
      fractionPercent,
      folds,
      threshold,
    });
    const failures: SeriesFailure[] = found.empty.map((e) => ({
      studyUid: e.dir.split(/[\\/]/).at(-2) ?? e.dir,
      seriesUid: e.dir.split(/[\\/]/).at(-1) ?? e.dir,
      seriesDir: e.dir,
      reason: "no-series",
      detail: e.reason,
    }));
    for (const failure of failures) await writer.add(failure);
    const result = await predictSeriesFolders(ensemble, found.series, {
      onProgress: options.onProgress,
      onSeries: async (outcome) => {
        await writer.add(outcome);
      },
    });
    await writer.finish({
      command: options.command ?? "predict",
      backend: options.backend,
      extra: {
        flags: request,
        layout: found.layout,
        skippedFolds: ensemble.skippedFolds,
        bestEpochs: ensemble.models.map((m) => ({ fold: m.fold, epoch: m.epoch })),
        preprocess: { configHash: ensemble.preprocessHash, config: ensemble.preprocess },
        trainedBackends: ensemble.trainedBackends,
        thresholdNote,
      },
    });
    return {
      layout: found.layout,
      fractionPercent,
      folds,
      threshold,
      thresholdNote,
      predictions: result.predictions,
      failures: [...failures, ...result.failures],
      outDir: request.out,
    };
  } finally {
    ensemble.dispose();
  }
}
