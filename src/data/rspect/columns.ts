/**
 * Column names: RSPECT's train.csv (17 columns, published order) and the two files of the
 * cleaning manifest (`exams.csv`, `slices.csv`) that the cleaning step writes and preprocessing
 * reads. Free of heavy imports, so the phantom writer and its workers can use it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { examsCsvColumns, rspectColumns, slicesCsvColumns } from "./columns.ts";
 * assert.equal(rspectColumns.length, 17);
 * [...examsCsvColumns, ...slicesCsvColumns].length; // 24 + 6
 * ```
 */

/** The three UID columns. */
export const uidColumns = ["StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"] as const;

/** The 13 exam-level columns, repeated on every row of an exam (published order). */
export const examColumns = [
  "negative_exam_for_pe",
  "qa_motion",
  "qa_contrast",
  "flow_artifact",
  "rv_lv_ratio_gte_1",
  "rv_lv_ratio_lt_1",
  "leftsided_pe",
  "chronic_pe",
  "true_filling_defect_not_pe",
  "rightsided_pe",
  "acute_and_chronic_pe",
  "central_pe",
  "indeterminate",
] as const;

/** The 14 binary label columns: the image label, then the exam-level columns. */
export const labelColumns = ["pe_present_on_image", ...examColumns] as const;

/** RSPECT's 17 train.csv columns, in the published order. */
export const rspectColumns = [...uidColumns, ...labelColumns] as const;

/** An exam-level column name. */
export type ExamColumn = (typeof examColumns)[number];

/**
 * The leading columns of the manifest's `exams.csv` (one row per exam); the 13 exam-level
 * columns ({@link examColumns}) follow them.
 */
export const examOutcomeColumns = [
  "study_uid",
  "series_uid",
  "split",
  "fold",
  "label",
  "subtype",
  "n_slices",
  "n_pos_slices",
  "status",
  "reason",
  "detail",
] as const;

/** All columns of the manifest's `exams.csv`, in order. */
export const examsCsvColumns = [...examOutcomeColumns, ...examColumns] as const;

/** A column of the manifest's `exams.csv`. */
export type ExamsCsvColumn = (typeof examsCsvColumns)[number];

/** The columns of the manifest's `slices.csv` (one row per slice of an included exam). */
export const slicesCsvColumns = [
  "study_uid",
  "series_uid",
  "sop_uid",
  "z_index",
  "z_position",
  "label",
] as const;

/** A column of the manifest's `slices.csv`. */
export type SlicesCsvColumn = (typeof slicesCsvColumns)[number];
