import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../src/util/random.ts";
import {
  augmentationConfigSchema,
  augmentExam,
  gridDistort,
  gridSourceCoordinates,
} from "../../src/model/mod.ts";

await tf.setBackend("cpu");

const none = augmentationConfigSchema.parse({
  maxRotationDegrees: 0,
  maxScale: 0,
  maxTranslate: 0,
  flipProbability: 0,
  gridDistortionProbability: 0,
  maxBrightness: 0,
  maxContrast: 0,
  blurProbability: 0,
  noiseProbability: 0,
  cutoutProbability: 0,
});

Deno.test("augmentation with every range at zero is the identity", () => {
  const images = tf.randomUniform([3, 8, 8, 3], 0, 1, "float32", 4) as tf.Tensor4D;
  const out = augmentExam(images, none, new Rng(1));
  const a = images.dataSync();
  const b = out.dataSync();
  assert.ok(a.every((v, i) => Math.abs(v - b[i]) < 1e-5));
});

Deno.test("flip alone mirrors every slice left-right, the same way for all slices", () => {
  const images = tf.randomUniform([2, 4, 5, 1], 0, 1, "float32", 5) as tf.Tensor4D;
  const out = augmentExam(images, { ...none, flipProbability: 1 }, new Rng(1)).dataSync();
  const a = images.dataSync();
  const [d, h, w] = images.shape;
  for (let z = 0; z < d; z++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        assert.equal(out[(z * h + y) * w + x], a[(z * h + y) * w + (w - 1 - x)], `${z},${y},${x}`);
      }
    }
  }
});

Deno.test("a rotation is resampled, not skipped as the identity or a flip", () => {
  const images = tf.randomUniform([2, 9, 9, 1], 0, 1, "float32", 7) as tf.Tensor4D;
  const rotated = augmentExam(images, { ...none, maxRotationDegrees: 10 }, new Rng(3));
  const mirrored = tf.reverse(images, 2);
  const differs = (t: tf.Tensor) => tf.max(tf.abs(tf.sub(rotated, t))).dataSync()[0] > 0.01;
  assert.ok(differs(images) && differs(mirrored));
});

Deno.test("default augmentation: same seed same output, values stay in [0, 1], shape kept", () => {
  const images = tf.randomUniform([4, 16, 16, 3], 0, 1, "float32", 6) as tf.Tensor4D;
  const config = augmentationConfigSchema.parse({ noiseProbability: 1, cutoutProbability: 1 });
  const a = augmentExam(images, config, new Rng(9));
  const b = augmentExam(images, config, new Rng(9));
  const c = augmentExam(images, config, new Rng(10));
  assert.deepEqual(a.shape, [4, 16, 16, 3]);
  assert.deepEqual(a.dataSync(), b.dataSync());
  assert.notDeepEqual(a.dataSync(), c.dataSync());
  assert.ok(a.dataSync().every((v) => v >= 0 && v <= 1));
});

/** 3x3 median per slice and channel with edge-replicated borders, in plain loops. */
function medianByHand(data: ArrayLike<number>, [d, h, w, c]: number[]): number[] {
  const at = (z: number, y: number, x: number, k: number) =>
    data[((z * h + Math.min(h - 1, Math.max(0, y))) * w + Math.min(w - 1, Math.max(0, x))) * c + k];
  const out: number[] = [];
  for (let z = 0; z < d; z++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let k = 0; k < c; k++) {
          const window: number[] = [];
          for (let dy = -1; dy <= 1; dy++) {
            for (let dx = -1; dx <= 1; dx++) window.push(at(z, y + dy, x + dx, k));
          }
          out.push(window.sort((a, b) => a - b)[4]);
        }
      }
    }
  }
  return out;
}

const medianOnly = { ...none, blurProbability: 1, blurKinds: ["median" as const] };

Deno.test("median blur equals a 3x3 median with replicated edges computed in plain loops", () => {
  const images = tf.randomUniform([2, 5, 6, 3], 0, 1, "float32", 7) as tf.Tensor4D;
  const out = augmentExam(images, medianOnly, new Rng(1));
  assert.deepEqual(out.shape, [2, 5, 6, 3]);
  const expected = medianByHand(images.dataSync(), images.shape);
  // the identity warp before the blur rounds at float32 precision
  assert.ok(out.dataSync().every((v, i) => Math.abs(v - expected[i]) < 1e-6));
});

