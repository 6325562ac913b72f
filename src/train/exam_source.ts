/**
 * Where training reads exams from: a list of exam descriptions (split, fold, labels) and a
 * reader that returns one prepared exam at a time, so a run never holds the dataset in memory.
 * The prepared-exam cache is one source; `memoryExamSource` serves exams already in memory
 * (tests, notebooks, synthetic checks).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { memoryExamSource } from "./exam_source.ts";
 * const source = memoryExamSource([], "synthetic");
 * assert.equal(source.exams.length, 0);
 * ```
 */
import type { PreparedExam } from "../preprocess/prepared_exam.ts";

/** What training needs to know about an exam without reading its voxels. */
export interface ExamInfo {
  examId: string;
  split: PreparedExam["split"];
  fold: number | null;
  examLabel: 0 | 1;
  subtype: PreparedExam["subtype"];
  /** Resampled slices D (the model's sequence length). */
  sliceCount: number;
  /** Source slices inside the lung VOI (the published masking counts these). */
  lungSliceCount: number;
}

/** A set of prepared exams, read one at a time. */
export interface ExamSource {
  /** Where the exams come from (a cache folder, "synthetic", ...), for messages. */
  name: string;
  exams: ExamInfo[];
  /** The settings the exams were prepared with (recorded with a run, compared on resume). */
  settings: unknown;
  read(examId: string): Promise<PreparedExam>;
}

/**
 * An exam source over exams already in memory.
 *
 * @example
 * ```ts
 * import { memoryExamSource } from "./exam_source.ts";
 * const source = memoryExamSource([], "synthetic", { dims: [8, 16, 16] });
 * ```
 */
export function memoryExamSource(
  exams: readonly PreparedExam[],
  name: string,
  settings: unknown = null,
): ExamSource {
  const byId = new Map(exams.map((exam) => [exam.examId, exam]));
  return {
    name,
    settings,
    exams: exams.map(({ examId, split, fold, examLabel, subtype, dims, lungSliceCount }) => ({
      examId,
      split,
      fold,
      examLabel,
      subtype,
      sliceCount: dims[0],
      lungSliceCount,
    })),
    read(examId) {
      const exam = byId.get(examId);
      if (!exam) return Promise.reject(new Error(`${name}: no exam '${examId}'`));
      return Promise.resolve(exam);
    },
  };
}
