/**
 * Images for heatmap figures: a slice of a volume or of a prepared grid as a [row][column]
 * array, subsampled in-plane for display. Plain arrays in, plain arrays out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { axialImage, displayStep } from "./image_grids.ts";
 * const volume = { dims: [1, 4, 4] as [number, number, number], hu: Float32Array.from({ length: 16 }, (_, i) => i) };
 * const step = displayStep(volume.dims, 2); // 2: four pixels shown as two
 * assert.deepEqual(axialImage(volume, 0, step), [[0, 2], [8, 10]]);
 * ```
 */

/** A volume of values [slices, rows, cols], slices slowest. */
export interface ValueVolume {
  dims: readonly [number, number, number];
  hu: ArrayLike<number>;
}

/**
 * The display step that keeps the larger in-plane side of `dims` ([slices, rows, cols]) at most
 * `maxSide` pixels (1: every pixel).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { displayStep } from "./image_grids.ts";
 * assert.equal(displayStep([100, 512, 512], 256), 2);
 * assert.equal(displayStep([100, 64, 64], 256), 1);
 * ```
 */
export function displayStep(dims: readonly number[], maxSide: number): number {
  return Math.max(1, Math.ceil(Math.max(dims[1], dims[2]) / maxSide));
}

/**
 * Axial slice `z` of `volume`, every `step`-th row and column.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { axialImage } from "./image_grids.ts";
 * const volume = { dims: [2, 1, 2] as [number, number, number], hu: [1, 2, 3, 4] };
 * assert.deepEqual(axialImage(volume, 1, 1), [[3, 4]]);
 * ```
 */
export function axialImage(volume: ValueVolume, z: number, step: number): number[][] {
  const [, R, C] = volume.dims;
  return Array.from(
    { length: Math.ceil(R / step) },
    (_, y) =>
      Array.from(
        { length: Math.ceil(C / step) },
        (_, x) => volume.hu[(z * R + y * step) * C + x * step],
      ),
  );
}

/**
 * Coronal reformat of `volume` at row `row`: [slice][column], every `step`-th column.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { coronalImage } from "./image_grids.ts";
 * const volume = { dims: [2, 2, 2] as [number, number, number], hu: [1, 2, 3, 4, 5, 6, 7, 8] };
 * assert.deepEqual(coronalImage(volume, 1, 1), [[3, 4], [7, 8]]);
 * ```
 */
export function coronalImage(volume: ValueVolume, row: number, step: number): number[][] {
  const [S, R, C] = volume.dims;
  return Array.from(
    { length: S },
    (_, z) =>
      Array.from(
        { length: Math.ceil(C / step) },
        (_, x) => volume.hu[(z * R + row) * C + x * step],
      ),
  );
}

/**
 * Slice `d` of a grid [D, H, W] (or channel `channel` of a grid [D, H, W, channels]), each value
 * times `scale`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gridImage } from "./image_grids.ts";
 * assert.deepEqual(gridImage([0, 255, 255, 0], [1, 2, 2], 0, { scale: 1 / 255 }), [[0, 1], [1, 0]]);
 * // channel 1 of a [1, 1, 2, 3] input
 * assert.deepEqual(gridImage([1, 2, 3, 4, 5, 6], [1, 1, 2], 0, { channels: 3, channel: 1 }), [[2, 5]]);
 * ```
 */
export function gridImage(
  values: ArrayLike<number>,
  dims: readonly [number, number, number],
  d: number,
  options: { scale?: number; channels?: number; channel?: number } = {},
): number[][] {
  const [, H, W] = dims;
  const { scale = 1, channels = 1, channel = 0 } = options;
  return Array.from(
    { length: H },
    (_, y) =>
      Array.from(
        { length: W },
        (_, x) => values[((d * H + y) * W + x) * channels + channel] * scale,
      ),
  );
}
