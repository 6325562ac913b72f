/**
 * The RSPECT label table (`train.csv`) and split file (`splits.csv`) of the synthetic dataset:
 * one row per image with RSPECT's 17 columns (`rspectColumns`) in RSPECT's order; exam-level
 * columns repeated on every row of the exam, `pe_present_on_image` from the clot truth.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { labelRows, splitsCsv } from "./labels.ts";
 * import { generateExam } from "./exam.ts";
 * import { phantomProfile } from "./profile.ts";
 * import { examPlans } from "./schedule.ts";
 * const exam = generateExam(0, phantomProfile("tiny"), examPlans(0, 1)[0]);
 * assert.equal(labelRows(exam.truth, exam.flags).length, exam.grid.slices); // one row per slice
 * assert.ok(splitsCsv([exam.truth]).startsWith("study_uid,split\n"));
 * ```
 */
import { examColumns } from "../rspect/columns.ts";
import type { ExamFlags, ExamTruth } from "./truth.ts";

/**
 * The train.csv rows of one exam (no header), in the order its files are written (sorted by
 * SOPInstanceUID, which says nothing about slice position).
 */
export function labelRows(truth: ExamTruth, flags: ExamFlags): string[] {
  const positive = new Set(truth.positiveSlices);
  const examValues = examColumns.map((c) => flags[c]).join(",");
  return fileOrder(truth.sopUids).map((k) =>
    `${truth.studyUid},${truth.seriesUid},${truth.sopUids[k]},${
      positive.has(k) ? 1 : 0
    },${examValues}`
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
