/**
 * Training augmentation on the image tensor of one exam, the same transform for every slice
 * (an exam is one rigid body): one affine warp (rotation 0-10 deg, scale and translation up
 * to 10 %, horizontal flip), a grid distortion (grid lines displaced by random steps, pixels
 * interpolated piecewise-linearly between them, bilinear resampling), brightness and contrast,
 * a 3x3 Gaussian, horizontal motion or median blur, Gaussian noise (variance 0.004) and a
 * cutout rectangle. Every random draw comes from a seeded generator, so a run is repeatable.
 * Off at evaluation (the caller simply does not call it).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { augmentExam, augmentationConfigSchema } from "./augment.ts";
 * import { Rng } from "../util/random.ts";
 * const images = tf.zeros([4, 32, 32, 3]) as tf.Tensor4D;
 * const out = augmentExam(images, augmentationConfigSchema.parse({}), new Rng(1));
 * assert.deepEqual(out.shape, [4, 32, 32, 3]);
 * ```
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import type { Rng } from "../util/random.ts";

/** Augmentation ranges and probabilities (one schema; every field has a default). */
export const augmentationConfigSchema = z.object({
  enabled: z.boolean().default(true),
  maxRotationDegrees: z.number().min(0).default(10),
  maxScale: z.number().min(0).max(0.5).default(0.1),
  maxTranslate: z.number().min(0).max(0.5).default(0.1),
  flipProbability: z.number().min(0).max(1).default(0.5),
  gridDistortionProbability: z.number().min(0).max(1).default(0.2),
  /** Grid cells per side; each cell's extent is multiplied by a step in [1 - limit, 1 + limit]. */
  gridCells: z.number().int().min(1).default(5),
  gridDistortionLimit: z.number().min(0).max(0.9).default(0.3),
  maxBrightness: z.number().min(0).max(1).default(0.1),
  maxContrast: z.number().min(0).max(1).default(0.1),
  blurProbability: z.number().min(0).max(1).default(0.2),
  /** Blur kinds drawn with equal probability when a blur is applied. */
  blurKinds: z.array(z.enum(["gaussian", "motion", "median"])).min(1)
    .default(["gaussian", "motion", "median"]),
  noiseProbability: z.number().min(0).max(1).default(0.3),
  noiseVariance: z.number().min(0).default(0.004),
  cutoutProbability: z.number().min(0).max(1).default(0.3),
  /** Largest cutout side as a fraction of the image side. */
  maxCutout: z.number().min(0).max(1).default(0.2),
});

/** Validated augmentation settings. */
export type AugmentationConfig = z.infer<typeof augmentationConfigSchema>;

/** images [D, H, W, C] in [0, 1] -> augmented [D, H, W, C] in [0, 1]. */
export function augmentExam(
  images: tf.Tensor4D,
  config: AugmentationConfig,
  random: Rng,
): tf.Tensor4D {
  const [, height, width, channels] = images.shape;
  const uniform = (max: number) => (random.uniform() * 2 - 1) * max;
  const transform = warpMatrix(width, height, {
    angle: (uniform(config.maxRotationDegrees) * Math.PI) / 180,
    scale: 1 + uniform(config.maxScale),
    tx: uniform(config.maxTranslate) * width,
    ty: uniform(config.maxTranslate) * height,
    flip: random.uniform() < config.flipProbability,
  });
  const grid = random.uniform() < config.gridDistortionProbability
    ? {
      x: gridSourceCoordinates(width, gridSteps(config, random)),
      y: gridSourceCoordinates(height, gridSteps(config, random)),
    }
    : null;
  const contrast = 1 + uniform(config.maxContrast);
  const brightness = uniform(config.maxBrightness);
  const blur = random.uniform() < config.blurProbability
    ? config.blurKinds[Math.floor(random.uniform() * config.blurKinds.length)]
    : null;
  const noiseSeed = random.uniform() < config.noiseProbability
    ? Math.floor(random.uniform() * 2 ** 31)
    : null;
  const cutout = random.uniform() < config.cutoutProbability
    ? cutoutMask(height, width, config.maxCutout, random)
    : null;
  // Steps that would not change a value are skipped (a flip alone is a reversal, not a
  // resampling): same result, and a flip-only augmentation costs one pass instead of ten.
  const shifted = contrast !== 1 || brightness !== 0;
  return tf.tidy(() => {
    let x = rigidWarp(images, transform);
    if (grid) x = gridDistort(x, grid.x, grid.y);
    if (shifted) x = tf.add(tf.mul(tf.sub(x, 0.5), contrast), 0.5 + brightness);
    if (blur) x = blurImages(x, blur, channels);
    if (noiseSeed !== null) {
      x = tf.add(
        x,
        tf.randomNormal(x.shape, 0, Math.sqrt(config.noiseVariance), "float32", noiseSeed),
      );
    }
    if (cutout) x = tf.mul(x, tf.tensor4d(cutout, [1, height, width, 1]));
    // warps, grid and blur interpolate (values stay in [0, 1]); contrast and noise do not
    return (shifted || noiseSeed !== null ? tf.clipByValue(x, 0, 1) : x) as tf.Tensor4D;
  });
}

