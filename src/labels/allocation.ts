/**
 * Label allocation: which slices of which training exams get a slice label, for a fixed total
 * budget of labelled slices. The budget is the even rule's at the named fraction: the sum over
 * the training exams of round(f x D) (D = the exam's resampled slices, the model's sequence),
 * so every strategy labels as many slices as `even` does, only elsewhere.
 *
 * - `even`: round(f x D) slices per exam, evenly spaced from a per-exam offset (the method's
 *   rule; the same slices as masking.ts's `even-spacing`).
 * - `random`: the same count per exam at seeded random positions (a control).
 * - `tiered`: the budget shifted by a rule a radiologist can apply before labelling, from the
 *   exam's report: exam e gets a share proportional to w(e) x D, with w = 3 for peripheral-only
 *   PE, 1 for central PE and 0.5 for negative exams ({@link DEFAULT_TIER_WEIGHTS}), rounded by
 *   largest remainders and capped at D (what a cap leaves goes to the other exams); evenly spaced.
 * - `clot-centred`: the even count per exam; in a positive exam the labeller marks slices on the
 *   clot (evenly spread over the slices whose label is positive, the middle one first) and
 *   one in three of the slices on slices without clot; negative exams as `even`.
 * - `adaptive`: the budget goes to the slices a model trained on exam labels alone is least sure
 *   of (uncertainty 1 - |2p - 1| of its slice probability p), over all training exams at once
 *   (one round); ties are broken in a seeded order.
 * - `adaptive-2`: two rounds. Round 1 labels the even rule's slices at half the budget's fraction
 *   (what a labeller does before any model exists); a model is trained on them; round 2 spends the
 *   rest of the budget on the unlabelled slices that model is least sure of, as `adaptive` does.
 *   {@link scoringFraction} names the model each adaptive strategy ranks by.
 * - `adaptive-2-window`: `adaptive-2` as a labeller who sees the model's window runs it. Round 2
 *   goes down the same ranking, and every slice looked at costs one label of the budget; the
 *   labeller sees the slice with its neighbours (the model's input is slices z-1, z, z+1) and
 *   records no clear slice whose neighbour shows a clot (an ambiguous window), so it labels
 *   fewer slices than the budget: only those looks are left out. Needs the slice labels of the
 *   positive exams (what the labeller sees).
 *
 * @example
 * ```ts
 * import { allocateLabels, evenBudget } from "./allocation.ts";
 * const exams = [
 *   { examId: "a", examLabel: 1, subtype: "peripheral", sliceCount: 40 },
 *   { examId: "b", examLabel: 0, subtype: null, sliceCount: 40 },
 * ] as const;
 * evenBudget(exams, 10); // 8 (4 + 4)
 * const masks = allocateLabels(exams, 10, "tiered", { seed: 0 });
 * masks.get("a")!.reduce((s, v) => s + v, 0); // 7: peripheral PE weighs 3, a negative 0.5
 * ```
 *
 * @module
 */
import { z } from "zod";
import { mixSeed, Rng, SEED_STREAMS } from "../util/mod.ts";
import { evenSpacingPositions, examSeed } from "./masking.ts";

/** The allocation strategies. */
export const ALLOCATION_STRATEGIES = [
  "even",
  "random",
  "tiered",
  "clot-centred",
  "adaptive",
  "adaptive-2",
  "adaptive-2-window",
] as const;
/** An allocation strategy name. */
export type AllocationStrategy = (typeof ALLOCATION_STRATEGIES)[number];

/** What allocation knows of one training exam. */
export interface AllocationExam {
  examId: string;
  examLabel: 0 | 1;
  /** From the exam's report: central, peripheral-only, or null (negative or unknown). */
  subtype: "central" | "peripheral" | null;
  /** Resampled slices D. */
  sliceCount: number;
  /** [D] slice labels; {@link readsSliceLabels} strategies need them (the labeller sees the clot). */
  sliceLabels?: Uint8Array;
  /** [D] slice probabilities of the model {@link scoringFraction} names (adaptive strategies). */
  sliceProbabilities?: Float32Array | Float64Array;
}

