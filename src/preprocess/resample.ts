/**
 * Lung-VOI crop, windowing and resampling to the model's grid, and the slice-label mapping
 * that goes with it.
 *
 * Geometry: the crop is the VOI's z range and a square in-plane region (side = the longer of
 * the VOI's height and width) centred on the VOI; voxels of the square outside the volume read
 * as `fillHu`. Sampling is "align corners": output index j of n samples a source range of m
 * voxels starting at `start` at position start + j (m - 1) / (n - 1), so the first and last
 * output voxels sit on the first and last source voxels. Interpolation is separable linear
 * (bilinear in-plane, then linear in z) on windowed values in [0, 1], so a linear HU ramp
 * inside the window comes out exact.
 *
 * Labels: output slice j covers the source slices within half an output step of its position,
 * plus the one or two source slices it interpolates from; it is positive when any of them is.
 * Neighbouring intervals touch, so every source slice lies in some interval and no positive is
 * lost.
 *
 * @example
 * ```ts ignore
 * import { mapSliceLabels, resampleVoi, sourceIntervals } from "./resample.ts";
 * import type { Volume } from "../io/volume.ts";
 * declare const volume: Volume;
 * const voi = { z: [10, 209], y: [100, 399], x: [60, 451] } as const;
 * const voxels = resampleVoi(volume, voi, [184, 256, 256], new Uint8Array(184 * 256 * 256));
 * const intervals = sourceIntervals(200, 184);
 * const labels = mapSliceLabels(new Uint8Array(200), intervals); // Uint8Array(184)
 * ```
 */
import type { Volume } from "../io/volume.ts";
import type { LungVoi } from "./lung_mask.ts";
import { type CtWindow, pulmonaryAngioWindow } from "./window.ts";

/**
 * Position of output sample j of n on a source range [start, start + m - 1] (align corners).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { samplePosition } from "./resample.ts";
 * assert.equal(samplePosition(2, 5, 9, 0), 4);
 * assert.equal(samplePosition(0, 1, 9, 0), 4); // a single sample sits in the middle
 * ```
 */
export function samplePosition(j: number, n: number, m: number, start: number): number {
  return n === 1 ? start + (m - 1) / 2 : start + (j * (m - 1)) / (n - 1);
}

/**
 * Source-slice interval [first, last] (0-based, inclusive, relative to the first source slice)
 * of each of `outCount` output slices resampled from `sourceCount` slices.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sourceIntervals } from "./resample.ts";
 * assert.deepEqual(sourceIntervals(5, 3), [[0, 1], [1, 3], [3, 4]]);
 * ```
 */
export function sourceIntervals(sourceCount: number, outCount: number): [number, number][] {
  const step = outCount === 1 ? sourceCount : (sourceCount - 1) / (outCount - 1);
  const out: [number, number][] = [];
  for (let j = 0; j < outCount; j++) {
    const u = samplePosition(j, outCount, sourceCount, 0);
    const first = Math.min(Math.floor(u), Math.ceil(u - step / 2 - 1e-9));
    const last = Math.max(Math.ceil(u), Math.floor(u + step / 2 + 1e-9));
    out.push([Math.max(0, first), Math.min(sourceCount - 1, last)]);
  }
  return out;
}

/**
 * Output slice labels: 1 when any source slice in the output slice's interval is positive.
 * `sourceLabels` has one entry per source slice of the range the intervals refer to.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mapSliceLabels, sourceIntervals } from "./resample.ts";
 * assert.deepEqual(
 *   Array.from(mapSliceLabels(new Uint8Array([0, 0, 1, 0, 0]), sourceIntervals(5, 3))),
 *   [0, 1, 0],
 * );
 * ```
 */
export function mapSliceLabels(
  sourceLabels: ArrayLike<number>,
  intervals: readonly (readonly [number, number])[],
): Uint8Array {
  const out = new Uint8Array(intervals.length);
  intervals.forEach(([first, last], j) => {
    for (let i = first; i <= last; i++) {
      if (sourceLabels[i]) {
        out[j] = 1;
        break;
      }
    }
  });
  return out;
}

/** The square in-plane crop around a VOI: top-left corner (may be fractional or outside). */
export interface SquareCrop {
  /** Source row of the crop's first row. */
  row0: number;
  /** Source column of the crop's first column. */
  col0: number;
  /** Side in source pixels. */
  side: number;
}

/**
 * The square crop centred on the VOI's in-plane box, its side the longer of height and width.
 *
 * @example
 * ```ts
 * import { squareCrop } from "./resample.ts";
 * squareCrop({ z: [0, 9], y: [100, 199], x: [50, 249] }); // { row0: 50, col0: 50, side: 200 }
 * ```
 */
export function squareCrop(voi: LungVoi): SquareCrop {
  const height = voi.y[1] - voi.y[0] + 1;
  const width = voi.x[1] - voi.x[0] + 1;
  const side = Math.max(height, width);
  return {
    row0: (voi.y[0] + voi.y[1]) / 2 - (side - 1) / 2,
    col0: (voi.x[0] + voi.x[1]) / 2 - (side - 1) / 2,
    side,
  };
}

/** Options of {@link resampleVoi}. */
export interface ResampleOptions {
  window?: CtWindow;
  /** HU of crop voxels outside the volume (default -1024, air). */
  fillHu?: number;
}

