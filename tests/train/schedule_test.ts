import assert from "node:assert/strict";
import { cosineLearningRate } from "../../src/train/mod.ts";

Deno.test("cosine annealing per epoch (PyTorch CosineAnnealingLR, T_max = epochs)", () => {
  assert.equal(cosineLearningRate(0, 30, 1e-4, 1e-6), 1e-4);
  // e = 15 of 30: min + (max - min) / 2
  assert.ok(Math.abs(cosineLearningRate(15, 30, 1e-4, 1e-6) - 5.05e-5) < 1e-12);
  // e = 10 of 30: min + (max - min)(1 + cos(pi / 3)) / 2 = 1e-6 + 9.9e-5 x 0.75
  assert.ok(Math.abs(cosineLearningRate(10, 30, 1e-4, 1e-6) - 7.525e-5) < 1e-12);
  assert.ok(Math.abs(cosineLearningRate(30, 30, 1e-4, 1e-6) - 1e-6) < 1e-15);
});
