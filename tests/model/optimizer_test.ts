import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Adam, clipByGlobalNorm } from "../../src/model/mod.ts";

await tf.setBackend("cpu");

Deno.test("Adam: first steps match the hand-computed update, state restores exactly", () => {
  // g = 0.5 constant: m1 = 0.05, v1 = 0.00025, m^ = 0.5, v^ = 0.25 -> step lr (1 - 1e-8 / ...)
  const w = tf.variable(tf.scalar(1));
  const adam = new Adam([["w", w]]);
  adam.step({ w: tf.scalar(0.5) }, 0.1);
  assert.ok(Math.abs(w.dataSync()[0] - 0.9) < 1e-6);
  // second step with g = -1: m = 0.9*0.05 - 0.1 = -0.055, v = 0.999*0.00025 + 0.001 = 0.00124975
  // m^ = -0.055/0.19 = -0.289474, v^ = 0.00124975/0.001999 = 0.625188, step = -0.366101
  adam.step({ w: tf.scalar(-1) }, 0.1);
  assert.ok(Math.abs(w.dataSync()[0] - (0.9 + 0.0366101)) < 1e-5, `${w.dataSync()[0]}`);
  const copy = tf.variable(tf.scalar(w.dataSync()[0]));
  const resumed = new Adam([["w", copy]]);
  resumed.restore(adam.state(), adam.steps, "test");
  adam.step({ w: tf.scalar(0.3) }, 0.1);
  resumed.step({ w: tf.scalar(0.3) }, 0.1);
  assert.equal(copy.dataSync()[0], w.dataSync()[0]);
});

Deno.test("gradient clipping by global norm (as torch.nn.utils.clip_grad_norm_)", () => {
  // global norm of [3] and [4, 0] is 5; to 1: factor 1 / (5 + 1e-6)
  const { grads, norm } = clipByGlobalNorm({ a: tf.tensor1d([3]), b: tf.tensor1d([4, 0]) }, 1);
  assert.ok(Math.abs(norm - 5) < 1e-6);
  assert.ok(Math.abs(grads.a.dataSync()[0] - 0.6) < 1e-6);
  assert.ok(Math.abs(grads.b.dataSync()[0] - 0.8) < 1e-6);
  // below the limit: unchanged
  const small = clipByGlobalNorm({ a: tf.tensor1d([0.3, 0.4]) }, 1);
  assert.deepEqual([...small.grads.a.dataSync()].map((v) => v.toFixed(6)), [
    "0.300000",
    "0.400000",
  ]);
});
