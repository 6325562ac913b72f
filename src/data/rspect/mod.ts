/**
 * RSPECT data: the column names of train.csv and of the cleaning manifest, the train.csv
 * schema, the exam table and cleaning rules, splits and folds, the resumable DICOM check, the
 * cleaning run that writes the exclusion manifest, and a tiny RSPECT-layout tree for tests and
 * notebooks.
 *
 * @example
 * ```ts ignore
 * import { cleanRspect, summaryTable } from "./mod.ts";
 * const { summary } = await cleanRspect({
 *   data: "rspect/train", labels: "rspect/train.csv", out: "data-manifests/rspect",
 * });
 * console.log(summaryTable(summary));
 * ```
 */
export {
  type ExamColumn,
  examColumns,
  examOutcomeColumns,
  type ExamsCsvColumn,
  examsCsvColumns,
  labelColumns,
  rspectColumns,
  type SlicesCsvColumn,
  slicesCsvColumns,
  uidColumns,
} from "./columns.ts";
export {
  checkTrainColumns,
  editDistance,
  readTrainCsv,
  type Split,
  splitColumn,
  SplitSchema,
  TrainColumnsSchema,
} from "./schema.ts";
export { type ExamRecord, examTable } from "./exam_table.ts";
export {
  examLabel,
  type Exclusion,
  type ExclusionReason,
  exclusionReasons,
  ExclusionReasonSchema,
  incoherence,
  labelExclusion,
  type Subtype,
  subtypeOf,
} from "./rules.ts";
export { assignFolds, type FoldItem, readSplitFile, SplitRowSchema } from "./splits.ts";
export {
  type CheckedSeries,
  CheckedSeriesSchema,
  checkSeriesPool,
  readCheckCache,
  type SeriesJob,
} from "./dicom_check.ts";
export {
  type CleanConfig,
  CleanConfigSchema,
  type CleanHooks,
  type CleanResult,
  cleanRspect,
  type ExamOutcome,
} from "./clean.ts";
export {
  type CleaningSummary,
  cleaningSummarySchema,
  type FlowStep,
  flowSteps,
  readCleaningSummary,
  reasonTable,
  type SplitCounts,
  summarize,
  summaryTable,
} from "./summary.ts";
export {
  type CtSeriesSpec,
  type CtSlice,
  type TinyTree,
  writeCtSeries,
  writeCtSlice,
  writeTinyRspectTree,
} from "./tiny_tree.ts";