/** The tf.image.transform row of the identity and of the horizontal flip. */
const IDENTITY_ROW = [1, 0, 0, 0, 1, 0, 0, 0];

/**
 * images [D, H, W, C] warped by one tf.image.transform row (bilinear, zeros outside); the
 * identity is a copy and the horizontal flip a reversal of the width axis.
 */
function rigidWarp(images: tf.Tensor4D, transform: number[]): tf.Tensor4D {
  const [depth, height, width, channels] = images.shape;
  const flip = [-1, 0, width - 1, 0, 1, 0, 0, 0];
  if (transform.every((v, i) => v === IDENTITY_ROW[i])) return tf.clone(images); // caller owns it
  if (transform.every((v, i) => v === flip[i])) return tf.reverse(images, 2);
  // one image whose channels are all slices: the same warp for every slice, one kernel call
  // (and tfjs-backend-cpu 4.22's Transform only processes the first image of a batch)
  const stacked = tf.reshape(
    tf.transpose(images, [1, 2, 0, 3]),
    [1, height, width, depth * channels],
  ) as tf.Tensor4D; // [1, H, W, D * C]
  const warped = tf.image.transform(stacked, tf.tensor2d([transform]), "bilinear", "constant", 0);
  return tf.transpose(
    tf.reshape(warped, [height, width, depth, channels]),
    [2, 0, 1, 3],
  ) as tf.Tensor4D; // [D, H, W, C]
}

interface Warp {
  angle: number;
  scale: number;
  tx: number;
  ty: number;
  flip: boolean;
}

/**
 * tf.image.transform's row [a0, a1, a2, b0, b1, b2, c0, c1], which maps an output pixel to the
 * input pixel it samples: undo translation, then rotation and scale about the centre, then flip.
 */
function warpMatrix(width: number, height: number, w: Warp): number[] {
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  const cos = Math.cos(w.angle) / w.scale;
  const sin = Math.sin(w.angle) / w.scale;
  // input = c + R(-angle) / scale * (p - c - t), then x -> (W - 1) - x when flipped
  let a = [cos, sin, cx - cos * (cx + w.tx) - sin * (cy + w.ty)];
  const b = [-sin, cos, cy + sin * (cx + w.tx) - cos * (cy + w.ty)];
  if (w.flip) a = [-a[0], -a[1], width - 1 - a[2]];
  return [...a, ...b, 0, 0];
}

/** 3x3 Gaussian (sigma ~0.85), horizontal 1x3 motion or 3x3 median blur, per channel. */
function blurImages(
  x: tf.Tensor4D,
  kind: AugmentationConfig["blurKinds"][number],
  channels: number,
): tf.Tensor4D {
  if (kind === "median") return medianBlur(x);
  const kernel = kind === "gaussian"
    ? [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16)
    : [0, 0, 0, 1, 1, 1, 0, 0, 0].map((v) => v / 3);
  const filter = tf.tile(tf.tensor4d(kernel, [3, 3, 1, 1]), [1, 1, channels, 1]) as tf.Tensor4D;
  return tf.depthwiseConv2d(x, filter, 1, "same");
}

/** [H * W] mask: 0 inside one random rectangle, 1 elsewhere. */
function cutoutMask(height: number, width: number, maxSide: number, random: Rng) {
  const h = Math.max(1, Math.round(random.uniform() * maxSide * height));
  const w = Math.max(1, Math.round(random.uniform() * maxSide * width));
  const y0 = Math.floor(random.uniform() * (height - h + 1));
  const x0 = Math.floor(random.uniform() * (width - w + 1));
  const mask = new Float32Array(height * width).fill(1);
  for (let y = y0; y < y0 + h; y++) mask.fill(0, y * width + x0, y * width + x0 + w);
  return mask;
}

/**
 * 3x3 median per slice and channel with edge-replicated borders, by min/max only: sort each
 * row of the window into (min, middle, max); the median of the 9 is then the middle of
 * (the largest row minimum, the middle of the row middles, the smallest row maximum).
 */