/** Weights of `tiered` by what the report says. */
export interface TierWeights {
  peripheral: number;
  central: number;
  negative: number;
}

/** The documented weights of `tiered`: peripheral-only PE 3, central PE 1, negative 0.5. */
export const DEFAULT_TIER_WEIGHTS: TierWeights = { peripheral: 3, central: 1, negative: 0.5 };

/** The even-rule fraction of the model an adaptive strategy ranks by, as a share of the budget. */
const SCORING_SHARE: Partial<Record<AllocationStrategy, number>> = {
  adaptive: 0,
  "adaptive-2": 0.5,
  "adaptive-2-window": 0.5,
};

/**
 * Whether a strategy reads the slice labels of the positive training exams (the labeller sees
 * the clot): `clot-centred` and `adaptive-2-window`.
 *
 * @example
 * ```ts
 * import { readsSliceLabels } from "./allocation.ts";
 * readsSliceLabels("clot-centred"); // true
 * readsSliceLabels("adaptive-2"); // false
 * ```
 */
export function readsSliceLabels(strategy: AllocationStrategy): boolean {
  return strategy === "clot-centred" || strategy === "adaptive-2-window";
}

/**
 * Whether a strategy has a first round of labels before its model (the two-round schedules),
 * so that a budget whose half labels no slice has no meaning for it ({@link checkRounds}).
 *
 * @example
 * ```ts
 * import { hasFirstRound } from "./allocation.ts";
 * hasFirstRound("adaptive-2"); // true
 * hasFirstRound("adaptive"); // false: it ranks by the model of exam labels alone
 * ```
 */
export function hasFirstRound(strategy: AllocationStrategy): boolean {
  return (SCORING_SHARE[strategy] ?? 0) > 0;
}

/**
 * The even-rule fraction (percent) of the model whose slice scores a strategy ranks by at a
 * budget: 0 for `adaptive` (exam labels alone), half the budget for `adaptive-2` (its first
 * round's labels); null for the strategies that need no model.
 *
 * @example
 * ```ts
 * import { scoringFraction } from "./allocation.ts";
 * scoringFraction("adaptive-2", 10); // 5
 * scoringFraction("tiered", 10); // null
 * ```
 */
export function scoringFraction(
  strategy: AllocationStrategy,
  budgetPercent: number,
): number | null {
  const share = SCORING_SHARE[strategy];
  return share === undefined ? null : share * budgetPercent;
}

/**
 * Throws where `strategy` has no meaning at `fractionPercent` over `exams`: `adaptive-2` whose
 * first round (the even rule at half the fraction) labels no slice, so that there is no model to
 * rank by (e.g. 2.5 % of 32 slices: round(0.4) = 0 per exam).
 *
 * @example
 * ```ts
 * import { checkRounds } from "./allocation.ts";
 * checkRounds([{ sliceCount: 32 }], 10, "adaptive-2"); // fine: 2 slices in round 1
 * // checkRounds([{ sliceCount: 32 }], 2.5, "adaptive-2") throws
 * ```
 */
export function checkRounds(
  exams: readonly Pick<AllocationExam, "sliceCount">[],
  fractionPercent: number,
  strategy: AllocationStrategy,
): void {
  const first = scoringFraction(strategy, fractionPercent);
  if (first !== null && first > 0 && evenBudget(exams, first) === 0) {
    throw new Error(
      `${strategy} at ${fractionPercent} %: its first round, the even rule at ${first} %, labels ` +
        "no slice of these exams, so no model learns from it; fix: use adaptive at this budget, " +
        `or give ${strategy} a budget at which round(budget / 2 x slices) reaches 1`,
    );
  }
}

/**
 * A run's allocation other than the per-exam rule: the strategy, `tiered`'s weights and, for the
 * adaptive strategies, the slice scores of the model {@link scoringFraction} names (a JSON of
 * every exam's slice probabilities; see train/slice_scores.ts).
 *
 * @example
 * ```ts
 * import { allocationConfigSchema } from "./allocation.ts";
 * allocationConfigSchema.parse({ strategy: "tiered" }).strategy; // "tiered"
 * ```
 */
