/**
 * The RSPECT label table (`train.csv`) and split file (`splits.csv`) of the synthetic dataset:
 * one row per image with RSPECT's 17 columns in RSPECT's order; exam-level columns repeated on
 * every row of the exam, `pe_present_on_image` from the clot truth.
 *
 * @example
 * ```ts
 * import { RSPECT_COLUMNS, labelRows } from "./labels.ts";
 * RSPECT_COLUMNS.length; // 17
 * ```
 */
import type { ExamFlags, ExamTruth } from "./truth.ts";

/** The columns of RSPECT's train.csv, in its order. */
export const RSPECT_COLUMNS = [
  "StudyInstanceUID",
  "SeriesInstanceUID",
  "SOPInstanceUID",
  "pe_present_on_image",
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

/**
 * The train.csv rows of one exam (no header), in the order its files are written (sorted by
 * SOPInstanceUID, which says nothing about slice position).
 */
export function labelRows(truth: ExamTruth, flags: ExamFlags): string[] {
  const positive = new Set(truth.positiveSlices);
  const examColumns = RSPECT_COLUMNS.slice(4).map((c) => flags[c as keyof ExamFlags]).join(",");
  return fileOrder(truth.sopUids).map((k) =>
    `${truth.studyUid},${truth.seriesUid},${truth.sopUids[k]},${
      positive.has(k) ? 1 : 0
    },${examColumns}`
  );
}

/** Slice indices ordered by SOPInstanceUID: the order files are written and rows listed. */
export function fileOrder(sopUids: readonly string[]): number[] {
  return sopUids.map((_, k) => k).sort((a, b) => (sopUids[a] < sopUids[b] ? -1 : 1));
}

/** splits.csv text: `study_uid,split`, one line per exam. */
export function splitsCsv(truths: readonly ExamTruth[]): string {
  return ["study_uid,split", ...truths.map((t) => `${t.studyUid},${t.split}`)].join("\n") + "\n";
}
