/**
 * From the model's resampled slices back to the source slices: the inverse of the slice-label
 * mapping. Output slice j covers the source slices of its interval (`record.sourceSlices[j]`,
 * see resample.ts); a source slice is covered by one or two neighbouring output slices (the
 * intervals touch), and a source slice outside the lung VOI's z range by none. A per-output-slice
 * value (a probability) goes back to a source slice as the MAXIMUM over the output slices
 * covering it, the dual of the label rule (an output slice is positive when any source slice it
 * covers is): a high probability is never lost on the way back, and a source slice outside the
 * VOI gets none (null).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sourceSliceCover, sourceSliceValues } from "./slice_cover.ts";
 * const cover = sourceSliceCover([[1, 2], [2, 4]], 6); // 6 source slices, VOI z 1..4
 * // [null, [0, 0], [0, 1], [1, 1], [1, 1], null]
 * assert.deepEqual(sourceSliceValues(cover, [0.2, 0.9]), [null, 0.2, 0.9, 0.9, 0.9, null]);
 * ```
 */

/**
 * For each of `sourceCount` source slices (volume order), the first and last output slice whose
 * interval holds it, or null when none does. `sourceSlices[j]` is output slice j's inclusive
 * [first, last] source slice (volume index), as in the preparation record.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sourceSliceCover } from "./slice_cover.ts";
 * assert.deepEqual(sourceSliceCover([[0, 1], [1, 3], [3, 4]], 5), [[0, 0], [0, 1], [1, 1], [1, 2], [2, 2]]);
 * ```
 */
export function sourceSliceCover(
  sourceSlices: readonly (readonly [number, number])[],
  sourceCount: number,
): ([number, number] | null)[] {
  const cover: ([number, number] | null)[] = Array.from({ length: sourceCount }, () => null);
  sourceSlices.forEach(([first, last], j) => {
    if (first < 0 || last >= sourceCount || first > last) {
      throw new Error(
        `output slice ${j} covers source slices ${first}..${last}, outside 0..${
          sourceCount - 1
        }; fix: use the preparation record of this volume`,
      );
    }
    for (let i = first; i <= last; i++) {
      const current = cover[i];
      cover[i] = current === null ? [j, j] : [Math.min(current[0], j), Math.max(current[1], j)];
    }
  });
  return cover;
}

/**
 * Per source slice, the maximum of `outputValues` (shape [D]) over the output slices covering
 * it; null for a source slice no output slice covers.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sourceSliceValues } from "./slice_cover.ts";
 * assert.deepEqual(sourceSliceValues([[0, 0], [0, 1], null], [0.1, 0.7]), [0.1, 0.7, null]);
 * ```
 */
export function sourceSliceValues(
  cover: readonly (readonly [number, number] | null)[],
  outputValues: ArrayLike<number>,
): (number | null)[] {
  return cover.map((range) => {
    if (range === null) return null;
    let best = -Infinity;
    for (let j = range[0]; j <= range[1]; j++) best = Math.max(best, outputValues[j]);
    return best;
  });
}
