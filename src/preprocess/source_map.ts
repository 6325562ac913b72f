/**
 * The inverse of the lung-VOI crop and resampling (resample.ts): values on the model's grid
 * [D, H, W] (a Grad-CAM map, a probability map) carried back to the source volume's voxels
 * [slices, rows, cols], so they can be drawn on the original slices and compared with masks
 * drawn there.
 *
 * Preprocessing samples output index j of n at source position start + j (m - 1) / (n - 1)
 * ("align corners", `samplePosition`); the inverse gives each source voxel its continuous
 * output coordinate (s - start) (n - 1) / (m - 1) and reads the output grid there by
 * trilinear interpolation. Source voxels outside the VOI's slices or outside the square
 * in-plane crop get 0 (the model never saw them). A field linear on the output grid comes back
 * exactly linear in source coordinates.
 *
 * @example
 * ```ts ignore
 * import { mapToSource } from "./source_map.ts";
 * import { readExamSidecar } from "./cache.ts";
 * const sidecar = await readExamSidecar("cache/demo", "1.2.3");
 * declare const cam: Float32Array; // [D, H, W] on the model's grid
 * const onSource = mapToSource(cam, sidecar.dims, sidecar.record); // [slices, rows, cols]
 * ```
 */
import type { PreparationRecord } from "./prepare.ts";
import { samplePosition } from "./resample.ts";

/** What the inverse needs from an exam's preparation record. */
export type SourceGeometry = Pick<PreparationRecord, "sourceDims" | "voi" | "crop">;

/**
 * Continuous output coordinate of source position `s` when n outputs sample m sources from
 * `start` (the inverse of `samplePosition`); NaN when `s` lies outside [start, start + m - 1].
 * With a single output (n = 1) or a single source (m = 1) every inside position maps to 0.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { outputCoordinate } from "./source_map.ts";
 * assert.equal(outputCoordinate(4, 3, 9, 0), 1); // samplePosition(1, 3, 9, 0) is 4
 * assert.ok(Number.isNaN(outputCoordinate(9, 3, 9, 0))); // outside the 9 source voxels 0..8
 * ```
 */
export function outputCoordinate(s: number, n: number, m: number, start: number): number {
  const eps = 1e-9;
  if (s < start - eps || s > start + m - 1 + eps) return NaN;
  if (n === 1 || m === 1) return 0;
  return Math.min(n - 1, Math.max(0, ((s - start) * (n - 1)) / (m - 1)));
}

/**
 * The nearest source slice (volume index) of output slice `d` of `D`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sourceSliceOf } from "./source_map.ts";
 * assert.equal(sourceSliceOf(2, 4, { z: [4, 13], y: [0, 9], x: [0, 9] }), 10);
 * ```
 */
export function sourceSliceOf(d: number, D: number, voi: SourceGeometry["voi"]): number {
  return Math.round(samplePosition(d, D, voi.z[1] - voi.z[0] + 1, voi.z[0]));
}

/** Interpolation taps of one source axis: output index pairs and weight (i0 = -1: outside). */
interface AxisTaps {
  i0: Int32Array;
  i1: Int32Array;
  f: Float64Array;
}

function axisTaps(sourceSize: number, n: number, m: number, start: number): AxisTaps {
  const i0 = new Int32Array(sourceSize).fill(-1);
  const i1 = new Int32Array(sourceSize).fill(-1);
  const f = new Float64Array(sourceSize);
  for (let s = 0; s < sourceSize; s++) {
    const u = outputCoordinate(s, n, m, start);
    if (Number.isNaN(u)) continue;
    const base = Math.min(n - 1, Math.floor(u));
    i0[s] = base;
    i1[s] = Math.min(n - 1, base + 1);
    f[s] = u - base;
  }
  return { i0, i1, f };
}

/**
 * Map `values` [D, H, W] (index (d * H + h) * W + w) back to the source grid of `geometry`:
 * returns [slices, rows, cols] (index (k * rows + r) * cols + c), 0 outside the VOI's slices
 * and the square crop. Pass `slices` to fill only those source slices (the rest stay 0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mapToSource } from "./source_map.ts";
 * const geometry = {
 *   sourceDims: [20, 41, 40] as [number, number, number],
 *   voi: { z: [4, 13] as [number, number], y: [10, 40] as [number, number],
 *     x: [5, 30] as [number, number] },
 *   crop: { row0: 10, col0: 2.5, side: 31 },
 * };
 * const hot = new Float32Array(4 * 16 * 16);
 * hot[(2 * 16 + 5) * 16 + 3] = 1; // output voxel (2, 5, 3)
 * const source = mapToSource(hot, [4, 16, 16], geometry);
 * assert.equal(source[(10 * 41 + 20) * 40 + 8], 0.75); // source slice 10, row 20, column 8.5 - 0.5
 * ```
 */
export function mapToSource(
  values: ArrayLike<number>,
  dims: readonly [number, number, number],
  geometry: SourceGeometry,
  slices?: readonly number[],
): Float32Array {
  const [D, H, W] = dims;
  if (values.length !== D * H * W) {
    throw new Error(`mapToSource: ${values.length} values for a ${D}x${H}x${W} grid`);
  }
  const [sourceSlices, rows, cols] = geometry.sourceDims;
  const { voi, crop } = geometry;
  const zTaps = axisTaps(sourceSlices, D, voi.z[1] - voi.z[0] + 1, voi.z[0]);
  const rowTaps = axisTaps(rows, H, crop.side, crop.row0);
  const colTaps = axisTaps(cols, W, crop.side, crop.col0);
  const out = new Float32Array(sourceSlices * rows * cols);
  const plane = H * W;
  const zPlane = new Float64Array(plane); // the output grid interpolated at this slice's z
  const line = new Float64Array(W); // ... and at this row's position
  const wanted = slices ?? Array.from({ length: sourceSlices }, (_, k) => k);
  for (const k of wanted) {
    if (k < 0 || k >= sourceSlices) {
      throw new Error(`mapToSource: source slice ${k} outside 0..${sourceSlices - 1}`);
    }
    const d0 = zTaps.i0[k];
    if (d0 < 0) continue;
    const a0 = d0 * plane, a1 = zTaps.i1[k] * plane, fz = zTaps.f[k];
    for (let i = 0; i < plane; i++) {
      zPlane[i] = values[a0 + i] + fz * (values[a1 + i] - values[a0 + i]);
    }
    const base = k * rows * cols;
    for (let r = 0; r < rows; r++) {
      const h0 = rowTaps.i0[r];
      if (h0 < 0) continue;
      const b0 = h0 * W, b1 = rowTaps.i1[r] * W, fr = rowTaps.f[r];
      for (let w = 0; w < W; w++) line[w] = zPlane[b0 + w] + fr * (zPlane[b1 + w] - zPlane[b0 + w]);
      for (let c = 0; c < cols; c++) {
        const w0 = colTaps.i0[c];
        if (w0 < 0) continue;
        const a = line[w0];
        out[base + r * cols + c] = a + colTaps.f[c] * (line[colTaps.i1[c]] - a);
      }
    }
  }
  return out;
}