/**
 * Crop the VOI (square in-plane), window and resample it to `dims` = [D, H, W], writing into
 * `out`: a Uint8Array gets stored bytes (see window.ts), a Float32Array the values in [0, 1].
 *
 * @example
 * ```ts ignore
 * import { resampleVoi } from "./resample.ts";
 * import type { Volume } from "../io/volume.ts";
 * declare const volume: Volume;
 * const voi = { z: [0, 99], y: [0, 255], x: [0, 255] } as const;
 * const values = resampleVoi(volume, voi, [64, 128, 128], new Float32Array(64 * 128 * 128));
 * ```
 */
export function resampleVoi<T extends Uint8Array | Float32Array>(
  volume: Volume,
  voi: LungVoi,
  dims: readonly [number, number, number],
  out: T,
  options: ResampleOptions = {},
): T {
  const [D, H, W] = dims;
  if (out.length !== D * H * W) {
    throw new Error(`resampleVoi: output holds ${out.length} values, ${D}x${H}x${W} expected`);
  }
  const [, rows, cols] = volume.dims;
  const window = options.window ?? pulmonaryAngioWindow;
  // The map of windowUnit (window.ts), inlined in the hot loops; intermediate values stay in
  // float64 so stored bytes equal windowByte(windowUnit(hu)) on the source grid.
  const lo = window.centre - window.width / 2;
  const scale = 1 / window.width;
  const fill = clampUnit(((options.fillHu ?? -1024) - lo) * scale);
  const crop = squareCrop(voi);
  const rowTaps = taps(H, crop.side, crop.row0, rows);
  const colTaps = taps(W, crop.side, crop.col0, cols);
  const sourceCount = voi.z[1] - voi.z[0] + 1;

  // Source rows each output row reads, and a windowed, column-resampled buffer per such row.
  const usedRows = new Int32Array(rows).fill(-1);
  let nUsed = 0;
  for (let j = 0; j < H; j++) {
    for (const r of [rowTaps.i0[j], rowTaps.i1[j]]) {
      if (r >= 0 && usedRows[r] < 0) usedRows[r] = nUsed++;
    }
  }
  const rowBuffer = new Float64Array(Math.max(1, nUsed) * W);
  const planes = new Map<number, Float64Array>();
  const planeOf = (z: number): Float64Array => {
    let plane = planes.get(z);
    if (plane) return plane;
    for (const [key, value] of planes) {
      if (key < z - 1) {
        plane = value;
        planes.delete(key);
        break;
      }
    }
    plane ??= new Float64Array(H * W);
    const sliceOffset = (voi.z[0] + z) * rows * cols;
    windowRows(volume.hu, sliceOffset, cols, usedRows, rowBuffer, colTaps, lo, scale, fill);
    for (let j = 0; j < H; j++) {
      const r0 = rowTaps.i0[j], r1 = rowTaps.i1[j], f = rowTaps.f[j];
      const a = r0 >= 0 ? usedRows[r0] * W : -1;
      const b = r1 >= 0 ? usedRows[r1] * W : -1;
      for (let k = 0; k < W; k++) {
        const va = a >= 0 ? rowBuffer[a + k] : fill;
        const vb = f > 0 ? (b >= 0 ? rowBuffer[b + k] : fill) : 0;
        plane[j * W + k] = va + f * (vb - va);
      }
    }
    planes.set(z, plane);
    return plane;
  };

  const plane = H * W;
  for (let d = 0; d < D; d++) {
    const u = samplePosition(d, D, sourceCount, 0);
    const z0 = Math.floor(u);
    const f = u - z0;
    const a = planeOf(z0);
    const b = f > 0 ? planeOf(z0 + 1) : a;
    const base = d * plane;
    if (out instanceof Uint8Array) {
      for (let i = 0; i < plane; i++) {
        const v = a[i] + f * (b[i] - a[i]);
        out[base + i] = Math.floor(255 * v + 0.5); // windowByte (window.ts), inlined
      }
    } else {
      for (let i = 0; i < plane; i++) out[base + i] = a[i] + f * (b[i] - a[i]);
    }
  }
  return out;
}

/** Interpolation taps per output sample: source indices (-1 when outside) and weight of i1. */
interface Taps {
  i0: Int32Array;
  i1: Int32Array;
  f: Float64Array;
}

/** Window and resample (along columns) each used source row of one slice into `buffer`. */
function windowRows(
  hu: Float32Array,
  sliceOffset: number,
  cols: number,
  used: Int32Array,
  buffer: Float64Array,
  c: Taps,
  lo: number,
  scale: number,
  fill: number,
): void {
  const W = c.f.length;
  for (let r = 0; r < used.length; r++) {
    const slot = used[r];
    if (slot < 0) continue;
    const src = sliceOffset + r * cols;
    const dst = slot * W;
    for (let k = 0; k < W; k++) {
      const c0 = c.i0[k], c1 = c.i1[k], f = c.f[k];
      const va = c0 >= 0 ? clampUnit((hu[src + c0] - lo) * scale) : fill;
      const vb = f > 0 ? (c1 >= 0 ? clampUnit((hu[src + c1] - lo) * scale) : fill) : 0;
      buffer[dst + k] = va + f * (vb - va);
    }
  }
}

function taps(n: number, m: number, start: number, sourceSize: number): Taps {
  const i0 = new Int32Array(n), i1 = new Int32Array(n), f = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const u = samplePosition(j, n, m, start);
    const base = Math.floor(u);
    f[j] = u - base;
    i0[j] = base >= 0 && base < sourceSize ? base : -1;
    i1[j] = base + 1 >= 0 && base + 1 < sourceSize ? base + 1 : -1;
  }
  return { i0, i1, f };
}

function clampUnit(v: number): number {
  return v <= 0 ? 0 : v >= 1 ? 1 : v;
}
