/**
 * One exam from a HU volume to the model's grid: lung mask and VOI, square crop, window,
 * resample to [D, H, W], slice labels mapped, and a record of what was done (VOI, lung slice
 * count, the source-slice interval of each output slice, labels before and after).
 *
 * @example
 * ```ts ignore
 * import { prepareVolume, preprocessConfigSchema } from "./prepare.ts";
 * import type { Volume } from "../io/volume.ts";
 * declare const volume: Volume;
 * const config = preprocessConfigSchema.parse({ size: [64, 128, 128] });
 * const prepared = prepareVolume(volume, new Uint8Array(volume.dims[0]), config);
 * console.log(prepared.record.voi, prepared.sliceLabels.length); // ..., 64
 * ```
 */
import { z } from "zod";
import type { Volume } from "../io/volume.ts";
import { type LungMask, lungMaskOptionsSchema, lungVoiSchema, segmentLungs } from "./lung_mask.ts";
import { mapSliceLabels, resampleVoi, sourceIntervals, squareCrop } from "./resample.ts";
import { ctWindowSchema } from "./window.ts";

/** Everything that changes a prepared exam; its hash names the cache's settings. */
export const preprocessConfigSchema = z.object({
  /** Output [D, H, W] (paper: 184 x 256 x 256). */
  size: z.tuple([
    z.number().int().positive(),
    z.number().int().positive(),
    z.number().int()
      .positive(),
  ]).default([184, 256, 256]),
  window: ctWindowSchema.default({ centre: 100, width: 700 }),
  /** HU of crop voxels outside the scanned volume. */
  fillHu: z.number().default(-1024),
  mask: lungMaskOptionsSchema.default(lungMaskOptionsSchema.parse({})),
});
/** Preprocessing settings. */
export type PreprocessConfig = z.infer<typeof preprocessConfigSchema>;

/** What was done to one exam (stored in the cache sidecar). */
export const preparationRecordSchema = z.object({
  /** Source volume [slices, rows, cols] and spacing [z, y, x] mm. */
  sourceDims: z.tuple([z.number().int(), z.number().int(), z.number().int()]),
  sourceSpacing: z.tuple([z.number(), z.number(), z.number()]),
  voi: lungVoiSchema,
  /** Source slices inside the VOI: annotation cost is counted in these. */
  lungSliceCount: z.number().int().min(1),
  /** Square in-plane crop (source pixels; row0 / col0 may be fractional or negative). */
  crop: z.object({ row0: z.number(), col0: z.number(), side: z.number().int().positive() }),
  /** Output voxel size [z, y, x] mm. */
  outputSpacing: z.tuple([z.number(), z.number(), z.number()]),
  /** Per output slice: [first, last] source slice (volume index, inclusive). */
  sourceSlices: z.array(z.tuple([z.number().int(), z.number().int()])),
  /** Per source slice, in volume order: the slice label before resampling. */
  sourceLabels: z.array(z.union([z.literal(0), z.literal(1)])),
  /** Positive source slices outside the VOI's z range (they cannot reach the output). */
  positivesOutsideVoi: z.number().int().min(0),
  /** Lung mask voxel counts (at mask resolution, in-plane stride `maskStride`). */
  rightLungVoxels: z.number().int().min(0),
  leftLungVoxels: z.number().int().min(0),
  maskStride: z.number().int().min(1),
});
/** What was done to one exam. */
export type PreparationRecord = z.infer<typeof preparationRecordSchema>;

/** Result of {@link prepareVolume}. */
export interface PreparedVolume {
  /** Windowed bytes, shape [D, H, W]. */
  voxels: Uint8Array;
  /** Per output slice, shape [D]. */
  sliceLabels: Uint8Array;
  record: PreparationRecord;
  mask: LungMask;
}

/**
 * Prepare one volume. `sourceLabels` holds one 0/1 label per source slice in volume order
 * (all zero for a negative exam). Throws when no lung is found.
 *
 * @example
 * ```ts ignore
 * import { prepareVolume, preprocessConfigSchema } from "./prepare.ts";
 * import type { Volume } from "../io/volume.ts";
 * declare const volume: Volume;
 * const { voxels, record } = prepareVolume(volume, null, preprocessConfigSchema.parse({}));
 * // voxels.length === 184 * 256 * 256
 * ```
 */
export function prepareVolume(
  volume: Volume,
  sourceLabels: Uint8Array | null,
  config: PreprocessConfig,
): PreparedVolume {
  const [slices] = volume.dims;
  const labels = sourceLabels ?? new Uint8Array(slices);
  if (labels.length !== slices) {
    throw new Error(`${labels.length} slice labels for a volume of ${slices} slices`);
  }
  const mask = segmentLungs(volume, config.mask);
  const voi = mask.voi;
  if (!voi) {
    throw new Error(
      `no lung found (no air region inside the body passed the lung rules; check the series is a chest CT)`,
    );
  }
  const [D, H, W] = config.size;
  const voxels = resampleVoi(volume, voi, config.size, new Uint8Array(D * H * W), config);
  const lungSliceCount = voi.z[1] - voi.z[0] + 1;
  const intervals = sourceIntervals(lungSliceCount, D);
  const sliceLabels = mapSliceLabels(labels.subarray(voi.z[0], voi.z[1] + 1), intervals);
  let positivesOutsideVoi = 0;
  labels.forEach((v, i) => {
    if (v && (i < voi.z[0] || i > voi.z[1])) positivesOutsideVoi++;
  });
  const crop = squareCrop(voi);
  const step = (n: number, m: number) => (n === 1 ? m : (m - 1) / (n - 1));
  const record: PreparationRecord = {
    sourceDims: [...volume.dims],
    sourceSpacing: [...volume.spacing],
    voi,
    lungSliceCount,
    crop,
    outputSpacing: [
      volume.spacing[0] * step(D, lungSliceCount),
      volume.spacing[1] * step(H, crop.side),
      volume.spacing[2] * step(W, crop.side),
    ],
    sourceSlices: intervals.map(([a, b]) => [a + voi.z[0], b + voi.z[0]]),
    sourceLabels: Array.from(labels, (v) => (v ? 1 : 0)),
    positivesOutsideVoi,
    rightLungVoxels: mask.rightVoxels,
    leftLungVoxels: mask.leftVoxels,
    maskStride: mask.stride,
  };
  return { voxels, sliceLabels, record, mask };
}
