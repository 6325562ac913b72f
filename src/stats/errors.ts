/**
 * The one error type of the statistics stage: raised when the input cannot give a meaningful
 * statistic (empty input, one class only, non-finite scores, mismatched lengths, labels other
 * than 0/1). The message names the offending entries (ids when given, else indices) and the fix.
 *
 * @example
 * ```ts
 * import { auc, StatsInputError } from "./mod.ts";
 * try {
 *   auc([0.1, 0.2], [1, 1]);
 * } catch (error) {
 *   console.log(error instanceof StatsInputError); // true: one class only
 * }
 * ```
 */
export class StatsInputError extends Error {
  override name = "StatsInputError";
}
