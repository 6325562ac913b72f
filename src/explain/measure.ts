/**
 * Measures of where an attention map (e.g. Grad-CAM, non-negative) puts its mass: the share
 * inside a mask (the clot, dilated), the share a uniform map would give (the mask's share of
 * the region the model saw: chance level), and the mass per slice (which slices drove the
 * decision). Pure functions over typed arrays, all maps on one grid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { massInsideMask, maskShare } from "./measure.ts";
 * const map = new Float32Array([0, 1, 3, 0]);
 * const mask = new Uint8Array([0, 0, 1, 1]);
 * assert.equal(massInsideMask(map, mask), 0.75);
 * assert.equal(maskShare(mask), 0.5); // what a uniform map would score
 * ```
 */

function checkLengths(name: string, lengths: number[]): void {
  if (lengths.some((n) => n !== lengths[0])) {
    throw new Error(`${name}: map, mask and region differ in size (${lengths.join(", ")})`);
  }
}

/**
 * Share of the map's mass inside `mask` (only voxels of `region` count, when given):
 * sum(map x mask) / sum(map). 1 when all mass is inside; null when the map has no mass.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { massInsideMask } from "./measure.ts";
 * assert.equal(massInsideMask(new Float32Array([2, 2]), new Uint8Array([1, 1])), 1);
 * assert.equal(massInsideMask(new Float32Array([0, 0]), new Uint8Array([1, 0])), null);
 * ```
 */
export function massInsideMask(
  map: ArrayLike<number>,
  mask: ArrayLike<number>,
  region?: ArrayLike<number>,
): number | null {
  checkLengths("massInsideMask", [map.length, mask.length, region?.length ?? map.length]);
  let inside = 0, total = 0;
  for (let i = 0; i < map.length; i++) {
    if (region && !region[i]) continue;
    const v = map[i];
    if (v < 0) throw new Error(`massInsideMask: negative map value ${v} at ${i}`);
    total += v;
    if (mask[i]) inside += v;
  }
  return total > 0 ? inside / total : null;
}

/**
 * The mask's share of the region's voxels (of all voxels without a region): the score of a
 * uniform map, i.e. the chance level of {@link massInsideMask}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { maskShare } from "./measure.ts";
 * assert.equal(maskShare(new Uint8Array([1, 0, 0, 1]), new Uint8Array([1, 1, 0, 0])), 0.5);
 * ```
 */
export function maskShare(mask: ArrayLike<number>, region?: ArrayLike<number>): number {
  checkLengths("maskShare", [mask.length, region?.length ?? mask.length]);
  let inside = 0, total = 0;
  for (let i = 0; i < mask.length; i++) {
    if (region && !region[i]) continue;
    total++;
    if (mask[i]) inside++;
  }
  return total > 0 ? inside / total : 0;
}

/**
 * Mass of a map [slices, rows, cols] per slice, as shares of the whole (all 0 without mass).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sliceMass } from "./measure.ts";
 * assert.deepEqual(Array.from(sliceMass(new Float32Array([1, 1, 2, 0]), 2)), [0.5, 0.5]);
 * ```
 */
export function sliceMass(map: ArrayLike<number>, slices: number): Float64Array {
  if (map.length % slices !== 0) {
    throw new Error(`sliceMass: ${map.length} values are not ${slices} equal slices`);
  }
  const plane = map.length / slices;
  const mass = new Float64Array(slices);
  let total = 0;
  for (let k = 0; k < slices; k++) {
    let sum = 0;
    for (let i = k * plane; i < (k + 1) * plane; i++) sum += map[i];
    mass[k] = sum;
    total += sum;
  }
  if (total > 0) { for (let k = 0; k < slices; k++) mass[k] /= total; }
  return mass;
}

/**
 * Indices of the `count` largest values, largest first (ties: lower index first).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { topSlices } from "./measure.ts";
 * assert.deepEqual(topSlices([0.1, 0.5, 0.2, 0.2], 3), [1, 2, 3]);
 * ```
 */
export function topSlices(mass: ArrayLike<number>, count: number): number[] {
  return Array.from({ length: mass.length }, (_, k) => k)
    .sort((a, b) => mass[b] - mass[a] || a - b)
    .slice(0, count);
}

/**
 * The slice of `candidates` with the most mass (the first of them on a tie); every slice is a
 * candidate when `candidates` is empty.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { peakSlice } from "./measure.ts";
 * assert.equal(peakSlice([0.1, 0.5, 0.2, 0.2], [2, 3]), 2);
 * assert.equal(peakSlice([0.1, 0.5, 0.2, 0.2]), 1);
 * ```
 */
export function peakSlice(mass: ArrayLike<number>, candidates: readonly number[] = []): number {
  const pool = candidates.length > 0
    ? candidates
    : Array.from({ length: mass.length }, (_, k) => k);
  return pool.reduce((a, b) => (mass[b] > mass[a] ? b : a));
}
