/**
 * DeLong's nonparametric variance of the AUC, its confidence interval, and the paired and
 * unpaired comparisons of two AUCs, by the fast algorithm (placements from one sort per model).
 *
 * References: E. R. DeLong, D. M. DeLong & D. L. Clarke-Pearson, "Comparing the areas under two
 * or more correlated receiver operating characteristic curves: a nonparametric approach",
 * Biometrics 44 (1988) 837-845; X. Sun & W. Xu, "Fast implementation of DeLong's algorithm for
 * comparing the areas under correlated receiver operating characteristic curves", IEEE Signal
 * Processing Letters 21 (2014) 1389-1393; X. Robin et al., "pROC", BMC Bioinformatics 12 (2011)
 * 77 (the unpaired test and the degenerate cases follow pROC 1.18's roc.test).
 */
import { checkRocInput, type RocInput } from "./_input.ts";
import { studentTwoSidedP } from "./_beta.ts";
import { type Placements, placements } from "./_ranking.ts";
import { StatsInputError } from "./errors.ts";
import { normalCdf, normalQuantile } from "./normal.ts";

/** The AUC with DeLong's variance and confidence interval. */
export interface DelongAuc {
  /** Mann-Whitney AUC. */
  auc: number;
  /** DeLong variance S10 / m + S01 / n (NaN with fewer than 2 positives or 2 negatives). */
  variance: number;
  /** Lower confidence limit (clipped to 0 unless `clip: false`). */
  low: number;
  /** Upper confidence limit (clipped to 1 unless `clip: false`). */
  high: number;
}

/** Result of the paired (correlated) DeLong test of AUC A = AUC B, two-sided. */
export interface PairedDelong {
  aucA: number;
  aucB: number;
  /** aucA - aucB. */
  difference: number;
  /** Var(A) + Var(B) - 2 Cov(A, B). */
  variance: number;
  /** difference / sqrt(variance); 0 when both are 0, +-Infinity when only the variance is. */
  z: number;
  /** Two-sided p = 2 Phi(-|z|). */
  p: number;
}

/** Result of the unpaired DeLong test as pROC's roc.test(paired = FALSE, method = "delong"). */
export interface UnpairedDelong {
  aucA: number;
  aucB: number;
  /** pROC's D statistic: (aucA - aucB) / sqrt(Var A + Var B). */
  z: number;
  /** Welch-Satterthwaite degrees of freedom of D's Student t reference distribution. */
  df: number;
  /** Two-sided p = 2 P(T_df <= -|z|). */
  p: number;
}

/**
 * DeLong's covariance of the AUCs of two models scored on the same exams (a = b: the variance):
 * S10 / m + S01 / n with S10, S01 the sample covariances (divisor m - 1, n - 1) of the case
 * and control placements about the AUCs.
 */
function aucCovariance(a: Placements, b: Placements, input: RocInput): number {
  const { labels, cases: m, controls: n } = input;
  let caseSum = 0;
  let controlSum = 0;
  for (let i = 0; i < labels.length; i++) {
    const product = (a.values[i] - a.auc) * (b.values[i] - b.auc);
    if (labels[i] === 1) caseSum += product;
    else controlSum += product;
  }
  return caseSum / ((m - 1) * m) + controlSum / ((n - 1) * n);
}

/** Warns (once per call) that a DeLong variance needs two of each class. */
function warnTooFew(what: string, cases: number, controls: number): void {
  console.warn(
    `${what}: DeLong's variance needs at least 2 positives and 2 negatives ` +
      `(got ${cases} and ${controls}); the variance, interval and test are NaN`,
  );
}

/** z and two-sided p of a difference over its variance, with pROC's rule for a zero variance. */
function zAndP(difference: number, variance: number, regular: () => [number, number]) {
  if (variance > 0) return regular();
  if (difference === 0) return [0, 1];
  return [difference > 0 ? Infinity : -Infinity, 0];
}

/**
 * AUC with DeLong's variance and a Wald interval AUC +- z_{(1+level)/2} sqrt(variance),
 * clipped to [0, 1] unless `clip: false` (as pROC's ci.auc(method = "delong")). With fewer than
 * 2 positives or 2 negatives the variance is undefined: variance, low and high are NaN and a
 * warning is printed. A variance of 0 (e.g. perfect separation) gives low = high = AUC.
 *
 * @example
 * ```ts
 * import { delongAuc } from "./mod.ts";
 * const { auc, low, high } = delongAuc([0.1, 0.4, 0.35, 0.8, 0.7, 0.2], [0, 0, 1, 1, 1, 0]);
 * // auc = 0.8889, variance = 0.02469, low = 0.5809, high = 1 (clipped from 1.197)
 * ```
 */
export function delongAuc(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: { level?: number; clip?: boolean; ids?: readonly string[] } = {},
): DelongAuc {
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) {
    throw new StatsInputError(`level is ${level}: a confidence level lies in (0, 1), e.g. 0.95`);
  }
  const input = checkRocInput(scores, labels, { scores: "scores", labels: "labels" }, options.ids);
  const model = placements(input);
  if (input.cases < 2 || input.controls < 2) {
    warnTooFew("delongAuc", input.cases, input.controls);
    return { auc: model.auc, variance: NaN, low: NaN, high: NaN };
  }
  const variance = Math.max(0, aucCovariance(model, model, input));
  const sd = Math.sqrt(variance);
  let low = model.auc + sd * normalQuantile((1 - level) / 2);
  let high = model.auc + sd * normalQuantile(1 - (1 - level) / 2);
  if (options.clip ?? true) {
    low = Math.max(0, low);
    high = Math.min(1, high);
  }
  return { auc: model.auc, variance, low, high };
}

