/**
 * A prepared exam: the model's input for one CT study after lung-VOI crop, windowing and
 * resampling, with its labels. This is what the prepared-exam cache stores per exam and what
 * training reads, one exam at a time.
 *
 * Index of voxel (z, y, x) in `voxels`: `(z * height + y) * width + x`  (shape [D, H, W]).
 * Voxel value v in 0..255 stands for window value v / 255 (centre 100, width 700 HU).
 *
 * @example
 * ```ts
 * import type { PreparedExam } from "./prepared_exam.ts";
 * const exam: PreparedExam = {
 *   examId: "1.2.3", seriesId: "1.2.3.4", split: "train", fold: 0, examLabel: 1,
 *   subtype: "peripheral", dims: [2, 2, 2], voxels: new Uint8Array(8),
 *   sliceLabels: new Uint8Array([0, 1]), lungSliceCount: 2,
 * };
 * ```
 */
import type { Split } from "../data/rspect/schema.ts";

/** One prepared exam (see the module doc). */
export interface PreparedExam {
  /** StudyInstanceUID. */
  examId: string;
  /** SeriesInstanceUID. */
  seriesId: string;
  split: Split;
  /** Cross-validation fold (0-based) for train exams; null for the test splits. */
  fold: number | null;
  /** 1 = PE present (1 - negative_exam_for_pe). */
  examLabel: 0 | 1;
  /** Positives only: central when central_pe = 1, else peripheral; null for negatives. */
  subtype: "central" | "peripheral" | null;
  /** [D, H, W] after resampling. */
  dims: [number, number, number];
  /** Windowed intensities, uint8, shape [D, H, W]. */
  voxels: Uint8Array;
  /** Per resampled slice: 1 when any source slice in its z-interval is positive; shape [D]. */
  sliceLabels: Uint8Array;
  /** Source slices inside the lung VOI (annotation cost is counted in these). */
  lungSliceCount: number;
}
