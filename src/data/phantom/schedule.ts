/**
 * Which exam is what: label class (negative, central or peripheral positive, indeterminate),
 * split and deliberate series defects, drawn in shuffled blocks of 100 exams so that RSPECT's
 * proportions hold closely at any dataset size (31 % positive, ~18 % of positives central,
 * ~2 % indeterminate; train 65 %, public 12 %, private 18 %, external 5 %; 1 % missing-slice and
 * 1 % gantry-tilt series, train only).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { examPlans } from "./schedule.ts";
 * const plans = examPlans(0, 200);
 * assert.equal(plans.filter((p) => p.label === "positive").length, 62);
 * ```
 */
import { mixSeed, Rng, SEED_STREAMS } from "../../util/mod.ts";
import type { Split } from "../rspect/schema.ts";

/** Study splits, as in splits.csv (data/rspect's split schema). */
export type { Split };

/** What one exam will contain. */
export interface ExamPlan {
  index: number;
  label: "negative" | "positive" | "indeterminate";
  subtype: "central" | "peripheral" | null;
  split: Split;
  /** A deliberately broken series, for the cleaning step to exclude. */
  broken: "missing-slice" | "gantry-tilt" | null;
}

const blockSize = 100;
const classShares = { central: 6, peripheral: 25, indeterminate: 2, negative: 67 };
const splitShares = { train: 65, public: 12, private: 18, external: 5 };
const brokenShares = { "missing-slice": 1, "gantry-tilt": 1 };

/** Plans of exams 0..count-1 for dataset `seed`. */
export function examPlans(seed: number, count: number): ExamPlan[] {
  const plans: ExamPlan[] = [];
  for (let start = 0; start < count; start += blockSize) {
    const n = Math.min(blockSize, count - start);
    const rng = new Rng(mixSeed(seed, SEED_STREAMS.examPlanBlock, start / blockSize));
    const classes = rng.shuffle(allocate(classShares, n));
    const splits = rng.shuffle(allocate(splitShares, n));
    const trainSlots = rng.shuffle(splits.flatMap((s, i) => (s === "train" ? [i] : [])));
    const broken = new Map<number, ExamPlan["broken"]>();
    const brokenKinds = n >= 10 ? allocate(brokenShares, Math.max(2, Math.round(n / 50))) : [];
    brokenKinds.forEach((kind, b) =>
      trainSlots[b] !== undefined && broken.set(trainSlots[b], kind)
    );
    for (let i = 0; i < n; i++) {
      const c = classes[i];
      plans.push({
        index: start + i,
        label: c === "negative" || c === "indeterminate" ? c : "positive",
        subtype: c === "central" || c === "peripheral" ? c : null,
        split: splits[i],
        broken: broken.get(i) ?? null,
      });
    }
  }
  return plans;
}

/**
 * Split n items by integer shares (largest remainder); when n is at least the number of kinds,
 * every kind gets at least one.
 */
function allocate<K extends string>(shares: Record<K, number>, n: number): K[] {
  const kinds = Object.keys(shares) as K[];
  const total = kinds.reduce((s, k) => s + shares[k], 0);
  const exact = kinds.map((k) => (shares[k] * n) / total);
  const counts = exact.map(Math.floor);
  if (n >= kinds.length) counts.forEach((c, i) => (counts[i] = Math.max(1, c)));
  let left = n - counts.reduce((s, c) => s + c, 0);
  const order = kinds.map((_, i) => i).sort((a, b) =>
    (exact[b] - counts[b]) - (exact[a] - counts[a])
  );
  for (let o = 0; left > 0; o = (o + 1) % order.length, left--) counts[order[o]]++;
  while (left < 0) {
    const largest = counts.indexOf(Math.max(...counts));
    counts[largest]--;
    left++;
  }
  return kinds.flatMap((k, i) => Array<K>(counts[i]).fill(k));
}
