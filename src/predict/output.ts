/**
 * What `deno task predict` writes, one study at a time, every file atomically:
 *
 * ```
 * OUT/studies/<study_uid>.json  one per study: exam probability (mean and per fold), threshold
 *                               and call, slice probabilities (resampled grid and source
 *                               slices), lung VOI, warnings; or the failure's reason
 * OUT/predictions.csv           one row per study (predicted or failed)
 * OUT/slices.csv                one row per source slice of every predicted study
 * OUT/run.json                  run record: flags, run folder, fraction, folds, threshold,
 *                               preprocessing hash, backend, counts, seconds
 * ```
 *
 * The call is 1 when the exam probability >= the threshold (Youden on the run's public
 * predictions), 0 below it, empty without a threshold. A study with several series writes one
 * JSON per series, the later ones named `<study_uid>_<series_uid>.json`.
 *
 * @example
 * ```ts ignore
 * import { PredictionWriter } from "./output.ts";
 * const writer = new PredictionWriter("out/predict", {
 *   runDir: "runs/rspect", fractionPercent: 27.5, folds: [0, 1, 2, 3, 4], threshold: null,
 * });
 * // await writer.add(outcome) for each series, then:
 * // await writer.finish({ command: "predict ...", backend: "wasm", extra: {} });
 * ```
 */
import { join } from "node:path";
import { z } from "zod";
import { formatCsv, runRecord, writeJsonAtomic, writeTextAtomic } from "../io/mod.ts";
import type { SeriesFailure, SeriesPrediction } from "./series.ts";

/** The threshold applied to the exam probability, and where it comes from. */
export const predictThresholdSchema = z.object({
  value: z.number(),
  /** The split it was chosen on (Youden's J). */
  split: z.string(),
  /** Folds averaged on that split (the ensemble's folds). */
  folds: z.array(z.number().int()),
  auc: z.number(),
  sensitivity: z.number(),
  specificity: z.number(),
});
/** The threshold applied to the exam probability. */
export type PredictThreshold = z.infer<typeof predictThresholdSchema>;

/** The settings shared by every study of one predict run. */
export interface PredictContext {
  runDir: string;
  fractionPercent: number;
  /** Folds of the ensemble (their probabilities are averaged). */
  folds: number[];
  /** null when the run's public predictions give none (the call is then left empty). */
  threshold: PredictThreshold | null;
}

/** `studies/<study_uid>.json`. */
export const studyPredictionFileSchema = z.object({
  format: z.literal("pe-fewer-labels/study-prediction"),
  studyUid: z.string(),
  seriesUid: z.string(),
  seriesDir: z.string(),
  status: z.enum(["predicted", "failed"]),
  runDir: z.string(),
  fractionPercent: z.number(),
  /** Mean over the folds; null for a failed study. */
  examProbability: z.number().nullable(),
  foldProbabilities: z.array(z.object({ fold: z.number().int(), probability: z.number() })),
  threshold: predictThresholdSchema.nullable(),
  /** 1 when examProbability >= threshold.value, 0 below; null without either. */
  call: z.union([z.literal(0), z.literal(1)]).nullable(),
  /** [D] resampled slices: mean over folds. */
  sliceProbabilities: z.array(z.number()),
  /** Per fold: [D] resampled slices. */
  foldSliceProbabilities: z.array(
    z.object({ fold: z.number().int(), probabilities: z.array(z.number()) }),
  ),
  /** Source slices in volume order; probability = max over the covering resampled slices. */
  sourceSlices: z.array(z.object({
    sopInstanceUid: z.string(),
    zPosition: z.number(),
    outputSlices: z.tuple([z.number().int(), z.number().int()]).nullable(),
    probability: z.number().nullable(),
  })),
  /** The preparation record (VOI, lung slices, crop, spacings, source intervals); null if failed. */
  preparation: z.unknown(),
  warnings: z.array(z.string()),
  reason: z.string().nullable(),
  detail: z.string().nullable(),
  seconds: z.object({ read: z.number(), prepare: z.number(), model: z.number() }).nullable(),
});
/** `studies/<study_uid>.json`. */
export type StudyPredictionFile = z.infer<typeof studyPredictionFileSchema>;

/** Columns of slices.csv. */
export const SLICE_COLUMNS = [
  "study_uid",
  "series_uid",
  "sop_instance_uid",
  "slice_index",
  "z_position",
  "output_first",
  "output_last",
  "probability",
];

/**
 * The call at a threshold: 1 when probability >= threshold, 0 below, null without either.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { examCall } from "./output.ts";
 * assert.equal(examCall(0.4, 0.4), 1);
 * assert.equal(examCall(0.39, 0.4), 0);
 * assert.equal(examCall(0.9, null), null);
 * ```
 */
export function examCall(probability: number | null, threshold: number | null): 0 | 1 | null {
  if (probability === null || threshold === null) return null;
  return probability >= threshold ? 1 : 0;
}

