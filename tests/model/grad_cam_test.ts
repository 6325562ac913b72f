import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createNetwork, examGradCam, gradCam, modelConfigSchema } from "../../src/model/mod.ts";

await tf.setBackend("cpu");

Deno.test("Grad-CAM: one map per slice at the slice size, in [0, 1] with maximum 1, no leak", () => {
  const net = createNetwork(modelConfigSchema.parse({ lstmLayers: 1 }), 3);
  const images = tf.randomUniform([4, 32, 32, 3], 0, 1, "float32", 7) as tf.Tensor4D;
  const before = tf.memory().numTensors;
  const maps = gradCam(net, images);
  assert.deepEqual(maps.shape, [4, 32, 32]);
  const values = maps.dataSync();
  assert.ok(values.every((v) => v >= 0 && v <= 1 + 1e-6));
  assert.ok(Math.abs(Math.max(...values) - 1) < 1e-5 || Math.max(...values) === 0);
  maps.dispose();
  assert.equal(tf.memory().numTensors, before);
  net.dispose();
});

Deno.test("Grad-CAM matches a hand computation on the encoder maps (weights = mean gradient)", () => {
  const net = createNetwork(modelConfigSchema.parse({ lstmLayers: 1 }), 4);
  const images = tf.randomUniform([2, 16, 16, 3], 0, 1, "float32", 8) as tf.Tensor4D;
  // independent path: finite differences of the exam logit with respect to each map value
  const maps = net.featureMaps(images); // [2, 1, 1, 128] for 16 x 16 input
  const [, h, w, e] = maps.shape;
  assert.deepEqual([h, w], [1, 1]);
  const base = Float32Array.from(maps.dataSync());
  const logit = (values: Float32Array) =>
    tf.tidy(() =>
      net.applyToMaps(tf.tensor4d(values, maps.shape), 1, false).examLogits.dataSync()[0]
    );
  const expected = new Float64Array(2);
  for (let s = 0; s < 2; s++) {
    let sum = 0;
    for (let k = 0; k < e; k++) {
      const i = s * e + k;
      const up = base.slice();
      const down = base.slice();
      up[i] += 1e-2;
      down[i] -= 1e-2;
      const gradient = (logit(up) - logit(down)) / 2e-2;
      sum += gradient * base[i];
    }
    expected[s] = Math.max(0, sum);
  }
  const peak = Math.max(...expected);
  const cam = gradCam(net, images).dataSync(); // each slice's map is constant (1 x 1 upsampled)
  for (let s = 0; s < 2; s++) {
    assert.ok(
      Math.abs(cam[s * 256] - expected[s] / peak) < 0.02,
      `${cam[s * 256]} vs ${expected[s] / peak}`,
    );
  }
  net.dispose();
});

Deno.test("Grad-CAM of a prepared exam: D x H x W values from the exam's voxels", () => {
  const net = createNetwork(modelConfigSchema.parse({ lstmLayers: 1 }), 5);
  const voxels = new Uint8Array(3 * 16 * 16).map((_, i) => (i * 37) % 256);
  const before = tf.memory().numTensors;
  const maps = examGradCam(net, { dims: [3, 16, 16], voxels }, "adjacent");
  assert.equal(maps.length, 3 * 16 * 16);
  assert.ok(maps.every((v) => v >= 0 && v <= 1 + 1e-6));
  assert.equal(tf.memory().numTensors, before);
  net.dispose();
});
