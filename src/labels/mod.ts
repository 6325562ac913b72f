/**
 * Labels: which slice labels training may use at a given label fraction, and the annotation
 * cost of that fraction.
 *
 * @example
 * ```ts
 * import { annotationCost, labelledSlices } from "./mod.ts";
 * const kept = labelledSlices(184, 27.5, {
 *   strategy: "even-spacing", seed: 0, examId: "1.2.3", sourceSliceCount: 190,
 * });
 * annotationCost([27.5], [190]); // [{ fractionPercent: 27.5, meanSlices: 52, ... }]
 * ```
 */
export * from "./masking.ts";
export * from "./annotation_cost.ts";
export * from "./diagram.ts";
export * from "./allocation.ts";
export * from "./fractions.ts";