export const allocationConfigSchema = z.object({
  strategy: z.enum(ALLOCATION_STRATEGIES).exclude(["even"]),
  tierWeights: z.object({
    peripheral: z.number().min(0),
    central: z.number().min(0),
    negative: z.number().min(0),
  }).optional(),
  sliceScores: z.string().min(1).optional(),
}).refine(
  (allocation) => scoringFraction(allocation.strategy, 0) === null || allocation.sliceScores,
  {
    message: "adaptive allocation needs sliceScores: the slice-scores JSON of the run it ranks " +
      "by (the 0 % run for adaptive, the even rule at half the budget for adaptive-2 and " +
      "adaptive-2-window)",
    path: ["sliceScores"],
  },
);

/** A validated allocation setting of a run. */
export type AllocationConfig = z.infer<typeof allocationConfigSchema>;

/** Options of {@link allocateLabels}. */
export interface AllocationOptions {
  /** The run's seed (offsets, random positions, tie order). */
  seed: number;
  /** Weights of `tiered` (default {@link DEFAULT_TIER_WEIGHTS}). */
  tierWeights?: TierWeights;
}

/**
 * The even rule's count for one exam: min(D, round(f x D)), rounding half up.
 *
 * @example
 * ```ts
 * import { evenCount } from "./allocation.ts";
 * evenCount(32, 2.5); // 1 (0.8 rounds up)
 * ```
 */
export function evenCount(sliceCount: number, fractionPercent: number): number {
  return Math.min(sliceCount, Math.round((fractionPercent * sliceCount) / 100));
}

/**
 * The budget of labelled slices at a fraction: the even rule's total over `exams`.
 *
 * @example
 * ```ts
 * import { evenBudget } from "./allocation.ts";
 * evenBudget([{ sliceCount: 32 }, { sliceCount: 32 }], 10); // 6 (3 + 3)
 * ```
 */
export function evenBudget(
  exams: readonly Pick<AllocationExam, "sliceCount">[],
  fractionPercent: number,
): number {
  checkFraction(fractionPercent);
  return exams.reduce((total, exam) => total + evenCount(exam.sliceCount, fractionPercent), 0);
}

/**
 * Labelled-slice masks [D] of every exam in `exams` under `strategy`, spending exactly
 * {@link evenBudget} labelled slices in all (fewer where every slice is labelled, and for
 * `adaptive-2-window`, whose ambiguous looks are left unlabelled). Throws naming the exam and the
 * fix where a strategy lacks what it needs (slice labels for {@link readsSliceLabels}
 * strategies, a model's slice probabilities for the adaptive ones).
 *
 * @example
 * ```ts
 * import { allocateLabels } from "./allocation.ts";
 * const masks = allocateLabels(
 *   [{ examId: "a", examLabel: 0, subtype: null, sliceCount: 10 }],
 *   20,
 *   "even",
 *   { seed: 0 },
 * );
 * [...masks.get("a")!]; // two slices labelled, 5 apart
 * ```
 */
export function allocateLabels(
  exams: readonly AllocationExam[],
  fractionPercent: number,
  strategy: AllocationStrategy,
  options: AllocationOptions,
): Map<string, Uint8Array> {
  checkFraction(fractionPercent);
  const ids = new Set<string>();
  for (const exam of exams) {
    if (!Number.isInteger(exam.sliceCount) || exam.sliceCount < 0) {
      throw new Error(
        `exam '${exam.examId}': slice count must be a whole number >= 0, got ${exam.sliceCount}`,
      );
    }
    if (ids.has(exam.examId)) throw new Error(`exam '${exam.examId}' is listed twice`);
    ids.add(exam.examId);
  }
  switch (strategy) {
    case "even":
      return perExam(
        exams,
        (exam) => evenPositions(exam, evenCount(exam.sliceCount, fractionPercent), options.seed),
      );
    case "random":
      return perExam(exams, (exam) => randomPositions(exam, fractionPercent, options.seed));
    case "tiered":
      return tiered(exams, fractionPercent, options);
    case "clot-centred":
      return perExam(exams, (exam) => clotCentredPositions(exam, fractionPercent, options.seed));
    case "adaptive":
    case "adaptive-2":
    case "adaptive-2-window":
      checkRounds(exams, fractionPercent, strategy);
      return adaptive(exams, fractionPercent, scoringFraction(strategy, fractionPercent)!, {
        ...options,
        skipAmbiguous: strategy === "adaptive-2-window",
      });
  }
}

