/**
 * Annotation cost of a label fraction, counted in source slices a reader would label:
 * round(f x N_lung_slices) per exam, summarised as mean and range over a set of exams (the
 * paper's Supplementary Table 8: 2.5 % ~ 4 slices, 27.5 % ~ 53 slices per exam).
 *
 * @example
 * ```ts
 * import { annotationCost } from "./annotation_cost.ts";
 * annotationCost([2.5, 27.5], [160, 200]);
 * // [{ fractionPercent: 2.5, meanSlices: 4.5, minSlices: 4, maxSlices: 5, exams: 2 }, ...]
 * ```
 */

/** One row of the annotation-cost table. */
export interface AnnotationCostRow {
  fractionPercent: number;
  meanSlices: number;
  minSlices: number;
  maxSlices: number;
  exams: number;
}

/**
 * Labelled source slices per exam for each fraction (percent): mean, min and max of
 * round(f x N) over `lungSliceCounts` (rounding half up).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { annotationCost } from "./annotation_cost.ts";
 * assert.equal(annotationCost([100], [10, 30])[0].meanSlices, 20);
 * ```
 */
export function annotationCost(
  fractionsPercent: readonly number[],
  lungSliceCounts: readonly number[],
): AnnotationCostRow[] {
  if (lungSliceCounts.length === 0) {
    throw new Error("annotation cost needs at least one exam's lung slice count");
  }
  return fractionsPercent.map((fractionPercent) => {
    if (!(fractionPercent >= 0 && fractionPercent <= 100)) {
      throw new Error(`label fraction must be in [0, 100] percent, got ${fractionPercent}`);
    }
    const slices = lungSliceCounts.map((n) => Math.round((fractionPercent * n) / 100));
    return {
      fractionPercent,
      meanSlices: slices.reduce((a, b) => a + b, 0) / slices.length,
      minSlices: Math.min(...slices),
      maxSlices: Math.max(...slices),
      exams: slices.length,
    };
  });
}
