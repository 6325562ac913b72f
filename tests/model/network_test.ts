import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { createNetwork, modelConfigSchema } from "../../src/model/mod.ts";

await tf.setBackend("cpu");

Deno.test("output shapes: slice logits [batch, slices], exam logits [batch], for each option", () => {
  const options = [
    {},
    { examPooling: "last", sliceFeatures: "projected" },
    { lstmLayers: 1, attentionHeads: 2 },
    { encoder: "large", lstmLayers: 1 },
    { spatialPooling: "max", lstmLayers: 1 },
    { encoderNorm: "batch", lstmLayers: 1 },
  ];
  for (const option of options) {
    const net = createNetwork(modelConfigSchema.parse(option), 1);
    const images = tf.randomUniform([3 * 5, 16, 16, 3]) as tf.Tensor4D;
    for (const training of [true, false]) {
      const { sliceLogits, examLogits } = net.apply(images, 3, training);
      assert.deepEqual(sliceLogits.shape, [3, 5], JSON.stringify(option));
      assert.deepEqual(examLogits.shape, [3]);
      assert.ok([...examLogits.dataSync(), ...sliceLogits.dataSync()].every(Number.isFinite));
      tf.dispose([sliceLogits, examLogits]);
    }
    net.commitBatchStatistics();
    images.dispose();
    net.dispose();
  }
});

Deno.test("max pooling reads each channel's largest activation; average pooling reads them all", () => {
  // Two sets of feature maps [2 slices, 2, 2, E] with equal per-channel maxima, other values apart.
  const encoded = 128; // the small encoder's channels
  const peak = Array.from({ length: encoded }, (_, c) => 1 + c / encoded);
  const maps = (rest: number) =>
    tf.tensor4d(
      Array.from({ length: 2 * 4 }, (_, p) => peak.map((v) => (p % 4 === 0 ? v : rest * v))).flat(),
      [2, 2, 2, encoded],
    );
  const exam = (pooling: "average" | "max", rest: number) => {
    const net = createNetwork(
      modelConfigSchema.parse({ spatialPooling: pooling, lstmLayers: 1 }),
      4,
    );
    const input = maps(rest);
    const out = net.applyToMaps(input, 1, false);
    const value = out.examLogits.dataSync()[0];
    tf.dispose([input, out.examLogits, out.sliceLogits]);
    net.dispose();
    return value;
  };
  assert.equal(exam("max", 0.1), exam("max", 0.9));
  assert.notEqual(exam("average", 0.1), exam("average", 0.9));
});

Deno.test("a batch-normalised encoder folds its batch statistics in after a training pass", () => {
  const net = createNetwork(modelConfigSchema.parse({ encoderNorm: "batch", lstmLayers: 1 }), 2);
  const name = "encoder/0.0/norm/movingMean";
  assert.ok(net.params.variables.has(name));
  const images = tf.randomUniform([2 * 4, 16, 16, 3], 0, 1, "float32", 9) as tf.Tensor4D;
  const before = [...net.params.get(name).dataSync()];
  const evalBefore = net.apply(images, 2, false);
  const trained = net.apply(images, 2, true);
  net.commitBatchStatistics();
  const after = [...net.params.get(name).dataSync()];
  const evalAfter = net.apply(images, 2, false);
  assert.notDeepEqual(after, before);
  assert.notDeepEqual([...evalAfter.examLogits.dataSync()], [...evalBefore.examLogits.dataSync()]);
  tf.dispose([images, evalBefore.examLogits, evalBefore.sliceLogits, trained.examLogits]);
  tf.dispose([trained.sliceLogits, evalAfter.examLogits, evalAfter.sliceLogits]);
  net.dispose();
});

Deno.test("same seed, same initial network; other seed, other network", () => {
  const images = tf.randomUniform([4, 16, 16, 3], 0, 1, "float32", 3) as tf.Tensor4D;
  const run = (seed: number) => {
    const net = createNetwork(modelConfigSchema.parse({ lstmLayers: 1 }), seed);
    const out = net.apply(images, 2, false);
    const values = [...out.examLogits.dataSync()];
    tf.dispose([out.examLogits, out.sliceLogits]);
    net.dispose();
    return values;
  };
  assert.deepEqual(run(5), run(5));
  assert.notDeepEqual(run(5), run(6));
  images.dispose();
});

Deno.test("slices of one exam interact (attention, BiLSTM); exams of a batch do not", () => {
  const net = createNetwork(modelConfigSchema.parse({ lstmLayers: 1 }), 2);
  const a = tf.randomUniform([4, 16, 16, 3], 0, 1, "float32", 1) as tf.Tensor4D;
  const b = tf.randomUniform([4, 16, 16, 3], 0, 1, "float32", 2) as tf.Tensor4D;
  const alone = net.apply(a, 1, false);
  const together = net.apply(tf.concat([a, b]) as tf.Tensor4D, 2, false);
  const x = alone.examLogits.dataSync()[0];
  const y = together.examLogits.dataSync()[0];
  assert.ok(Math.abs(x - y) < 1e-5, `${x} vs ${y}`);
  net.dispose();
});

Deno.test("bad configuration is refused with the fix", () => {
  const result = modelConfigSchema.safeParse({ featureSize: 64, attentionHeads: 5 });
  assert.equal(result.success, false);
  assert.match(result.error!.issues[0].message, /divisible by attentionHeads/);
});