/** A file-name-safe form of a UID (anything but letters, digits, '.', '-', '_' becomes '_'). */
function safeName(uid: string): string {
  const name = uid.replace(/[^A-Za-z0-9._-]/g, "_");
  return name.startsWith(".") || name === "" ? `_${name}` : name;
}

/**
 * Writes a predict run's outputs: `add` each series outcome as it comes (its JSON is written at
 * once), `finish` writes the tables and the run record.
 *
 * @example
 * ```ts
 * import { PredictionWriter } from "./output.ts";
 * const writer = new PredictionWriter(await Deno.makeTempDir(), {
 *   runDir: "runs/x", fractionPercent: 100, folds: [0], threshold: null,
 * });
 * await writer.finish({ command: "predict", backend: "wasm", extra: {} });
 * ```
 */
export class PredictionWriter {
  private readonly rows: unknown[][] = [];
  private readonly sliceRows: unknown[][] = [];
  private readonly names = new Set<string>();
  private readonly started = performance.now();
  /** Studies predicted and failed so far. */
  readonly counts = { predicted: 0, failed: 0, warned: 0 };

  constructor(readonly outDir: string, readonly context: PredictContext) {}

  /** Columns of predictions.csv (one probability column per fold). */
  get predictionColumns(): string[] {
    return [
      "study_uid",
      "series_uid",
      "status",
      "probability",
      ...this.context.folds.map((k) => `probability_fold_${k}`),
      "threshold",
      "call",
      "fraction",
      "warnings",
      "reason",
      "detail",
      "series_dir",
    ];
  }

  /** Record one series' outcome and write its JSON; returns the JSON's path and content. */
  async add(
    outcome: SeriesPrediction | SeriesFailure,
  ): Promise<{ path: string; file: StudyPredictionFile }> {
    const { context } = this;
    const predicted = "examProbability" in outcome;
    let name = safeName(outcome.studyUid);
    if (this.names.has(name)) name = `${name}_${safeName(outcome.seriesUid)}`;
    this.names.add(name);
    const threshold = context.threshold?.value ?? null;
    const file: StudyPredictionFile = {
      format: "pe-fewer-labels/study-prediction",
      studyUid: outcome.studyUid,
      seriesUid: outcome.seriesUid,
      seriesDir: outcome.seriesDir,
      status: predicted ? "predicted" : "failed",
      runDir: context.runDir,
      fractionPercent: context.fractionPercent,
      examProbability: predicted ? outcome.examProbability : null,
      foldProbabilities: predicted
        ? outcome.folds.map((f) => ({ fold: f.fold, probability: f.examProbability }))
        : [],
      threshold: context.threshold,
      call: examCall(predicted ? outcome.examProbability : null, threshold),
      sliceProbabilities: predicted ? outcome.sliceProbabilities : [],
      foldSliceProbabilities: predicted
        ? outcome.folds.map((f) => ({ fold: f.fold, probabilities: f.sliceProbabilities }))
        : [],
      sourceSlices: predicted ? outcome.sourceSlices : [],
      preparation: predicted ? outcome.record : null,
      warnings: predicted ? outcome.warnings : [],
      reason: predicted ? null : outcome.reason,
      detail: predicted ? null : outcome.detail,
      seconds: predicted ? outcome.seconds : null,
    };
    const path = join(this.outDir, "studies", `${name}.json`);
    await writeJsonAtomic(path, file);
    const byFold = new Map(file.foldProbabilities.map((f) => [f.fold, f.probability]));
    this.rows.push([
      file.studyUid,
      file.seriesUid,
      file.status,
      file.examProbability,
      ...context.folds.map((k) => byFold.get(k) ?? null),
      threshold,
      file.call,
      context.fractionPercent,
      file.warnings.join("; "),
      file.reason,
      file.detail,
      file.seriesDir,
    ]);
    file.sourceSlices.forEach((slice, i) => {
      this.sliceRows.push([
        file.studyUid,
        file.seriesUid,
        slice.sopInstanceUid,
        i,
        slice.zPosition,
        slice.outputSlices?.[0] ?? null,
        slice.outputSlices?.[1] ?? null,
        slice.probability,
      ]);
    });
    this.counts[predicted ? "predicted" : "failed"]++;
    if (file.warnings.length > 0) this.counts.warned++;
    return { path, file };
  }

  /** Write predictions.csv, slices.csv and run.json (with `extra` merged into the record). */
  async finish(
    options: { command: string; backend: string; extra: Record<string, unknown> },
  ): Promise<void> {
    await writeTextAtomic(
      join(this.outDir, "predictions.csv"),
      formatCsv(this.predictionColumns, this.rows),
    );
    await writeTextAtomic(
      join(this.outDir, "slices.csv"),
      formatCsv(SLICE_COLUMNS, this.sliceRows),
    );
    await writeJsonAtomic(join(this.outDir, "run.json"), {
      ...runRecord(options.command, this.context, null),
      backend: options.backend,
      ...options.extra,
      counts: this.counts,
      seconds: (performance.now() - this.started) / 1000,
    });
  }
}
