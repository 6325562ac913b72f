/**
 * Training augmentation on the image tensor of one exam, the same transform for every slice
 * (an exam is one rigid body): one projective warp (rotation 0-10 deg, scale and translation up
 * to 10 %, horizontal flip, a mild perspective term standing in for optical/grid distortion),
 * brightness and contrast, Gaussian or motion blur, Gaussian noise (variance 0.004) and a
 * cutout rectangle. Every random draw comes from a seeded generator, so a run is repeatable.
 * Off at evaluation (the caller simply does not call it).
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { augmentExam, augmentationConfigSchema } from "./augment.ts";
 * import { Rng } from "../data/phantom/random.ts";
 * const images = tf.zeros([4, 32, 32, 3]) as tf.Tensor4D;
 * const out = augmentExam(images, augmentationConfigSchema.parse({}), new Rng(1)); // [4, 32, 32, 3]
 * ```
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import type { Rng } from "../data/phantom/random.ts";

/** Augmentation ranges and probabilities (one schema; every field has a default). */
export const augmentationConfigSchema = z.object({
  enabled: z.boolean().default(true),
  maxRotationDegrees: z.number().min(0).default(10),
  maxScale: z.number().min(0).max(0.5).default(0.1),
  maxTranslate: z.number().min(0).max(0.5).default(0.1),
  flipProbability: z.number().min(0).max(1).default(0.5),
  /** Perspective coefficient as a fraction of 1/size (distortion stand-in). */
  maxPerspective: z.number().min(0).max(0.5).default(0.05),
  maxBrightness: z.number().min(0).max(1).default(0.1),
  maxContrast: z.number().min(0).max(1).default(0.1),
  blurProbability: z.number().min(0).max(1).default(0.2),
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
  const [depth, height, width, channels] = images.shape;
  const uniform = (max: number) => (random.uniform() * 2 - 1) * max;
  const transform = warpMatrix(width, height, {
    angle: (uniform(config.maxRotationDegrees) * Math.PI) / 180,
    scale: 1 + uniform(config.maxScale),
    tx: uniform(config.maxTranslate) * width,
    ty: uniform(config.maxTranslate) * height,
    flip: random.uniform() < config.flipProbability,
    px: uniform(config.maxPerspective) / width,
    py: uniform(config.maxPerspective) / height,
  });
  const contrast = 1 + uniform(config.maxContrast);
  const brightness = uniform(config.maxBrightness);
  const blur = random.uniform() < config.blurProbability
    ? (random.uniform() < 0.5 ? "gaussian" : "motion")
    : null;
  const noiseSeed = random.uniform() < config.noiseProbability
    ? Math.floor(random.uniform() * 2 ** 31)
    : null;
  const cutout = random.uniform() < config.cutoutProbability
    ? cutoutMask(height, width, config.maxCutout, random)
    : null;
  return tf.tidy(() => {
    // one image whose channels are all slices: the same warp for every slice, one kernel call
    // (and tfjs-backend-cpu 4.22's Transform only processes the first image of a batch)
    const stacked = tf.reshape(
      tf.transpose(images, [1, 2, 0, 3]),
      [1, height, width, depth * channels],
    ) as tf.Tensor4D; // [1, H, W, D * C]
    const warped = tf.image.transform(stacked, tf.tensor2d([transform]), "bilinear", "constant", 0);
    let x = tf.transpose(
      tf.reshape(warped, [height, width, depth, channels]),
      [2, 0, 1, 3],
    ) as tf.Tensor4D; // [D, H, W, C]
    x = tf.add(tf.mul(tf.sub(x, 0.5), contrast), 0.5 + brightness);
    if (blur) x = blurImages(x, blur, channels);
    if (noiseSeed !== null) {
      x = tf.add(
        x,
        tf.randomNormal(x.shape, 0, Math.sqrt(config.noiseVariance), "float32", noiseSeed),
      );
    }
    if (cutout) x = tf.mul(x, tf.tensor4d(cutout, [1, height, width, 1]));
    return tf.clipByValue(x, 0, 1) as tf.Tensor4D;
  });
}

interface Warp {
  angle: number;
  scale: number;
  tx: number;
  ty: number;
  flip: boolean;
  px: number;
  py: number;
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
  return [...a, ...b, w.px, w.py];
}

/** 3x3 Gaussian (sigma ~0.85) or horizontal 1x3 motion blur, per channel. */
function blurImages(x: tf.Tensor4D, kind: "gaussian" | "motion", channels: number): tf.Tensor4D {
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
