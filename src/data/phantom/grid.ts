/**
 * The voxel grid of one phantom exam and its mapping to patient space (LPS, mm): column i ->
 * x (patient left), row j -> y (posterior), slice k -> z (superior). Axial, no tilt.
 *
 * @example
 * ```ts
 * import { makeGrid } from "./grid.ts";
 * const g = makeGrid(64, 24, 5, 10, [-160, -160, -120]);
 * g.voxels; // 64 * 64 * 24
 * ```
 */

/** Grid size, spacing and origin; voxel (k, j, i) is at origin + (i * px, j * px, k * dz). */
export interface PhantomGrid {
  cols: number;
  rows: number;
  slices: number;
  /** In-plane pixel spacing (mm). */
  px: number;
  /** Slice increment = thickness (mm). */
  dz: number;
  /** Position (mm) of voxel (0, 0, 0). */
  origin: [number, number, number];
  voxels: number;
}

/** Build a grid from its size, spacings and origin. */
export function makeGrid(
  matrix: number,
  slices: number,
  px: number,
  dz: number,
  origin: [number, number, number],
): PhantomGrid {
  return { cols: matrix, rows: matrix, slices, px, dz, origin, voxels: matrix * matrix * slices };
}