function perExam(
  exams: readonly AllocationExam[],
  positions: (exam: AllocationExam) => number[],
): Map<string, Uint8Array> {
  const masks = new Map<string, Uint8Array>();
  for (const exam of exams) masks.set(exam.examId, maskOf(exam.sliceCount, positions(exam)));
  return masks;
}

function maskOf(sliceCount: number, positions: readonly number[]): Uint8Array {
  const mask = new Uint8Array(sliceCount);
  for (const z of positions) mask[z] = 1;
  return mask;
}

/** `count` evenly spaced positions from the exam's seeded offset (masking.ts's rule). */
function evenPositions(exam: AllocationExam, count: number, seed: number): number[] {
  if (count === 0 || exam.sliceCount === 0) return [];
  const offset = new Rng(examSeed(seed, exam.examId)).uniform();
  // the fraction that gives `count` under round(f x D)
  return evenSpacingPositions(exam.sliceCount, (100 * count) / exam.sliceCount, offset);
}

function randomPositions(exam: AllocationExam, fractionPercent: number, seed: number): number[] {
  const count = evenCount(exam.sliceCount, fractionPercent);
  const rng = new Rng(mixSeed(examSeed(seed, exam.examId), SEED_STREAMS.randomAllocation));
  const order = Array.from({ length: exam.sliceCount }, (_, z) => z);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, count).sort((a, b) => a - b);
}

function tierWeight(exam: AllocationExam, weights: TierWeights): number {
  if (exam.examLabel === 0) return weights.negative;
  return exam.subtype === "peripheral" ? weights.peripheral : weights.central;
}

/**
 * Integer counts proportional to `shares` that sum to `budget` (or to what the caps allow), each
 * at most its cap: exams whose exact share reaches their cap get the cap and leave, the rest is
 * shared again; then floors, and one more slice to the largest remainders (index order on ties).
 */
function proportionalCounts(shares: number[], caps: number[], budget: number): number[] {
  const counts = new Array<number>(shares.length).fill(0);
  let active = shares.map((_, i) => i).filter((i) => shares[i] > 0 && caps[i] > 0);
  let left = Math.min(budget, active.reduce((sum, i) => sum + caps[i], 0));
  const shareOf = (i: number, total: number) => (left * shares[i]) / total;
  for (;;) {
    const total = active.reduce((sum, i) => sum + shares[i], 0);
    const capped = new Set(active.filter((i) => shareOf(i, total) >= caps[i]));
    if (capped.size === 0) break;
    for (const i of capped) {
      counts[i] = caps[i];
      left -= caps[i];
    }
    active = active.filter((i) => !capped.has(i));
  }
  if (active.length === 0 || left <= 0) return counts;
  const total = active.reduce((sum, i) => sum + shares[i], 0);
  const exact = active.map((i) => shareOf(i, total));
  active.forEach((i, n) => (counts[i] = Math.floor(exact[n])));
  const given = active.reduce((sum, i) => sum + counts[i], 0);
  active
    // remainders compared to 1e-9, so that float noise does not break ties by share size
    .map((i, n) => ({ i, remainder: Math.round((exact[n] - Math.floor(exact[n])) * 1e9) }))
    .sort((a, b) => b.remainder - a.remainder || a.i - b.i)
    .slice(0, left - given)
    .forEach(({ i }) => (counts[i] += 1));
  return counts;
}

