import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  createNetwork,
  examGradCam,
  gradCam,
  modelConfigSchema,
  type Network,
} from "../../src/model/mod.ts";

await tf.setBackend("cpu");

Deno.test("Grad-CAM: one map per slice at the slice size, in [0, 1] with maximum 1, no leak", () => {
  const net = createNetwork(modelConfigSchema.parse({ lstmLayers: 1 }), 3);
  const images = tf.randomUniform([4, 32, 32, 3], 0, 1, "float32", 7) as tf.Tensor4D;
  for (const mode of ["classic", "elementwise"] as const) {
    for (const target of ["exam", { slice: 2 }] as const) {
      const before = tf.memory().numTensors;
      const maps = gradCam(net, images, { mode, target });
      assert.deepEqual(maps.shape, [4, 32, 32]);
      const values = maps.dataSync();
      assert.ok(values.every((v) => v >= 0 && v <= 1 + 1e-6));
      const peak = Math.max(...values);
      assert.ok(Math.abs(peak - 1) < 1e-5 || peak === 0, `${mode}: peak ${peak}`);
      maps.dispose();
      assert.equal(tf.memory().numTensors, before, `${mode} leaks tensors`);
    }
  }
  images.dispose();
  net.dispose();
});

/**
 * Independent reference: central finite differences of the target logit with respect to every
 * encoder map value (the network's forward pass only, no autodiff), combined by hand.
 */
function finiteDifferenceCams(
  net: Network,
  images: tf.Tensor4D,
  target: "exam" | { slice: number },
): Record<"classic" | "elementwise", Float64Array> {
  const maps = net.featureMaps(images);
  const [slices, h, w, e] = maps.shape;
  const base = Float32Array.from(maps.dataSync());
  const shape = maps.shape;
  maps.dispose();
  const logit = (values: Float32Array) =>
    tf.tidy(() => {
      const out = net.applyToMaps(tf.tensor4d(values, shape), 1, false);
      return target === "exam"
        ? out.examLogits.dataSync()[0]
        : out.sliceLogits.dataSync()[target.slice];
    });
  const gradient = new Float64Array(base.length);
  for (let i = 0; i < base.length; i++) {
    const up = base.slice();
    const down = base.slice();
    up[i] += 1e-2;
    down[i] -= 1e-2;
    gradient[i] = (logit(up) - logit(down)) / 2e-2;
  }
  const cams = {
    classic: new Float64Array(slices * h * w),
    elementwise: new Float64Array(slices * h * w),
  };
  for (let s = 0; s < slices; s++) {
    const weights = new Float64Array(e); // classic: spatial mean of the gradient
    for (let p = 0; p < h * w; p++) {
      for (let k = 0; k < e; k++) weights[k] += gradient[(s * h * w + p) * e + k] / (h * w);
    }
    for (let p = 0; p < h * w; p++) {
      let classic = 0, elementwise = 0;
      for (let k = 0; k < e; k++) {
        const i = (s * h * w + p) * e + k;
        classic += weights[k] * base[i];
        elementwise += Math.max(0, gradient[i] * base[i]);
      }
      cams.classic[s * h * w + p] = Math.max(0, classic);
      cams.elementwise[s * h * w + p] = elementwise;
    }
  }
  return cams;
}

Deno.test("Grad-CAM matches a hand computation on the encoder maps (weights = mean gradient)", () => {
  const net = createNetwork(modelConfigSchema.parse({ lstmLayers: 1 }), 4);
  const images = tf.randomUniform([2, 16, 16, 3], 0, 1, "float32", 8) as tf.Tensor4D;
  // 16 x 16 input: [2, 1, 1, 128] maps, so each slice's map is one value, upsampled constant
  const expected = finiteDifferenceCams(net, images, "exam").classic;
  const peak = Math.max(...expected);
  const cam = gradCam(net, images).dataSync(); // default mode: classic
  for (let s = 0; s < 2; s++) {
    assert.ok(
      Math.abs(cam[s * 256] - expected[s] / peak) < 0.02,
      `${cam[s * 256]} vs ${expected[s] / peak}`,
    );
  }
  net.dispose();
});

Deno.test("element-wise and classic Grad-CAM on 2 x 2 maps match finite differences", () => {
  const net = createNetwork(modelConfigSchema.parse({ lstmLayers: 1 }), 11);
  // 32 x 32 input: [2, 2, 2, 128] encoder maps. align-corners-free bilinear upsampling of a
  // 2 x 2 map to 32 x 32 keeps each corner value at the corner pixel (0, 0), (0, 31), ...
  const images = tf.randomUniform([2, 32, 32, 3], 0, 1, "float32", 9) as tf.Tensor4D;
  for (const target of ["exam", { slice: 1 }] as const) {
    const references = finiteDifferenceCams(net, images, target);
    for (const mode of ["classic", "elementwise"] as const) {
      const expected = references[mode];
      const peak = Math.max(...expected);
      const cam = gradCam(net, images, { mode, target }).dataSync();
      const corners = [[0, 0], [0, 31], [31, 0], [31, 31]];
      for (let s = 0; s < 2; s++) {
        corners.forEach(([y, x], p) => {
          const got = cam[(s * 32 + y) * 32 + x];
          const want = expected[s * 4 + p] / peak;
          assert.ok(
            Math.abs(got - want) < 0.02,
            `${mode} slice ${s} corner ${p}: ${got} vs ${want}`,
          );
        });
      }
    }
    // the two modes are different maps (element-wise keeps positive evidence per position)
    const a = references.classic, b = references.elementwise;
    assert.ok(a.some((v, i) => Math.abs(v / Math.max(...a) - b[i] / Math.max(...b)) > 0.01));
  }
  images.dispose();
  net.dispose();
});

Deno.test("Grad-CAM computed in encoder chunks equals the one-pass result", () => {
  const net = createNetwork(modelConfigSchema.parse({ lstmLayers: 1 }), 6);
  const images = tf.randomUniform([7, 32, 32, 3], 0, 1, "float32", 3) as tf.Tensor4D;
  const once = gradCam(net, images, { mode: "elementwise", chunkSlices: 0 });
  const chunked = gradCam(net, images, { mode: "elementwise", chunkSlices: 3 });
  const a = once.dataSync(), b = chunked.dataSync();
  assert.ok(a.every((v, i) => Math.abs(v - b[i]) < 1e-5));
  tf.dispose([once, chunked, images]);
  assert.throws(
    () => gradCam(net, tf.zeros([2, 16, 16, 3]) as tf.Tensor4D, { target: { slice: 2 } }),
    /target slice 2 of an exam of 2 slices/,
  );
  net.dispose();
});

Deno.test("Grad-CAM of a prepared exam: D x H x W values from the exam's voxels", () => {
  const net = createNetwork(modelConfigSchema.parse({ lstmLayers: 1 }), 5);
  const voxels = new Uint8Array(3 * 16 * 16).map((_, i) => (i * 37) % 256);
  const before = tf.memory().numTensors;
  for (const mode of ["classic", "elementwise"] as const) {
    const maps = examGradCam(net, { dims: [3, 16, 16], voxels }, "adjacent", { mode });
    assert.equal(maps.length, 3 * 16 * 16);
    assert.ok(maps.every((v) => v >= 0 && v <= 1 + 1e-6));
  }
  assert.equal(tf.memory().numTensors, before);
  net.dispose();
});
