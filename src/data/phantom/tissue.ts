/**
 * Tissue codes of the phantom's truth map (one per voxel, uint8). A voxel gets a code only when
 * one tissue fills it; voxels shared by several (partial volume) are `Mixed`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Tissue, tissueNames } from "./tissue.ts";
 * assert.equal(tissueNames[Tissue.Lung], "lung");
 * ```
 */
export const Tissue = {
  Air: 0,
  Fat: 1,
  SoftTissue: 2,
  Lung: 3,
  Bone: 4,
  /** Contrast-filled pulmonary arteries and right heart. */
  Artery: 5,
  /** Aorta, left heart, superior vena cava. */
  SystemicBlood: 6,
  Vein: 7,
  Airway: 8,
  Clot: 9,
  /** Outside the scanner's reconstruction circle (PixelPaddingValue). */
  Padding: 10,
  Mixed: 255,
} as const;

/** Display names by code. */
export const tissueNames: Record<number, string> = {
  0: "air",
  1: "fat",
  2: "soft tissue",
  3: "lung",
  4: "bone",
  5: "pulmonary artery",
  6: "systemic blood",
  7: "pulmonary vein",
  8: "airway",
  9: "clot",
  10: "padding",
  255: "mixed",
};