function tiered(
  exams: readonly AllocationExam[],
  fractionPercent: number,
  options: AllocationOptions,
): Map<string, Uint8Array> {
  const weights = options.tierWeights ?? DEFAULT_TIER_WEIGHTS;
  for (const [name, value] of Object.entries(weights)) {
    if (!(value >= 0) || !Number.isFinite(value)) {
      throw new Error(`tier weight '${name}' must be a finite number >= 0, got ${value}`);
    }
  }
  const budget = evenBudget(exams, fractionPercent);
  const counts = proportionalCounts(
    exams.map((exam) => tierWeight(exam, weights) * exam.sliceCount),
    exams.map((exam) => exam.sliceCount),
    budget,
  );
  const spent = counts.reduce((a, b) => a + b, 0);
  if (spent < budget) {
    throw new Error(
      `tier weights ${JSON.stringify(weights)} leave ${budget - spent} of the budget's ${budget} ` +
        "slices unlabelled: the exams of the tiers above 0 have too few slices; fix: give every " +
        "tier a weight above 0",
    );
  }
  const masks = new Map<string, Uint8Array>();
  exams.forEach((exam, i) => {
    masks.set(exam.examId, maskOf(exam.sliceCount, evenPositions(exam, counts[i], options.seed)));
  });
  return masks;
}

/** `count` of `candidates` (sorted positions), evenly spread, the middle one first. */
function spread(candidates: readonly number[], count: number): number[] {
  if (count <= 0 || candidates.length === 0) return [];
  if (count >= candidates.length) return [...candidates];
  const step = candidates.length / count;
  return Array.from({ length: count }, (_, i) => candidates[Math.floor((i + 0.5) * step)]);
}

function clotCentredPositions(
  exam: AllocationExam,
  fractionPercent: number,
  seed: number,
): number[] {
  const count = evenCount(exam.sliceCount, fractionPercent);
  if (exam.examLabel === 0) return evenPositions(exam, count, seed);
  const labels = exam.sliceLabels;
  if (labels === undefined || labels.length !== exam.sliceCount) {
    throw new Error(
      `exam '${exam.examId}': clot-centred allocation needs its ${exam.sliceCount} slice labels ` +
        `(got ${labels?.length ?? "none"}); fix: read them from the prepared exam`,
    );
  }
  const onClot: number[] = [];
  const offClot: number[] = [];
  labels.forEach((label, z) => (label ? onClot : offClot).push(z));
  const background = Math.min(offClot.length, Math.floor(count / 3));
  const clot = Math.min(onClot.length, count - background);
  const rest = Math.min(offClot.length, count - clot); // a positive exam with few clot slices
  return [...spread(onClot, clot), ...spread(offClot, rest)].sort((a, b) => a - b);
}

/**
 * Whether slice z of slice labels [D] (1 = clot) is clear but beside a clot: its neighbour shows
 * one, so the model's window (z-1, z, z+1) holds a clot while the slice's label says clear.
 *
 * @example
 * ```ts
 * import { besideClot } from "./allocation.ts";
 * besideClot(Uint8Array.of(0, 1, 0, 0), 2); // true
 * besideClot(Uint8Array.of(0, 1, 0, 0), 3); // false
 * ```
 */
export function besideClot(labels: Uint8Array, z: number): boolean {
  return labels[z] === 0 && (labels[z - 1] === 1 || labels[z + 1] === 1);
}

/**
 * The even rule's slices at `firstRoundPercent` (round 1, those the scoring model learnt from),
 * then the rest of the budget to the unlabelled slices whose probability is nearest 0.5; with
 * `skipAmbiguous`, the looks at a slice {@link besideClot} spend the budget but label nothing (an
 * exam without slice labels, a negative, has no clot).
 */