function medianBlur(x: tf.Tensor4D): tf.Tensor4D {
  const [, height, width] = x.shape;
  // the image shifted by d pixels along an axis, edge pixels repeated (a gather: tf.slice of
  // a strided window is slow on the cpu backend)
  const shift = (t: tf.Tensor, axis: 1 | 2, d: -1 | 1) => {
    const size = axis === 1 ? height : width;
    const indices = Array.from({ length: size }, (_, i) => Math.min(size - 1, Math.max(0, i + d)));
    return tf.gather(t, tf.tensor1d(indices, "int32"), axis);
  };
  const [left, right] = [shift(x, 2, -1), shift(x, 2, 1)]; // [D, H, W, C] each
  const rowMin = tf.minimum(tf.minimum(left, x), right);
  const rowMax = tf.maximum(tf.maximum(left, x), right);
  const rowMiddle = middleOf(left, x, right);
  const largestMin = tf.maximum(tf.maximum(shift(rowMin, 1, -1), rowMin), shift(rowMin, 1, 1));
  const smallestMax = tf.minimum(tf.minimum(shift(rowMax, 1, -1), rowMax), shift(rowMax, 1, 1));
  const middle = middleOf(shift(rowMiddle, 1, -1), rowMiddle, shift(rowMiddle, 1, 1));
  return middleOf(largestMin, middle, smallestMax) as tf.Tensor4D;
}

/** Elementwise median of three tensors of one shape: max(min(a, b), min(max(a, b), c)). */
function middleOf(a: tf.Tensor, b: tf.Tensor, c: tf.Tensor): tf.Tensor {
  return tf.maximum(tf.minimum(a, b), tf.minimum(tf.maximum(a, b), c));
}

/** `gridCells` random steps in [1 - limit, 1 + limit], one per grid cell of one axis. */
function gridSteps(config: AugmentationConfig, random: Rng): number[] {
  const limit = config.gridDistortionLimit;
  return Array.from({ length: config.gridCells }, () => 1 + (random.uniform() * 2 - 1) * limit);
}

/**
 * Source coordinate of every output pixel along one axis of `size` pixels for a grid
 * distortion: output grid lines at k * (size - 1) / cells (k = 0..cells); source grid line k
 * lies at the sum of the first k cell extents (size - 1) / cells * steps[i], the last line stays
 * at size - 1 (the image border does not move); between grid lines the coordinate is linear.
 * Coordinates are clamped to [0, size - 1] (edge replication). All steps 1 give the identity.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gridSourceCoordinates } from "./augment.ts";
 * assert.deepEqual(Array.from(gridSourceCoordinates(5, [1.5, 0.5])), [0, 1.5, 3, 3.5, 4]);
 * ```
 */
export function gridSourceCoordinates(size: number, steps: readonly number[]): Float64Array {
  if (size < 2) return new Float64Array(size); // a single pixel cannot move
  const cells = steps.length;
  const cell = (size - 1) / cells;
  const knots = [0];
  for (let k = 1; k < cells; k++) knots.push(knots[k - 1] + cell * steps[k - 1]);
  knots.push(size - 1);
  const source = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    const u = (i * cells) / (size - 1); // position in grid cells
    const k = Math.min(cells - 1, Math.floor(u));
    const s = knots[k] + (u - k) * (knots[k + 1] - knots[k]);
    // snap rounding error to whole pixels, so that steps of 1 sample every pixel exactly
    const snapped = Math.abs(s - Math.round(s)) < 1e-9 ? Math.round(s) : s;
    source[i] = Math.min(size - 1, Math.max(0, snapped));
  }
  return source;
}

/**
 * Resample images [D, H, W, C] bilinearly at the source coordinates `ySource` [H] x `xSource`
 * [W] (one separable displacement field for every slice and channel): linear interpolation
 * along W, then along H, each as two gathers of neighbouring pixels and their weights.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { gridDistort, gridSourceCoordinates } from "./augment.ts";
 * const images = tf.zeros([2, 5, 5, 3]) as tf.Tensor4D;
 * const x = gridSourceCoordinates(5, [1.2, 0.8]);
 * const out = gridDistort(images, x, x);
 * assert.deepEqual(out.shape, [2, 5, 5, 3]);
 * ```
 */
export function gridDistort(
  images: tf.Tensor4D,
  xSource: Float64Array,
  ySource: Float64Array,
): tf.Tensor4D {
  return tf.tidy(() => resampleAxis(resampleAxis(images, xSource, 2), ySource, 1));
}

/** Linear interpolation of images [D, H, W, C] along `axis` (1 or 2) at `source` coordinates. */
function resampleAxis(images: tf.Tensor4D, source: Float64Array, axis: 1 | 2): tf.Tensor4D {
  const size = images.shape[axis];
  const below = new Int32Array(source.length);
  const above = new Int32Array(source.length);
  const weight = new Float32Array(source.length); // of the pixel above
  source.forEach((s, i) => {
    below[i] = Math.floor(s);
    above[i] = Math.min(size - 1, below[i] + 1);
    weight[i] = s - below[i];
  });
  const shape = axis === 1 ? [1, source.length, 1, 1] : [1, 1, source.length, 1];
  const w = tf.tensor(weight, shape);
  const lower = tf.gather(images, tf.tensor1d(below, "int32"), axis);
  const upper = tf.gather(images, tf.tensor1d(above, "int32"), axis);
  return tf.add(tf.mul(lower, tf.sub(1, w)), tf.mul(upper, w)) as tf.Tensor4D;
}
