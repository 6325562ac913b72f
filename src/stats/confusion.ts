/**
 * Confusion counts at a fixed threshold and the diagnostic metrics derived from them, each
 * proportion with its binomial confidence interval.
 */
import { checkLabels, checkScores } from "./_input.ts";
import { binomialCi, type CiMethod, type Interval } from "./binomial.ts";
import { StatsInputError } from "./errors.ts";

/** Counts of a 2 x 2 table: true/false positives and negatives. */
export interface ConfusionCounts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Accuracy, sensitivity, specificity, PPV and NPV with CIs, and the F1 score. */
export interface DiagnosticMetrics {
  /** (tp + tn) / all. */
  accuracy: Interval;
  /** tp / (tp + fn): true-positive rate, recall. */
  sensitivity: Interval;
  /** tn / (tn + fp): true-negative rate. */
  specificity: Interval;
  /** tp / (tp + fp): positive predictive value, precision. */
  ppv: Interval;
  /** tn / (tn + fn): negative predictive value. */
  npv: Interval;
  /** 2 tp / (2 tp + fp + fn); NaN when tp + fp + fn = 0. */
  f1: number;
}

/**
 * Counts the 2 x 2 table at a threshold: an exam is predicted positive when score >= threshold.
 * One class only is allowed here (e.g. an all-negative subset); scores must be finite.
 *
 * @example
 * ```ts
 * import { confusionCounts } from "./mod.ts";
 * confusionCounts([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], 0.35);
 * // { tp: 2, fp: 1, tn: 1, fn: 0 }
 * ```
 */
export function confusionCounts(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  threshold: number,
): ConfusionCounts {
  if (Number.isNaN(threshold)) {
    throw new StatsInputError("threshold is NaN: pass a number (e.g. a Youden threshold)");
  }
  checkScores(scores, "scores");
  checkLabels(labels, scores.length, "labels");
  const counts = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < scores.length; i++) {
    const positive = scores[i] >= threshold;
    if (labels[i] === 1) {
      if (positive) counts.tp++;
      else counts.fn++;
    } else if (positive) counts.fp++;
    else counts.tn++;
  }
  return counts;
}

/**
 * Accuracy, sensitivity, specificity, PPV and NPV, each with a binomial CI (Wilson by default,
 * see {@link binomialCi}), plus F1. An empty denominator (e.g. PPV with no predicted positive)
 * gives a NaN interval and a warning, not an error.
 *
 * @example
 * ```ts
 * import { diagnosticMetrics } from "./mod.ts";
 * const m = diagnosticMetrics({ tp: 40, fp: 10, tn: 90, fn: 10 });
 * // m.sensitivity = { estimate: 0.8, low: 0.6696, high: 0.8876 }, m.f1 = 0.8
 * ```
 */
export function diagnosticMetrics(
  counts: ConfusionCounts,
  method: CiMethod = "wilson",
  level = 0.95,
): DiagnosticMetrics {
  for (const key of ["tp", "fp", "tn", "fn"] as const) {
    const value = counts[key];
    if (!(Number.isInteger(value) && value >= 0)) {
      throw new StatsInputError(`counts.${key} is ${value}: counts are non-negative integers`);
    }
  }
  const { tp, fp, tn, fn } = counts;
  const f1Denominator = 2 * tp + fp + fn;
  return {
    accuracy: binomialCi(tp + tn, tp + fp + tn + fn, method, level),
    sensitivity: binomialCi(tp, tp + fn, method, level),
    specificity: binomialCi(tn, tn + fp, method, level),
    ppv: binomialCi(tp, tp + fp, method, level),
    npv: binomialCi(tn, tn + fn, method, level),
    f1: f1Denominator === 0 ? NaN : 2 * tp / f1Denominator,
  };
}
