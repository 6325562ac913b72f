/**
 * Inference on new studies with a trained run: the fold ensemble of one label fraction
 * (`fold_ensemble.ts`) applied to DICOM series that went through the same reading, validation and
 * preparation as training, with the preprocessing settings read from the run, never retyped. Each series gives
 * the exam probability (mean over the folds, and each fold's), the per-slice probabilities on the
 * model's grid and mapped back to the source slices (maximum over the resampled slices covering a
 * source slice, see src/preprocess/slice_cover.ts), and warnings. A series that fails (its
 * validation reason, or a preparation error) is reported with its reason and the others go on.
 *
 * @example
 * ```ts ignore
 * import { loadFoldEnsemble } from "./fold_ensemble.ts";
 * import { predictSeriesFolders } from "./series.ts";
 * import { findSeriesFolders } from "../io/series_folders.ts";
 * const ensemble = await loadFoldEnsemble("runs/rspect", 27.5);
 * const { series } = await findSeriesFolders("new-studies/");
 * const { predictions, failures } = await predictSeriesFolders(ensemble, series);
 * console.log(predictions[0].examProbability, failures.length);
 * ensemble.dispose();
 * ```
 */
import * as tf from "@tensorflow/tfjs";
import {
  errorMessage,
  listSeriesFiles,
  readDicomSeries,
  readSliceHeader,
  SeriesError,
} from "../io/mod.ts";
import type { SeriesFolder } from "../io/series_folders.ts";
import {
  type ChannelMode,
  type LungVoi,
  type PreparationRecord,
  prepareVolume,
  sliceStackInput,
} from "../preprocess/mod.ts";
import { sourceSliceCover, sourceSliceValues } from "../preprocess/slice_cover.ts";

import type { FoldEnsemble } from "./fold_ensemble.ts";

/** One source slice of a predicted series, in volume order. */
export interface SourceSlicePrediction {
  sopInstanceUid: string;
  /** Position along the slice normal (mm). */
  zPosition: number;
  /** First and last resampled slice covering it; null outside the lung VOI. */
  outputSlices: [number, number] | null;
  /** Ensemble probability: maximum over the covering resampled slices; null outside the VOI. */
  probability: number | null;
}

/** The prediction for one series. */
export interface SeriesPrediction {
  studyUid: string;
  seriesUid: string;
  seriesDir: string;
  /** Mean over the folds of the exam probability. */
  examProbability: number;
  /** Per fold: exam probability and slice probabilities [D]. */
  folds: { fold: number; examProbability: number; sliceProbabilities: number[] }[];
  /** [D] mean over the folds of the resampled slices' probabilities. */
  sliceProbabilities: number[];
  /** [source slices] in volume order. */
  sourceSlices: SourceSlicePrediction[];
  /** What preparation did (VOI, lung slices, crop, spacings, source intervals). */
  record: Omit<PreparationRecord, "sourceLabels" | "positivesOutsideVoi">;
  warnings: string[];
  seconds: { read: number; prepare: number; model: number };
}

/** A series that could not be predicted. */
export interface SeriesFailure {
  studyUid: string;
  seriesUid: string;
  seriesDir: string;
  /** `read: <DICOM reason code>` (docs/data-cleaning.md), `prepare-failed` or `model-failed`. */
  reason: string;
  detail: string;
}

/** Limits behind the lung-coverage warnings (chest CT lungs span ~150-350 mm along z). */
export const lungCoverageLimits = {
  /** Lung extent along z (mm) below which the study is flagged. */
  minExtentMm: 120,
  /** Lung extent along z (mm) above which the study is flagged. */
  maxExtentMm: 400,
  /** Smaller lung's share of the lung voxels below which the study is flagged. */
  minLungShare: 0.15,
};

/**
 * Warnings about the lung coverage of a prepared series: lungs cut by the first or last slice,
 * a lung extent along z outside the usual range, one lung much smaller than the other.
 *
 * @example
 * ```ts
 * import { lungCoverageWarnings } from "./series.ts";
 * lungCoverageWarnings({
 *   sourceDims: [100, 512, 512], sourceSpacing: [1, 0.7, 0.7],
 *   voi: { z: [0, 60], y: [100, 400], x: [50, 460] }, lungSliceCount: 61,
 *   rightLungVoxels: 900, leftLungVoxels: 100,
 * }); // three warnings: first slice, short extent, small lung
 * ```
 */
