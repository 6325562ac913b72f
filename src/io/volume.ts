/**
 * The CT volume every stage below `io` works on: Hounsfield units on a regular grid, slices
 * ordered along the slice normal (never by file name), with the geometry to map voxels back to
 * patient space and to the source DICOM instances.
 *
 * Index of voxel (z, y, x) in `hu`: `(z * rows + y) * cols + x`  (shape [slices, rows, cols]).
 *
 * @example
 * ```ts
 * import { voxelIndex, type Volume } from "./volume.ts";
 * const v: Volume = {
 *   hu: new Float32Array(2 * 3 * 4), dims: [2, 3, 4], spacing: [2.5, 0.7, 0.7],
 *   origin: [0, 0, 0], direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
 *   sopInstanceUids: ["1.2.3.1", "1.2.3.2"], zPositions: [0, 2.5],
 * };
 * v.hu[voxelIndex(v, 1, 2, 3)] = 40; // last voxel
 * ```
 */
export interface Volume {
  /** HU values, shape [slices, rows, cols], z slowest. */
  hu: Float32Array;
  /** [slices, rows, cols]. */
  dims: [number, number, number];
  /** Voxel size in mm: [slice increment, row spacing (y), column spacing (x)]. */
  spacing: [number, number, number];
  /** Patient-space (LPS, mm) position of voxel (0, 0, 0): ImagePositionPatient of slice 0. */
  origin: [number, number, number];
  /** Direction cosines, row-major: row direction (x), column direction (y), slice normal (z). */
  direction: [number, number, number, number, number, number, number, number, number];
  /** SOPInstanceUID of each slice, in volume order. */
  sopInstanceUids: string[];
  /** Position of each slice along the slice normal (mm), increasing. */
  zPositions: number[];
}

/** Flat index of voxel (z, y, x). */
export function voxelIndex(volume: Pick<Volume, "dims">, z: number, y: number, x: number): number {
  const [, rows, cols] = volume.dims;
  return (z * rows + y) * cols + x;
}
