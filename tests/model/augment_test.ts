import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../../src/data/phantom/random.ts";
import { augmentationConfigSchema, augmentExam } from "../../src/model/mod.ts";

await tf.setBackend("cpu");

const none = augmentationConfigSchema.parse({
  maxRotationDegrees: 0,
  maxScale: 0,
  maxTranslate: 0,
  flipProbability: 0,
  maxPerspective: 0,
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
  const out = augmentExam(images, { ...none, flipProbability: 1 }, new Rng(1));
  assert.deepEqual(
    Array.from(out.dataSync()).map((v) => v.toFixed(5)),
    Array.from(tf.reverse(images, 2).dataSync()).map((v) => v.toFixed(5)),
  );
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
