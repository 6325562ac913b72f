/**
 * The benchmarks' median of timings: the middle value after sorting (the upper of the two middle
 * values for an even count, so that it is always a measured time).
 *
 * @example
 * ```ts
 * import { median } from "./_median.ts";
 * median([3, 1, 2]); // 2
 * median([4, 1, 3, 2]); // 3
 * ```
 */
export function median(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[values.length >> 1];
}
