/**
 * `deno task predict`: PE probability of new CT studies with a trained run, no labels needed.
 * PATH (`--data`) is one series folder, one study folder or a tree of studies. Each series is
 * read and validated as in cleaning, prepared with the run's own preprocessing settings, and
 * scored by the fold ensemble of one label fraction (default: the run's best by public-split
 * AUC); the call uses Youden's threshold on the run's public predictions for those folds.
 * Outputs are described in src/train/predict_output.ts and docs/predict.md.
 *
 * @example
 * ```sh
 * deno task predict --run runs/rspect --data new-studies/ --out out/predict \
 *   [--fraction 27.5] [--folds all|0,1,2] [--backend auto|tensorflow|webgpu|wasm|cpu]
 * ```
 */
import { join } from "node:path";
import { z } from "zod";
import { findSeriesFolders, type SeriesLayout } from "../io/series_folders.ts";
import { backendPreferenceSchema, selectBackend } from "../model/backend.ts";
import {
  chooseOperatingPoint,
  type OperatingPoint,
  operatingPoints,
} from "../report/operating_point.ts";
import { readPredictions } from "../report/predictions.ts";
import { type ProgressBar, progressBar } from "../report/progress.ts";
import {
  loadFoldEnsemble,
  predictSeriesFolders,
  type SeriesFailure,
  type SeriesPrediction,
} from "../train/predict.ts";
import { examCall, PredictionWriter, type PredictThreshold } from "../train/predict_output.ts";
import { foldsFlag, parseFlags } from "./flags.ts";

/** The flags of `predict`. */
export const predictFlagsSchema = z.object({
  run: z.string({ error: "required: the run folder of `deno task train` / `sweep`" }),
  data: z.string({ error: "required: a series folder, a study folder or a folder of studies" }),
  out: z.string({ error: "required: the output folder" }),
  fraction: z.coerce.number().pipe(z.number().min(0, "below 0 %").max(100, "above 100 %"))
    .optional(),
  folds: foldsFlag("all"),
  backend: backendPreferenceSchema.default("auto"),
});

/** Validated flags of `predict`. */
export type PredictFlags = z.infer<typeof predictFlagsSchema>;

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
 * Predict every series under `flags.data` and write the outputs; the backend must be selected.
 *
 * @example
 * ```ts
 * import { predictFlagsSchema, runPredict } from "./predict.ts";
 * const summary = await runPredict(predictFlagsSchema.parse({
 *   run: "runs/rspect", data: "new-studies", out: "out/predict",
 * }), { backend: "wasm" });
 * summary.predictions[0].examProbability;
 * ```
 */
export async function runPredict(
  flags: PredictFlags,
  options: {
    backend: string;
    command?: string;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<PredictSummary> {
  const found = await findSeriesFolders(flags.data);
  let fractionPercent = flags.fraction;
  if (fractionPercent === undefined) {
    const points = runOperatingPoints(flags.run);
    if (typeof points === "string") throw new Error(`${points}; fix: pass --fraction`);
    fractionPercent = chooseOperatingPoint(points).fractionPercent;
  }
  const ensemble = await loadFoldEnsemble(flags.run, fractionPercent, flags.folds);
  try {
    const folds = ensemble.models.map((m) => m.fold);
    const points = runOperatingPoints(flags.run, folds);
    const point = typeof points === "string"
      ? null
      : points.find((p) => p.fractionPercent === fractionPercent) ?? null;
    // Youden's J = 0 (no threshold beats chance) gives -Infinity: no usable threshold.
    const usable = point !== null && point.threshold !== null && Number.isFinite(point.threshold);
    const threshold: PredictThreshold | null = usable
      ? {
        value: point!.threshold!,
        split: point!.split,
        folds: point!.folds,
        auc: point!.auc!,
        sensitivity: point!.sensitivity!,
        specificity: point!.specificity!,
      }
      : null;
    const thresholdNote = threshold !== null
      ? null
      : typeof points === "string"
      ? points
      : point === null
      ? `no public predictions for fraction ${fractionPercent} % and folds ${folds.join(", ")}`
      : point.note ??
        `Youden's J is 0 on the ${point.split} split (no threshold beats chance): no call`;
    const writer = new PredictionWriter(flags.out, {
      runDir: flags.run,
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
        flags,
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
      outDir: flags.out,
    };
  } finally {
    ensemble.dispose();
  }
}

/** Run `predict` as described by `args`. */
export async function main(args: string[]): Promise<void> {
  const flags = parseFlags(args, predictFlagsSchema, "predict");
  const backend = await selectBackend(flags.backend); // logs the choice and its reason
  let bar: ProgressBar | null = null;
  const summary = await runPredict(flags, {
    backend: backend.name,
    command: `predict ${args.join(" ")}`,
    onProgress: (done, total) => {
      bar ??= progressBar("predict", total);
      bar.update(done);
    },
  });
  (bar as ProgressBar | null)?.done();
  const { threshold } = summary;
  console.log(
    `fraction ${summary.fractionPercent} %, folds ${summary.folds.join(", ")}; threshold ${
      threshold === null
        ? `none (${summary.thresholdNote})`
        : `${threshold.value.toPrecision(4)} (Youden on ${threshold.split}, AUC ${
          threshold.auc.toFixed(3)
        })`
    }`,
  );
  for (const p of summary.predictions) {
    const call =
      ["", " no PE", " PE"][(examCall(p.examProbability, threshold?.value ?? null) ?? -1) + 1];
    const warn = p.warnings.length > 0 ? ` [${p.warnings.join("; ")}]` : "";
    console.log(`  ${p.studyUid}: ${p.examProbability.toFixed(4)}${call}${warn}`);
  }
  for (const f of summary.failures) {
    console.log(`  ${f.studyUid}: failed, ${f.reason}: ${f.detail}`);
  }
  console.log(
    `${summary.layout}: ${summary.predictions.length} predicted, ${summary.failures.length} failed -> ${summary.outDir} (predictions.csv, slices.csv, studies/, run.json)`,
  );
}
