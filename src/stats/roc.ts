/**
 * The empirical ROC curve and its area (Mann-Whitney U / (m n), ties counting 1/2).
 *
 * References: D. Bamber, "The area above the ordinal dominance graph and the area below the
 * receiver operating characteristic graph", J. Math. Psychol. 12 (1975) 387-415;
 * J. A. Hanley & B. J. McNeil, Radiology 143 (1982) 29-36.
 */
import { checkRocInput } from "./_input.ts";
import { placements, scoreLevels } from "./_ranking.ts";

/** Options shared by the ROC functions. */
export interface RocOptions {
  /** One id per score, used only to name offending entries in error messages. */
  ids?: readonly string[];
}

/**
 * An empirical ROC curve: points from (0, 0) to (1, 1). Point k classifies as positive every
 * score >= thresholds[k]; thresholds are the distinct scores in descending order after a first
 * +Infinity (nothing positive). [points] each.
 */
export interface RocCurve {
  /** False-positive rate (1 - specificity) at each threshold: [points]. */
  fpr: Float64Array;
  /** True-positive rate (sensitivity) at each threshold: [points]. */
  tpr: Float64Array;
  /** +Infinity, then the distinct scores descending: [points]. */
  thresholds: Float64Array;
}

/**
 * The empirical ROC curve with one point per distinct score (no point dropped), so that the
 * trapezoidal area under it equals {@link auc}. Same points as scikit-learn's
 * `roc_curve(drop_intermediate=False)`, with +Infinity as the first threshold.
 *
 * @example
 * ```ts
 * import { rocCurve } from "./mod.ts";
 * const roc = rocCurve([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
 * // roc.thresholds = [Infinity, 0.8, 0.4, 0.35, 0.1]
 * // roc.tpr = [0, 0.5, 0.5, 1, 1], roc.fpr = [0, 0, 0.5, 0.5, 1]
 * ```
 */
export function rocCurve(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: RocOptions = {},
): RocCurve {
  const input = checkRocInput(scores, labels, { scores: "scores", labels: "labels" }, options.ids);
  const levels = scoreLevels(input);
  const points = levels.scores.length + 1;
  const fpr = new Float64Array(points);
  const tpr = new Float64Array(points);
  const thresholds = new Float64Array(points);
  thresholds[0] = Infinity;
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < levels.scores.length; k++) {
    tp += levels.cases[k];
    fp += levels.controls[k];
    thresholds[k + 1] = levels.scores[k];
    tpr[k + 1] = tp / input.cases;
    fpr[k + 1] = fp / input.controls;
  }
  return { fpr, tpr, thresholds };
}

/**
 * Area under the ROC curve by Mann-Whitney: the share of (positive, negative) pairs in which
 * the positive scores higher, ties counting 1/2. Higher scores mean "more positive"; an AUC
 * below 0.5 is returned as is (never flipped). One O(n) radix sort of the scores.
 * Throws StatsInputError on empty input, one class only, non-finite scores, labels other
 * than 0/1 or mismatched lengths.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { auc } from "./mod.ts";
 * assert.equal(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), 0.75);
 * assert.equal(auc([0.5, 0.5], [0, 1]), 0.5); // a tie counts 1/2
 * ```
 */
export function auc(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: RocOptions = {},
): number {
  const input = checkRocInput(scores, labels, { scores: "scores", labels: "labels" }, options.ids);
  return placements(input).auc;
}
