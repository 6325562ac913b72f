/**
 * The cleaning rules on the exam table: exam label, PE subtype, and the label-level exclusion
 * reasons. Every excluded exam carries exactly one reason code (the first that applies, in the
 * order of {@link exclusionReasons}) and a detail that also names any later rule it breaks.
 *
 * - exam label = 1 - negative_exam_for_pe.
 * - `inconsistent-exam-labels`: an exam-level column varies within the study.
 * - `indeterminate`: indeterminate = 1. Such an exam has no usable label; the detail says
 *   whether it also breaks coherence (on RSPECT all of them do: negative_exam_for_pe = 0 with no
 *   positive slice).
 * - `label-incoherent`: a positive exam without a positive slice, or a negative exam with one.
 * - subtype of a positive exam: `central` when central_pe = 1, else `peripheral`.
 *
 * @example
 * ```ts ignore
 * import { examLabel, labelExclusion, subtypeOf } from "./rules.ts";
 * import type { ExamRecord } from "./exam_table.ts";
 * declare const exam: ExamRecord;
 * examLabel(exam); // 1
 * subtypeOf(exam); // "central"
 * labelExclusion(exam); // null, or { reason: "label-incoherent", detail: "..." }
 * ```
 */
import { z } from "zod";
import { seriesReasonCodes } from "../../io/mod.ts";
import type { ExamRecord } from "./exam_table.ts";

/** Every exclusion reason of the cleaning, in precedence order. */
export const exclusionReasons = [
  "inconsistent-exam-labels",
  "indeterminate",
  "label-incoherent",
  "missing-files",
  ...seriesReasonCodes,
  "missing-labels",
  "not-in-labels",
] as const;

/** Schema of an exclusion reason. */
export const ExclusionReasonSchema = z.enum(exclusionReasons);
/** One of {@link exclusionReasons}. */
export type ExclusionReason = z.infer<typeof ExclusionReasonSchema>;

/** An exclusion: reason code and detail. */
export interface Exclusion {
  reason: ExclusionReason;
  detail: string;
}

/** PE subtype of a positive exam. */
export type Subtype = "central" | "peripheral";

/** Exam label: 1 (PE) or 0, = 1 - negative_exam_for_pe. */
export function examLabel(exam: Pick<ExamRecord, "labels">): 0 | 1 {
  return exam.labels.negative_exam_for_pe === 1 ? 0 : 1;
}

/** Subtype of a positive exam (central when central_pe = 1); null for a negative exam. */
export function subtypeOf(exam: Pick<ExamRecord, "labels">): Subtype | null {
  if (examLabel(exam) === 0) return null;
  return exam.labels.central_pe === 1 ? "central" : "peripheral";
}

/** Why the slice labels contradict the exam label, or null when they agree. */
export function incoherence(exam: Pick<ExamRecord, "labels" | "nPosSlices">): string | null {
  const label = examLabel(exam);
  if (label === 1 && exam.nPosSlices === 0) {
    return "negative_exam_for_pe = 0 but no slice has pe_present_on_image = 1";
  }
  if (label === 0 && exam.nPosSlices > 0) {
    return `negative_exam_for_pe = 1 but ${exam.nPosSlices} slices have pe_present_on_image = 1`;
  }
  return null;
}

/** The label-level exclusion of an exam, or null when its labels are usable. */
export function labelExclusion(exam: ExamRecord): Exclusion | null {
  if (exam.varyingColumns.length > 0) {
    return {
      reason: "inconsistent-exam-labels",
      detail: `${exam.varyingColumns.join(", ")} not constant within study ${exam.studyUid}`,
    };
  }
  const incoherent = incoherence(exam);
  if (exam.labels.indeterminate === 1) {
    return {
      reason: "indeterminate",
      detail: `indeterminate = 1${incoherent ? `; also label-incoherent: ${incoherent}` : ""}`,
    };
  }
  if (incoherent) return { reason: "label-incoherent", detail: incoherent };
  return null;
}