export function lungCoverageWarnings(
  record: Pick<
    PreparationRecord,
    "sourceDims" | "sourceSpacing" | "voi" | "lungSliceCount" | "rightLungVoxels" | "leftLungVoxels"
  >,
): string[] {
  const warnings: string[] = [];
  const voi: LungVoi = record.voi;
  const slices = record.sourceDims[0];
  if (voi.z[0] === 0) {
    warnings.push("lung reaches the first slice: the scan may not cover the whole lung");
  }
  if (voi.z[1] === slices - 1) {
    warnings.push("lung reaches the last slice: the scan may not cover the whole lung");
  }
  const extent = record.lungSliceCount * record.sourceSpacing[0];
  if (extent < lungCoverageLimits.minExtentMm || extent > lungCoverageLimits.maxExtentMm) {
    warnings.push(
      `lung extent along z ${
        extent.toFixed(0)
      } mm is outside ${lungCoverageLimits.minExtentMm}-${lungCoverageLimits.maxExtentMm} mm: check the lung mask and the series`,
    );
  }
  const total = record.rightLungVoxels + record.leftLungVoxels;
  const share = total === 0 ? 0 : Math.min(record.rightLungVoxels, record.leftLungVoxels) / total;
  if (share < lungCoverageLimits.minLungShare) {
    warnings.push(
      `one lung is small (right ${record.rightLungVoxels}, left ${record.leftLungVoxels} mask voxels): the lung mask may have missed a lung`,
    );
  }
  return warnings;
}

/** UIDs of a series from its first file's header; the folder names when unreadable. */
async function seriesIdentity(folder: SeriesFolder): Promise<{ study: string; series: string }> {
  try {
    const [first] = await listSeriesFiles(folder.dir);
    const header = await readSliceHeader(first);
    if (header.studyInstanceUid && header.seriesInstanceUid) {
      return { study: header.studyInstanceUid, series: header.seriesInstanceUid };
    }
  } catch {
    // the series read below reports why the folder cannot be read
  }
  return { study: folder.studyFolder, series: folder.seriesFolder };
}

/**
 * Predict one series folder with the ensemble; throws `SeriesError` (DICOM validation, with its
 * reason code) or `PredictStageError` (`read-failed`, `prepare-failed`, `model-failed`).
 *
 * @example
 * ```ts ignore
 * import { loadFoldEnsemble, predictSeries } from "./series.ts";
 * const ensemble = await loadFoldEnsemble("runs/rspect", 27.5);
 * const p = await predictSeries(ensemble, {
 *   dir: "data/1.2/1.2.3", studyFolder: "1.2", seriesFolder: "1.2.3",
 * });
 * p.examProbability; // e.g. 0.83
 * ```
 */
export async function predictSeries(
  ensemble: FoldEnsemble,
  folder: SeriesFolder,
): Promise<SeriesPrediction> {
  const { study, series } = await seriesIdentity(folder);
  let start = performance.now();
  const lap = () => {
    const now = performance.now();
    const seconds = (now - start) / 1000;
    start = now;
    return seconds;
  };
  const volume = await stage("read-failed", () => readDicomSeries(folder.dir));
  const read = lap();
  const prepared = await stage(
    "prepare-failed",
    () => Promise.resolve(prepareVolume(volume, null, ensemble.preprocess)),
  );
  const prepare = lap();
  const [D] = ensemble.preprocess.size;
  const folds: SeriesPrediction["folds"] = [];
  await stage("model-failed", () => applyModels(ensemble, prepared.voxels, folds));
  const model = lap();
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const sliceProbabilities = Array.from(
    { length: D },
    (_, z) => mean(folds.map((f) => f.sliceProbabilities[z])),
  );
  const { sourceLabels: _labels, positivesOutsideVoi: _outside, ...record } = prepared.record;
  const cover = sourceSliceCover(record.sourceSlices, volume.dims[0]);
  const sourceProbabilities = sourceSliceValues(cover, sliceProbabilities);
  return {
    studyUid: study,
    seriesUid: series,
    seriesDir: folder.dir,
    examProbability: mean(folds.map((f) => f.examProbability)),
    folds,
    sliceProbabilities,
    sourceSlices: volume.sopInstanceUids.map((sopInstanceUid, i) => ({
      sopInstanceUid,
      zPosition: volume.zPositions[i],
      outputSlices: cover[i],
      probability: sourceProbabilities[i],
    })),
    record,
    warnings: lungCoverageWarnings(prepared.record),
    seconds: { read, prepare, model },
  };
}

