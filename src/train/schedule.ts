/**
 * Cosine annealing of the learning rate per epoch (PyTorch's CosineAnnealingLR stepped once
 * per epoch): lr(e) = min + (max - min) (1 + cos(pi e / T)) / 2, e = 0..T-1, T = epochs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cosineLearningRate } from "./schedule.ts";
 * assert.equal(cosineLearningRate(0, 30, 1e-4, 1e-6), 1e-4);
 * assert.ok(Math.abs(cosineLearningRate(15, 30, 1e-4, 1e-6) - 5.05e-5) < 1e-18); // halfway
 * ```
 */
export function cosineLearningRate(
  epoch: number,
  epochs: number,
  maxRate: number,
  minRate: number,
): number {
  return minRate + ((maxRate - minRate) * (1 + Math.cos((Math.PI * epoch) / epochs))) / 2;
}
