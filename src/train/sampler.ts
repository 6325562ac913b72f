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

/**
 * A fixed draw of `count` indices into `labels` without replacement, each class in its share
 * (rounded, at least one of each class present), in ascending order: the validation exams that
 * choose a run's best epoch when scoring the whole fold every epoch costs too much
 * (`selectionExams` in config.ts). All indices when `count` covers the list.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { stratifiedSubset } from "./sampler.ts";
 * import { Rng } from "../util/random.ts";
 * const labels = [1, 0, 0, 0, 1, 0, 0, 0];
 * const subset = stratifiedSubset(labels, 4, new Rng(3));
 * assert.equal(subset.length, 4);
 * assert.equal(subset.filter((i) => labels[i] === 1).length, 1); // 2 of 8 positive -> 1 of 4
 * ```
 */
export function stratifiedSubset(labels: readonly number[], count: number, random: Rng): number[] {
  if (count >= labels.length) return labels.map((_, i) => i);
  const byClass = [0, 1].map((label) => labels.flatMap((l, i) => (l === label ? [i] : [])));
  const positives = byClass[1].length === 0 ? 0 : Math.min(
    byClass[1].length,
    Math.max(1, Math.round((count * byClass[1].length) / labels.length)),
  );
  const take = [Math.min(count - positives, byClass[0].length), positives];
  return byClass.flatMap((indices, label) => {
    // Partial Fisher-Yates: the first take[label] places hold a uniform draw.
    const pool = [...indices];
    for (let n = 0; n < take[label]; n++) {
      const j = n + random.int(pool.length - n);
      [pool[n], pool[j]] = [pool[j], pool[n]];
    }
    return pool.slice(0, take[label]);
  }).sort((a, b) => a - b);
}
