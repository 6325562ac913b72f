/**
 * One exam through the whole preparation, as a worker runs it: read the DICOM series, match
 * slice labels by SOP UID, prepare (mask, crop, window, resample), write voxels + sidecar to
 * the cache and, on request, the lung mask as NIfTI (`masks/<examId>.nii.gz`). A failure is
 * returned with its reason, never thrown, so the other exams go on.
 *
 * @example
 * ```ts ignore
 * import { runExamJob } from "./job.ts";
 * import type { ExamJob } from "./manifest.ts";
 * import { preprocessConfigSchema } from "./prepare.ts";
 * declare const job: ExamJob;
 * const outcome = await runExamJob(job, {
 *   cacheDir: "cache/tiny", config: preprocessConfigSchema.parse({}), configHash: "ab".repeat(32),
 *   saveMasks: false,
 * });
 * if ("reason" in outcome) console.log(outcome.reason, outcome.detail);
 * ```
 */
import { join } from "node:path";
import { readDicomSeries, SeriesError, type Volume, writeNifti } from "../io/mod.ts";
import { type CacheEntry, type CacheFailure, writePreparedExam } from "./cache.ts";
import type { LungMask } from "./lung_mask.ts";
import { type ExamJob, sliceLabelsForVolume } from "./manifest.ts";
import { prepareVolume, type PreprocessConfig } from "./prepare.ts";

/** Where and how a job writes. */
export interface JobSettings {
  cacheDir: string;
  config: PreprocessConfig;
  configHash: string;
  saveMasks: boolean;
}

/** Outcome of one job plus its timing. */
export type JobOutcome = (CacheEntry | CacheFailure) & { seconds: number };

/**
 * Prepare one exam into the cache.
 *
 * @example
 * ```ts ignore
 * import { runExamJob } from "./job.ts";
 * import type { ExamJob } from "./manifest.ts";
 * import type { JobSettings } from "./job.ts";
 * declare const job: ExamJob;
 * declare const settings: JobSettings;
 * const outcome = await runExamJob(job, settings); // CacheEntry, or CacheFailure with reason
 * ```
 */
export async function runExamJob(job: ExamJob, settings: JobSettings): Promise<JobOutcome> {
  const start = performance.now();
  const seconds = () => (performance.now() - start) / 1000;
  const { examId, seriesId } = job.facts;
  let stage = "read";
  try {
    const volume = await readDicomSeries(job.seriesDir);
    stage = "labels";
    const labels = sliceLabelsForVolume(
      volume.sopInstanceUids,
      job.sopUids,
      job.sopLabels,
      job.facts.examLabel,
    );
    stage = "prepare";
    const prepared = prepareVolume(volume, labels, settings.config);
    stage = "write";
    const entry = await writePreparedExam(
      settings.cacheDir,
      {
        ...job.facts,
        dims: settings.config.size,
        voxels: prepared.voxels,
        sliceLabels: prepared.sliceLabels,
        lungSliceCount: prepared.record.lungSliceCount,
      },
      prepared.record,
      settings.configHash,
    );
    if (settings.saveMasks) {
      await writeLungMaskNifti(
        maskPath(settings.cacheDir, examId),
        volume,
        prepared.mask,
      );
    }
    return { ...entry, seconds: seconds() };
  } catch (error) {
    const reason = error instanceof SeriesError ? `${stage}: ${error.reason}` : `${stage}-failed`;
    const detail = error instanceof SeriesError ? error.detail : (error as Error).message;
    return { examId, seriesId, reason, detail: String(detail), seconds: seconds() };
  }
}

/**
 * Where `--save-masks` writes an exam's lung mask: `<cacheDir>/masks/<examId>.nii.gz`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { maskPath } from "./job.ts";
 * assert.equal(maskPath("cache/x", "1.2.3"), "cache/x/masks/1.2.3.nii.gz");
 * ```
 */
export function maskPath(cacheDir: string, examId: string): string {
  return join(cacheDir, "masks", `${examId}.nii.gz`);
}

/**
 * Write a lung mask (0 background, 1 right, 2 left) as NIfTI in the volume's patient space
 * (affine from the DICOM geometry, converted from LPS to NIfTI's RAS).
 *
 * @example
 * ```ts ignore
 * import { writeLungMaskNifti } from "./job.ts";
 * import { segmentLungs } from "./lung_mask.ts";
 * import type { Volume } from "../io/mod.ts";
 * declare const volume: Volume;
 * await writeLungMaskNifti("mask.nii.gz", volume, segmentLungs(volume));
 * ```
 */
export async function writeLungMaskNifti(
  path: string,
  volume: Volume,
  mask: LungMask,
): Promise<void> {
  const [nz, ny, nx] = mask.dims;
  const d = volume.direction;
  const sx = volume.spacing[2] * mask.stride;
  const sy = volume.spacing[1] * mask.stride;
  const sz = volume.spacing[0];
  const o = volume.origin;
  // LPS -> RAS: negate the first two world coordinates.
  const flip = [-1, -1, 1];
  const affine = [0, 1, 2].flatMap((r) => [
    flip[r] * d[r] * sx,
    flip[r] * d[3 + r] * sy,
    flip[r] * d[6 + r] * sz,
    flip[r] * o[r],
  ]);
  affine.push(0, 0, 0, 1);
  await writeNifti(path, {
    data: Float32Array.from(mask.labels),
    dims: [nx, ny, nz],
    pixdim: [sx, sy, sz],
    affine,
    datatype: "uint8",
  });
}