Deno.test("median blur removes isolated salt noise from a flat image", () => {
  const flat = new Float32Array(2 * 7 * 7).fill(0.4);
  for (const i of [8, 24, 40, 49 + 6, 49 + 30]) flat[i] = 1; // isolated salt pixels
  const out = augmentExam(tf.tensor4d(flat, [2, 7, 7, 1]), medianOnly, new Rng(1));
  assert.ok(out.dataSync().every((v) => Math.abs(v - 0.4) < 1e-6));
});

Deno.test("grid coordinates: steps of 1 are the identity, known steps give hand-computed knots", () => {
  assert.deepEqual(Array.from(gridSourceCoordinates(64, [1, 1, 1, 1, 1])), [...Array(64).keys()]);
  // 11 pixels, cells of 2: source knots 0, 2.4, 4, 6, 8, 10 (last knot fixed at the border)
  const coordinates = Array.from(gridSourceCoordinates(11, [1.2, 0.8, 1, 1, 1.3]));
  const expected = [0, 1.2, 2.4, 3.2, 4, 5, 6, 7, 8, 9, 10];
  assert.ok(coordinates.every((v, i) => Math.abs(v - expected[i]) < 1e-12), `${coordinates}`);
  // steps summing past the border are clamped to the last pixel
  assert.ok(gridSourceCoordinates(11, [1.9, 1.9]).every((v) => v >= 0 && v <= 10));
});

Deno.test("grid distortion of linear ramps samples the ramps at the displaced coordinates", () => {
  const [h, w] = [9, 11];
  const ramps = new Float32Array(2 * h * w * 2);
  for (let z = 0; z < 2; z++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        ramps[((z * h + y) * w + x) * 2] = x / (w - 1); // channel 0: ramp along x
        ramps[((z * h + y) * w + x) * 2 + 1] = y / (h - 1); // channel 1: ramp along y
      }
    }
  }
  const images = tf.tensor4d(ramps, [2, h, w, 2]);
  const xSource = gridSourceCoordinates(w, [1.2, 0.8, 1, 1, 1.3]); // 0, 1.2, 2.4, 3.2, 4, ...
  const ySource = gridSourceCoordinates(h, [0.7, 1.3]); // knots 0, 2.8, 8
  const out = gridDistort(images, xSource, ySource).arraySync();
  const ySourceByHand = [0, 0.7, 1.4, 2.1, 2.8, 4.1, 5.4, 6.7, 8];
  const xSourceByHand = [0, 1.2, 2.4, 3.2, 4, 5, 6, 7, 8, 9, 10];
  for (let z = 0; z < 2; z++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        assert.ok(Math.abs(out[z][y][x][0] - xSourceByHand[x] / (w - 1)) < 1e-6);
        assert.ok(Math.abs(out[z][y][x][1] - ySourceByHand[y] / (h - 1)) < 1e-6);
      }
    }
  }
});

Deno.test("grid distortion: zero limit is exactly the identity, shape and range kept, no leak", () => {
  const images = tf.randomUniform([3, 12, 10, 3], 0, 1, "float32", 8) as tf.Tensor4D;
  const zeroLimit = { ...none, gridDistortionProbability: 1, gridDistortionLimit: 0 };
  const ones = (n: number) => Array(n).fill(1);
  const exact = gridDistort(
    images,
    gridSourceCoordinates(10, ones(5)),
    gridSourceCoordinates(12, ones(5)),
  );
  assert.deepEqual(exact.dataSync(), images.dataSync());
  const identity = augmentExam(images, zeroLimit, new Rng(2));
  assert.deepEqual(identity.dataSync(), augmentExam(images, none, new Rng(2)).dataSync());
  const before = tf.memory().numTensors;
  const distorted = augmentExam(
    images,
    { ...none, gridDistortionProbability: 1, gridDistortionLimit: 0.3 },
    new Rng(3),
  );
  assert.equal(tf.memory().numTensors, before + 1);
  assert.deepEqual(distorted.shape, [3, 12, 10, 3]);
  assert.notDeepEqual(distorted.dataSync(), images.dataSync());
  const pixels = Array.from(images.dataSync());
  const [lo, hi] = [Math.min(...pixels), Math.max(...pixels)];
  assert.ok(distorted.dataSync().every((v) => v >= lo - 1e-6 && v <= hi + 1e-6));
  distorted.dispose();
  const direct = gridDistort(images, gridSourceCoordinates(10, [1.3, 0.7]), new Float64Array(12));
  direct.dispose();
  assert.equal(tf.memory().numTensors, before);
});
