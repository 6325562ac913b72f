/**
 * Holm's step-down adjustment of p-values for multiple comparisons (family-wise error).
 *
 * Reference: S. Holm, "A simple sequentially rejective multiple test procedure", Scandinavian
 * Journal of Statistics 6 (1979) 65-70; same values as R's p.adjust(method = "holm").
 */
import { StatsInputError } from "./errors.ts";

/**
 * Holm-adjusted p-values in the input order: the k-th smallest of m p-values becomes
 * min(1, max over j <= k of (m - j + 1) p_(j)). Missing entries (NaN, null, undefined) stay
 * missing (returned as NaN) and do not count in m, as R's p.adjust does with NA.
 * Throws StatsInputError for a p-value outside [0, 1].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { holmAdjust } from "./mod.ts";
 * assert.deepEqual(holmAdjust([0.01, 0.04, NaN, 0.03]), [0.03, 0.06, NaN, 0.06]);
 * ```
 */
export function holmAdjust(pValues: readonly (number | null | undefined)[]): number[] {
  const present: number[] = [];
  pValues.forEach((p, i) => {
    if (p === null || p === undefined || Number.isNaN(p)) return;
    if (!(p >= 0 && p <= 1)) {
      throw new StatsInputError(`pValues[${i}] is ${p}: a p-value lies in [0, 1]`);
    }
    present.push(i);
  });
  const adjusted = pValues.map(() => NaN);
  const order = present.sort((i, j) => (pValues[i] as number) - (pValues[j] as number));
  const m = order.length;
  let running = 0;
  order.forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * (pValues[index] as number)));
    adjusted[index] = running;
  });
  return adjusted;
}
