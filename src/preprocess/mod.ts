/**
 * The preprocess stage: lung mask and VOI, crop, window, resample, slice-label mapping, the
 * prepared-exam cache, and the model's per-slice 3-channel input.
 *
 * @example
 * ```ts ignore
 * import { listCachedExams, readPreparedExam, sliceStackInput } from "./mod.ts";
 * const entries = await listCachedExams("cache/rspect");
 * const exam = await readPreparedExam("cache/rspect", entries[0].examId);
 * const input = sliceStackInput(exam, "adjacent"); // Float32Array [D, H, W, 3]
 * ```
 */
export type { PreparedExam } from "./prepared_exam.ts";
export {
  defaultLungMaskOptions,
  type LungMask,
  type LungMaskOptions,
  lungMaskOptionsSchema,
  type LungVoi,
  lungVoiSchema,
  segmentLungs,
} from "./lung_mask.ts";
export {
  type CtWindow,
  ctWindowSchema,
  pulmonaryAngioWindow,
  windowByte,
  windowUnit,
} from "./window.ts";
export {
  mapSliceLabels,
  resampleVoi,
  samplePosition,
  sourceIntervals,
  type SquareCrop,
  squareCrop,
} from "./resample.ts";
export {
  type PreparationRecord,
  preparationRecordSchema,
  type PreparedVolume,
  prepareVolume,
  type PreprocessConfig,
  preprocessConfigSchema,
} from "./prepare.ts";
export { type ChannelMode, channelModeSchema, sliceStackInput } from "./model_input.ts";
export {
  type CacheEntry,
  type CacheFailure,
  type CacheIndex,
  type CacheManifest,
  configHash,
  currentEntry,
  type ExamFacts,
  examFactsSchema,
  examIdSchema,
  type ExamSidecar,
  examSidecarSchema,
  initCache,
  listCachedExams,
  openCache,
  type PreparedCache,
  readCacheIndex,
  readExamSidecar,
  readPreparedExam,
  writeCacheIndex,
  writePreparedExam,
} from "./cache.ts";
export { type ExamJob, readPreprocessJobs, sliceLabelsForVolume } from "./manifest.ts";
export { type JobSettings, maskPath, runExamJob, writeLungMaskNifti } from "./job.ts";
export {
  preprocessManifest,
  type PreprocessRun,
  preprocessRunSchema,
  type PreprocessSummary,
} from "./run.ts";
