/**
 * Breadth-first flood fill on typed arrays without recursion. Images are padded with a
 * one-pixel wall (a value no flood may enter), so the inner loop needs no bounds checks: a
 * [height, width] image is stored as [height + 2, width + 2], a [depth, height, width] volume
 * as [depth + 2, height + 2, width + 2]. The queue is a preallocated Int32Array that also lists
 * the filled pixels, so a caller can inspect a component (size, statistics) and relabel it.
 *
 * @example
 * ```ts
 * import { flood, neighbourOffsets2d, passableTable } from "./_flood.ts";
 * // 1 x 2 image [1, 1] padded with the wall value 9 to 3 x 4
 * const state = new Uint8Array([9, 9, 9, 9, 9, 1, 1, 9, 9, 9, 9, 9]);
 * const queue = new Int32Array(2);
 * const n = flood(state, [5], passableTable([1]), 3, queue, neighbourOffsets2d(4)); // n = 2
 * ```
 */

/**
 * A 256-entry table: `table[value] = 1` when a flood may enter a pixel holding `value`.
 *
 * @example
 * ```ts
 * import { passableTable } from "./_flood.ts";
 * const air = passableTable([1, 2]); // air[1] === 1, air[0] === 0
 * ```
 */
export function passableTable(values: readonly number[]): Uint8Array {
  const table = new Uint8Array(256);
  for (const value of values) table[value] = 1;
  return table;
}

/**
 * Index offsets of the 4 in-plane neighbours in a padded image `paddedWidth` wide.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { neighbourOffsets2d } from "./_flood.ts";
 * assert.deepEqual(Array.from(neighbourOffsets2d(10)), [-1, 1, -10, 10]);
 * ```
 */
export function neighbourOffsets2d(paddedWidth: number): Int32Array {
  return Int32Array.from([-1, 1, -paddedWidth, paddedWidth]);
}

/**
 * Index offsets of the 6 face neighbours in a padded volume.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { neighbourOffsets3d } from "./_flood.ts";
 * assert.deepEqual(Array.from(neighbourOffsets3d(10, 5)), [-1, 1, -10, 10, -50, 50]);
 * ```
 */
export function neighbourOffsets3d(paddedWidth: number, paddedHeight: number): Int32Array {
  const plane = paddedWidth * paddedHeight;
  return Int32Array.from([-1, 1, -paddedWidth, paddedWidth, -plane, plane]);
}

/**
 * Fill the region of passable pixels connected (through `offsets`) to `seeds` (one index or a
 * list) with value `to`
 * (which must not be passable), writing the filled pixels to `queue[start..start+n)`.
 * Returns n. The padding wall must not be passable.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { flood, neighbourOffsets2d, passableTable } from "./_flood.ts";
 * const state = new Uint8Array(16).fill(9); // 2 x 2 image padded to 4 x 4
 * state[5] = state[6] = state[9] = 1;
 * const n = flood(state, [5], passableTable([1]), 2, new Int32Array(4), neighbourOffsets2d(4));
 * // n === 3
 * ```
 */
export function flood(
  state: Uint8Array,
  seeds: number | ArrayLike<number>,
  passable: Uint8Array,
  to: number,
  queue: Int32Array,
  offsets: Int32Array,
  start = 0,
): number {
  let tail = start;
  if (typeof seeds === "number") {
    if (passable[state[seeds]]) (state[seeds] = to), (queue[tail++] = seeds);
  } else {
    for (let i = 0; i < seeds.length; i++) {
      const seed = seeds[i];
      if (passable[state[seed]]) (state[seed] = to), (queue[tail++] = seed);
    }
  }
  let head = start;
  if (offsets.length === 4) {
    const [o0, o1, o2, o3] = offsets;
    while (head < tail) {
      const p = queue[head++];
      let q = p + o0;
      if (passable[state[q]]) (state[q] = to), (queue[tail++] = q);
      q = p + o1;
      if (passable[state[q]]) (state[q] = to), (queue[tail++] = q);
      q = p + o2;
      if (passable[state[q]]) (state[q] = to), (queue[tail++] = q);
      q = p + o3;
      if (passable[state[q]]) (state[q] = to), (queue[tail++] = q);
    }
    return tail - start;
  }
  const k = offsets.length;
  while (head < tail) {
    const p = queue[head++];
    for (let j = 0; j < k; j++) {
      const q = p + offsets[j];
      if (passable[state[q]]) {
        state[q] = to;
        queue[tail++] = q;
      }
    }
  }
  return tail - start;
}

/**
 * Like {@link flood}, but each filled pixel takes `mapTo[its old value]` (which must not be
 * passable), so a fill can keep a distinction between passable values (e.g. dark / not dark).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { floodMapped, neighbourOffsets2d, passableTable } from "./_flood.ts";
 * const state = new Uint8Array(16).fill(9); // 2 x 2 image padded to 4 x 4
 * state[5] = 1, state[6] = 2;
 * const mapTo = new Uint8Array(256);
 * mapTo[1] = 3, mapTo[2] = 4;
 * floodMapped(state, 5, passableTable([1, 2]), mapTo, new Int32Array(4), neighbourOffsets2d(4));
 * // state[5] === 3, state[6] === 4
 * ```
 */
export function floodMapped(
  state: Uint8Array,
  seed: number,
  passable: Uint8Array,
  mapTo: Uint8Array,
  queue: Int32Array,
  offsets: Int32Array,
  start = 0,
): number {
  if (!passable[state[seed]]) return 0;
  state[seed] = mapTo[state[seed]];
  let tail = start;
  queue[tail++] = seed;
  let head = start;
  const k = offsets.length;
  while (head < tail) {
    const p = queue[head++];
    for (let j = 0; j < k; j++) {
      const q = p + offsets[j];
      const v = state[q];
      if (passable[v]) {
        state[q] = mapTo[v];
        queue[tail++] = q;
      }
    }
  }
  return tail - start;
}
