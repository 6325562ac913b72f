/**
 * Class-weighted random sampling with replacement (as PyTorch's WeightedRandomSampler): each
 * exam is drawn with weight N/N_pos when positive and N/N_neg when negative, so an epoch sees
 * both classes about equally often.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { classWeights, sampleExams } from "./sampler.ts";
 * import { Rng } from "../util/random.ts";
 * classWeights([1, 0, 0, 0]); // { positive: 4, negative: 1.333 }
 * assert.equal(sampleExams([1, 0, 0, 0], 8, new Rng(1)).length, 8); // indices, ~half of them 0
 * ```
 */
import type { Rng } from "../util/random.ts";

/**
 * Sampling weights N/N_pos and N/N_neg (paper: 6958/2161 ~ 3.22 and 6958/4797 ~ 1.45).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { classWeights } from "./sampler.ts";
 * assert.equal(classWeights([1, 1, 0]).negative, 3);
 * ```
 */
export function classWeights(labels: readonly number[]): { positive: number; negative: number } {
  const positives = labels.filter((label) => label === 1).length;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) {
    throw new Error(
      `class-weighted sampling needs both classes in the training folds (found ${positives} positive, ${negatives} negative exams); fix: check the cache's labels and folds`,
    );
  }
  return { positive: labels.length / positives, negative: labels.length / negatives };
}

/** Draw `count` indices into `labels` with replacement, weighted by class. */
export function sampleExams(labels: readonly number[], count: number, random: Rng): number[] {
  const { positive, negative } = classWeights(labels);
  const cumulative = new Float64Array(labels.length);
  let total = 0;
  labels.forEach((label, i) => {
    total += label === 1 ? positive : negative;
    cumulative[i] = total;
  });
  const drawn: number[] = [];
  for (let n = 0; n < count; n++) {
    const target = random.uniform() * total;
    let lo = 0;
    let hi = labels.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    drawn.push(lo);
  }
  return drawn;
}
