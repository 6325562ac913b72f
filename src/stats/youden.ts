/**
 * The operating threshold that maximises Youden's J = sensitivity + specificity - 1.
 *
 * Reference: W. J. Youden, "Index for rating diagnostic tests", Cancer 3 (1950) 32-35;
 * thresholds between adjacent distinct scores as in pROC's coords(best.method = "youden").
 */
import { checkRocInput } from "./_input.ts";
import { scoreLevels } from "./_ranking.ts";

/** The chosen threshold and its operating point (positive when score >= threshold). */
export interface YoudenThreshold {
  threshold: number;
  sensitivity: number;
  specificity: number;
  /** sensitivity + specificity - 1. */
  j: number;
}

/** The midpoint between two adjacent distinct scores (lower < upper), strictly above lower. */
function midpoint(lower: number, upper: number): number {
  const mid = lower / 2 + upper / 2;
  return mid > lower ? mid : upper;
}

/**
 * Youden's optimal threshold. Candidates: +Infinity (nothing positive), every midpoint between
 * adjacent distinct scores, and -Infinity (everything positive); an exam is positive when its
 * score >= threshold. J is compared exactly (as the integer tp n - fp m). Ties between equally
 * good thresholds go to the LOWEST threshold, i.e. the highest sensitivity (missing a pulmonary
 * embolism costs more than a false alarm). If no threshold beats chance, J = 0 at -Infinity.
 *
 * @example
 * ```ts
 * import { youdenThreshold } from "./mod.ts";
 * youdenThreshold([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
 * // { threshold: 0.225, sensitivity: 1, specificity: 0.5, j: 0.5 }
 * ```
 */
export function youdenThreshold(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: { ids?: readonly string[] } = {},
): YoudenThreshold {
  const input = checkRocInput(scores, labels, { scores: "scores", labels: "labels" }, options.ids);
  const m = input.cases;
  const n = input.controls;
  const levels = scoreLevels(input);
  let best = { score: 0, tp: 0, fp: 0, threshold: Infinity }; // score = tp n - fp m
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < levels.scores.length; k++) {
    tp += levels.cases[k];
    fp += levels.controls[k];
    const score = tp * n - fp * m;
    if (score >= best.score) {
      const next = k + 1 < levels.scores.length ? levels.scores[k + 1] : -Infinity;
      const threshold = next === -Infinity ? -Infinity : midpoint(next, levels.scores[k]);
      best = { score, tp, fp, threshold };
    }
  }
  const sensitivity = best.tp / m;
  const specificity = (n - best.fp) / n;
  return { threshold: best.threshold, sensitivity, specificity, j: best.score / (m * n) };
}