/**
 * Paired DeLong test of two models' AUCs on the same exams (same labels):
 * z = (A - B) / sqrt(Var A + Var B - 2 Cov(A, B)), two-sided p = 2 Phi(-|z|). Degenerate
 * variance (<= 0, e.g. identical or perfectly separating models): z = 0 and p = 1 when the AUCs
 * are equal (pROC's rule), z = +-Infinity and p = 0 otherwise. Fewer than 2 positives or 2
 * negatives: variance, z and p are NaN with a warning.
 *
 * @example
 * ```ts
 * import { delongPairedTest } from "./mod.ts";
 * const labels = [0, 0, 0, 1, 1, 1];
 * const t = delongPairedTest([0.1, 0.5, 0.3, 0.4, 0.8, 0.9], [0.2, 0.1, 0.3, 0.6, 0.7, 0.9], labels);
 * // t.aucA = 0.8889, t.aucB = 1, t.difference = -0.1111, t.z = -0.7071, t.p = 0.4795
 * ```
 */
export function delongPairedTest(
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: { ids?: readonly string[] } = {},
): PairedDelong {
  const a = checkRocInput(scoresA, labels, { scores: "scoresA", labels: "labels" }, options.ids);
  const b = checkRocInput(scoresB, labels, { scores: "scoresB", labels: "labels" }, options.ids);
  const modelA = placements(a);
  const modelB = placements(b);
  const difference = modelA.auc - modelB.auc;
  const result = { aucA: modelA.auc, aucB: modelB.auc, difference };
  if (a.cases < 2 || a.controls < 2) {
    warnTooFew("delongPairedTest", a.cases, a.controls);
    return { ...result, variance: NaN, z: NaN, p: NaN };
  }
  const variance = Math.max(
    0,
    aucCovariance(modelA, modelA, a) + aucCovariance(modelB, modelB, a) -
      2 * aucCovariance(modelA, modelB, a),
  );
  const [z, p] = zAndP(difference, variance, () => {
    const zScore = difference / Math.sqrt(variance);
    return [zScore, 2 * normalCdf(-Math.abs(zScore))];
  });
  return { ...result, variance, z, p };
}

/**
 * Unpaired DeLong comparison of two AUCs from different exams, as pROC 1.18's
 * roc.test(paired = FALSE, method = "delong"): D = (A - B) / sqrt(Var A + Var B) against a
 * Student t with Welch-Satterthwaite df = (Var A + Var B)^2 / (Var A^2 / (N_A - 1) +
 * Var B^2 / (N_B - 1)), N = positives + negatives, two-sided. Degenerate variance (both 0):
 * z = 0, p = 1 when the AUCs are equal, z = +-Infinity, p = 0 otherwise, df NaN (pROC returns
 * NaN here). Fewer than 2 of a class in either set: NaN with a warning.
 *
 * @example
 * ```ts
 * import { delongUnpairedTest } from "./mod.ts";
 * const t = delongUnpairedTest([0.1, 0.5, 0.3, 0.4, 0.8, 0.9], [0, 0, 0, 1, 1, 1],
 *   [0.2, 0.6, 0.1, 0.7, 0.3], [0, 0, 1, 1, 1]);
 * // t.aucA = 0.8889, t.aucB = 0.5, t.z = 1.0553, t.df = 5.748, t.p = 0.3336
 * ```
 */
export function delongUnpairedTest(
  scoresA: ArrayLike<number>,
  labelsA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
  labelsB: ArrayLike<number>,
  options: { idsA?: readonly string[]; idsB?: readonly string[] } = {},
): UnpairedDelong {
  const a = checkRocInput(scoresA, labelsA, { scores: "scoresA", labels: "labelsA" }, options.idsA);
  const b = checkRocInput(scoresB, labelsB, { scores: "scoresB", labels: "labelsB" }, options.idsB);
  const modelA = placements(a);
  const modelB = placements(b);
  const result = { aucA: modelA.auc, aucB: modelB.auc };
  const tooFewA = a.cases < 2 || a.controls < 2;
  if (tooFewA || b.cases < 2 || b.controls < 2) {
    const [m, n] = tooFewA ? [a.cases, a.controls] : [b.cases, b.controls];
    warnTooFew("delongUnpairedTest", m, n);
    return { ...result, z: NaN, df: NaN, p: NaN };
  }
  const varianceA = Math.max(0, aucCovariance(modelA, modelA, a));
  const varianceB = Math.max(0, aucCovariance(modelB, modelB, b));
  const total = varianceA + varianceB;
  const df = total * total /
    (varianceA * varianceA / (scoresA.length - 1) + varianceB * varianceB / (scoresB.length - 1));
  const difference = modelA.auc - modelB.auc;
  const [z, p] = zAndP(difference, total, () => {
    const d = difference / Math.sqrt(total);
    return [d, studentTwoSidedP(d, df)];
  });
  return { ...result, z, df, p };
}