/**
 * A failure of one stage of {@link predictSeries}: its reason code and detail.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PredictStageError } from "./series.ts";
 * assert.equal(new PredictStageError("prepare-failed", "no lung found").message, "prepare-failed: no lung found");
 * ```
 */
export class PredictStageError extends Error {
  constructor(readonly reason: string, readonly detail: string) {
    super(`${reason}: ${detail}`);
    this.name = "PredictStageError";
  }
}

/** Run `work`; an error other than a `SeriesError` becomes a `PredictStageError(reason)`. */
async function stage<T>(reason: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof SeriesError) throw error;
    throw new PredictStageError(reason, errorMessage(error));
  }
}

/** Each fold model on one prepared exam (voxels [D, H, W]); appends to `folds`. */
async function applyModels(
  ensemble: FoldEnsemble,
  voxels: Uint8Array,
  folds: SeriesPrediction["folds"],
): Promise<void> {
  const dims = ensemble.preprocess.size;
  const [D, H, W] = dims;
  const inputs = new Map<ChannelMode, Float32Array>();
  for (const model of ensemble.models) {
    let input = inputs.get(model.inputChannels);
    if (!input) {
      input = sliceStackInput({ dims, voxels }, model.inputChannels);
      inputs.set(model.inputChannels, input);
    }
    const pixels = input;
    const [exam, slices] = tf.tidy(() => {
      // images [1 * D, H, W, 3] -> exam logit [1], slice logits [1, D]
      const out = model.network.apply(tf.tensor4d(pixels, [D, H, W, 3]), 1, false);
      return [tf.sigmoid(out.examLogits), tf.sigmoid(out.sliceLogits)];
    });
    const [examProbability] = await exam.data();
    const sliceProbabilities = Array.from(await slices.data());
    tf.dispose([exam, slices]);
    folds.push({ fold: model.fold, examProbability, sliceProbabilities });
  }
}

/** Reason code and detail of an error thrown by {@link predictSeries}. */
function failureReason(error: unknown, dir: string): { reason: string; detail: string } {
  if (error instanceof SeriesError) {
    return {
      reason: `read: ${error.reason}`,
      detail: `${error.detail}${error.path === dir ? "" : ` (${error.path})`}`,
    };
  }
  if (error instanceof PredictStageError) return { reason: error.reason, detail: error.detail };
  return { reason: "failed", detail: errorMessage(error) };
}

/** Options of {@link predictSeriesFolders}. */
export interface PredictSeriesOptions {
  /** Series done so far and the total. */
  onProgress?: (done: number, total: number) => void;
  /** Each series' outcome as soon as it is known (write it out here to stream). */
  onSeries?: (outcome: SeriesPrediction | SeriesFailure) => void | Promise<void>;
}

/**
 * Predict every series folder, one at a time; a failing series is reported with its reason and
 * the others go on.
 *
 * @example
 * ```ts ignore
 * import { loadFoldEnsemble, predictSeriesFolders } from "./series.ts";
 * import { findSeriesFolders } from "../io/series_folders.ts";
 * const ensemble = await loadFoldEnsemble("runs/rspect", 27.5);
 * const found = await findSeriesFolders("new-studies");
 * const { predictions, failures } = await predictSeriesFolders(ensemble, found.series);
 * ```
 */
export async function predictSeriesFolders(
  ensemble: FoldEnsemble,
  folders: readonly SeriesFolder[],
  options: PredictSeriesOptions = {},
): Promise<{ predictions: SeriesPrediction[]; failures: SeriesFailure[] }> {
  const predictions: SeriesPrediction[] = [];
  const failures: SeriesFailure[] = [];
  for (const [i, folder] of folders.entries()) {
    let outcome: SeriesPrediction | SeriesFailure;
    try {
      outcome = await predictSeries(ensemble, folder);
      predictions.push(outcome);
    } catch (error) {
      const { study, series } = await seriesIdentity(folder);
      outcome = {
        studyUid: study,
        seriesUid: series,
        seriesDir: folder.dir,
        ...failureReason(error, folder.dir),
      };
      failures.push(outcome);
    }
    await options.onSeries?.(outcome);
    options.onProgress?.(i + 1, folders.length);
  }
  return { predictions, failures };
}