function adaptive(
  exams: readonly AllocationExam[],
  fractionPercent: number,
  firstRoundPercent: number,
  options: AllocationOptions & { skipAmbiguous: boolean },
): Map<string, Uint8Array> {
  const masks = perExam(
    exams,
    (exam) => evenPositions(exam, evenCount(exam.sliceCount, firstRoundPercent), options.seed),
  );
  const candidates: { exam: number; z: number; uncertainty: number; tie: number }[] = [];
  const rng = new Rng(mixSeed(options.seed, SEED_STREAMS.adaptiveTies));
  exams.forEach((exam, index) => {
    const p = exam.sliceProbabilities;
    if (p === undefined || p.length !== exam.sliceCount) {
      throw new Error(
        `exam '${exam.examId}': adaptive allocation needs ${exam.sliceCount} slice ` +
          `probabilities of the model trained at ${firstRoundPercent} % (got ` +
          `${p?.length ?? "none"}); fix: score the training exams with that run first`,
      );
    }
    const sliceLabels = exam.sliceLabels;
    if (
      options.skipAmbiguous && exam.examLabel === 1 && sliceLabels?.length !== exam.sliceCount
    ) {
      throw new Error(
        `exam '${exam.examId}': adaptive-2-window needs its ${exam.sliceCount} slice labels (got ` +
          `${sliceLabels?.length ?? "none"}): the labeller sees the clot; fix: read them from ` +
          "the source",
      );
    }
    const labelled = masks.get(exam.examId)!;
    for (let z = 0; z < exam.sliceCount; z++) {
      if (!(p[z] >= 0 && p[z] <= 1)) {
        throw new Error(`exam '${exam.examId}': slice ${z} probability ${p[z]} is not in [0, 1]`);
      }
      if (labelled[z]) continue;
      candidates.push({
        exam: index,
        z,
        uncertainty: 1 - Math.abs(2 * p[z] - 1),
        tie: rng.uniform(),
      });
    }
  });
  candidates.sort((a, b) => b.uncertainty - a.uncertainty || a.tie - b.tie);
  const left = evenBudget(exams, fractionPercent) - evenBudget(exams, firstRoundPercent);
  for (const chosen of candidates.slice(0, left)) {
    const exam = exams[chosen.exam];
    const labels = exam.sliceLabels;
    if (options.skipAmbiguous && labels !== undefined && besideClot(labels, chosen.z)) continue;
    masks.get(exam.examId)![chosen.z] = 1;
  }
  return masks;
}

/** Labelled slices per exam in one group of exams (negative, central or peripheral PE). */
export interface AllocationSummaryRow {
  group: "negative" | "central" | "peripheral";
  exams: number;
  /** Labelled slices per exam: mean, min, max. */
  meanLabelled: number;
  minLabelled: number;
  maxLabelled: number;
}

/**
 * Labelled slices per exam by group under `masks` (groups without exams are left out): the
 * table of where a strategy spends its budget.
 *
 * @example
 * ```ts
 * import { allocationSummary } from "./allocation.ts";
 * const exams = [{ examId: "a", examLabel: 0, subtype: null, sliceCount: 2 }] as const;
 * allocationSummary(exams, new Map([["a", Uint8Array.of(1, 0)]]));
 * // [{ group: "negative", exams: 1, meanLabelled: 1, minLabelled: 1, maxLabelled: 1 }]
 * ```
 */
export function allocationSummary(
  exams: readonly AllocationExam[],
  masks: ReadonlyMap<string, Uint8Array>,
): AllocationSummaryRow[] {
  const groups = ["negative", "central", "peripheral"] as const;
  return groups.flatMap((group) => {
    const counts = exams
      .filter((exam) => (exam.examLabel === 0 ? "negative" : exam.subtype ?? "central") === group)
      .map((exam) => {
        const mask = masks.get(exam.examId);
        if (mask === undefined) throw new Error(`exam '${exam.examId}' has no mask`);
        return mask.reduce((total, value) => total + value, 0);
      });
    if (counts.length === 0) return [];
    return [{
      group,
      exams: counts.length,
      meanLabelled: counts.reduce((a, b) => a + b, 0) / counts.length,
      minLabelled: Math.min(...counts),
      maxLabelled: Math.max(...counts),
    }];
  });
}

function checkFraction(fractionPercent: number): void {
  if (!(fractionPercent >= 0 && fractionPercent <= 100)) {
    throw new Error(
      `label fraction must be in [0, 100] percent, got ${fractionPercent}; fix: give e.g. 2.5`,
    );
  }
}
