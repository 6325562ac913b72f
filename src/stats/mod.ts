/**
 * Statistics of the evaluation, pure functions over typed arrays: ROC curve, AUC (Mann-Whitney),
 * DeLong's variance, CI and paired / unpaired tests, Youden's threshold, confusion counts,
 * binomial CIs, diagnostic metrics, Holm's adjustment and the normal distribution to full
 * double precision. Scores are `ArrayLike<number>` (higher = more likely positive), labels
 * `ArrayLike<number>` of 0/1. See docs/statistics.md for conventions.
 *
 * @example
 * ```ts
 * import { delongAuc, youdenThreshold, confusionCounts, diagnosticMetrics } from "./mod.ts";
 * const scores = new Float64Array([0.1, 0.4, 0.35, 0.8, 0.7, 0.2]);
 * const labels = [0, 0, 1, 1, 1, 0];
 * const { auc, low, high } = delongAuc(scores, labels);
 * const { threshold } = youdenThreshold(scores, labels);
 * const metrics = diagnosticMetrics(confusionCounts(scores, labels, threshold));
 * ```
 */
export { StatsInputError } from "./errors.ts";
export { normalCdf, normalQuantile } from "./normal.ts";
export { auc, type RocCurve, rocCurve, type RocOptions } from "./roc.ts";
export {
  type DelongAuc,
  delongAuc,
  delongPairedTest,
  delongUnpairedTest,
  type PairedDelong,
  type UnpairedDelong,
} from "./delong.ts";
export { type YoudenThreshold, youdenThreshold } from "./youden.ts";
export { binomialCi, CI_METHODS, type CiMethod, type Interval } from "./binomial.ts";
export {
  type ConfusionCounts,
  confusionCounts,
  type DiagnosticMetrics,
  diagnosticMetrics,
} from "./confusion.ts";
export { holmAdjust } from "./holm.ts";
export {
  fitLogistic,
  type LogisticModel,
  type LogisticOptions,
  logisticScores,
} from "./logistic.ts";
