/**
 * The label-allocation experiment (docs/label-allocation.md): for each seed, the even rule at 0 %
 * and at each budget, every other strategy at the same budgets, and for the adaptive strategies
 * first the slice scores over the training exams of the even run they rank by (the 0 % model for
 * `adaptive`; for `adaptive-2` and `adaptive-2-window` the even rule at half the budget, which the
 * even sweep then also runs); each strategy a sweep folder of its own:
 *
 * ```
 * OUT/seed-S/even/                   fraction-0, fraction-B for each budget B (sweep.ts)
 * OUT/seed-S/slice-scores-F.json     the even F % model's slice probabilities (slice_scores.ts)
 * OUT/seed-S/<strategy>/             fraction-B for each budget
 * ```
 *
 * Every part is resumable: finished runs are skipped and the scores are kept. Runs of all
 * strategies share one limit of runs at a time.
 *
 * @example
 * ```ts ignore
 * import { runAllocationExperiment } from "./allocation_experiment.ts";
 * const sweeps = await runAllocationExperiment({ source, outDir: "runs/allocation", seeds: [0],
 *   budgets: [2.5, 10], strategies: ["even", "tiered"], fold: 0, base: {}, backend: "wasm" });
 * // sweeps -> [{ seed: 0, strategy: "even", outDir: "runs/allocation/seed-0/even" }, ...]
 * ```
 *
 * @module
 */
import { join } from "node:path";
import {
  type AllocationStrategy,
  allocationSummary,
  type AllocationSummaryRow,
  checkRounds,
  scoringFraction,
  type TierWeights,
} from "../labels/mod.ts";
import { runLabelMasks } from "./allocation_masks.ts";
import { type TrainConfig, type TrainConfigInput, trainConfigSchema } from "./config.ts";
import type { ExamSource } from "./exam_source.ts";
import { runExams, trainRun, type TrainRunOptions, type TrainRunResult } from "./run.ts";
import { type EpochLog, runFolder } from "./run_folder.ts";
import { writeSliceScores } from "./slice_scores.ts";
import { runSweep, type SweepOptions, type SweepRun } from "./sweep.ts";

/** Options of {@link runAllocationExperiment}. */
export interface AllocationExperimentOptions {
  source: ExamSource;
  outDir: string;
  seeds: readonly number[];
  /** Budgets as the even rule's fraction, percent (e.g. 2.5, 10). */
  budgets: readonly number[];
  /** Strategies to compare; `even` always runs (the reference and the 0 % model). */
  strategies: readonly AllocationStrategy[];
  /** The validation fold every run holds out. */
  fold: number;
  /** The weights of `tiered` (default 3 : 1 : 0.5; labels/allocation.ts). */
  tierWeights?: TierWeights;
  /** Training settings shared by every run (seed, fraction, fold and allocation are set here). */
  base: Omit<TrainConfigInput, "fractionPercent" | "fold" | "seed" | "allocation" | "masking">;
  backend: string;
  /** Runs training at once over all strategies (default 1). */
  parallel?: number;
  trainRunner?: (options: TrainRunOptions) => Promise<TrainRunResult>;
  onRun?: (run: ExperimentRunId) => void;
  onProgress?: (done: number, total: number, run: ExperimentRunId) => void;
  onEpoch?: (run: ExperimentRunId, log: EpochLog) => void;
  /** Called while an even run (at `fractionPercent`) scores the training exams' slices. */
  onScoring?: (seed: number, fractionPercent: number, done: number, total: number) => void;
}

/** One training run of the experiment. */
export interface ExperimentRunId {
  seed: number;
  strategy: AllocationStrategy;
  fractionPercent: number;
}

/** One strategy's sweep folder for one seed (its `predictions.csv` holds every budget). */
export interface StrategySweep {
  seed: number;
  strategy: AllocationStrategy;
  outDir: string;
  runs: SweepRun[];
}

/**
 * The folder of one seed's strategy.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { strategyFolder } from "./allocation_experiment.ts";
 * assert.equal(strategyFolder("runs/allocation", 1, "tiered"), "runs/allocation/seed-1/tiered");
 * ```
 */
export function strategyFolder(outDir: string, seed: number, strategy: string): string {
  return join(outDir, `seed-${seed}`, strategy);
}

/**
 * The slice scores of one seed's even run at a fraction.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sliceScoresFile } from "./allocation_experiment.ts";
 * assert.equal(sliceScoresFile("runs/allocation", 1, 5), "runs/allocation/seed-1/slice-scores-5.json");
 * ```
 */
export function sliceScoresFile(outDir: string, seed: number, fractionPercent: number): string {
  return join(outDir, `seed-${seed}`, `slice-scores-${fractionPercent}.json`);
}

/**
 * The fractions the experiment trains `even` at: 0 %, each budget, and the fraction each adaptive
 * strategy ranks by (half of each budget for the two-round strategies), ascending.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evenFractions } from "./allocation_experiment.ts";
 * assert.deepEqual(evenFractions([10], ["tiered", "adaptive", "adaptive-2"]), [0, 5, 10]);
 * ```
 */
export function evenFractions(
  budgets: readonly number[],
  strategies: readonly AllocationStrategy[],
): number[] {
  const scoredBy = strategies.flatMap((strategy) =>
    budgets.map((budget) => scoringFraction(strategy, budget))
  ).filter((fraction) => fraction !== null);
  return [...new Set([0, ...budgets, ...scoredBy])].sort((a, b) => a - b);
}

/** A limit of `slots` calls of `run` at once, shared by every caller. */
function limited<A, R>(slots: number, run: (arg: A) => Promise<R>): (arg: A) => Promise<R> {
  let free = slots;
  const waiting: (() => void)[] = [];
  return async (arg) => {
    if (free === 0) await new Promise<void>((resolve) => waiting.push(resolve));
    else free--;
    try {
      return await run(arg);
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}

/**
 * Runs (or resumes) the experiment: per seed, the even sweep at 0 % and the budgets beside the
 * other strategies' sweeps; `adaptive` alone waits for the even sweep, to score the slices with its
 * 0 % model. All seeds at once, every run under the shared limit. Returns every strategy's sweep
 * folder, seed by seed.
 */
export async function runAllocationExperiment(
  options: AllocationExperimentOptions,
): Promise<StrategySweep[]> {
  const train = limited(options.parallel ?? 1, options.trainRunner ?? trainRun);
  const sweep = (
    seed: number,
    strategy: AllocationStrategy,
    fractions: number[],
    atFraction?: SweepOptions["atFraction"],
  ) => {
    const outDir = strategyFolder(options.outDir, seed, strategy);
    const id = (run: { fractionPercent: number }) => ({
      seed,
      strategy,
      fractionPercent: run.fractionPercent,
    });
    return runSweep({
      base: { ...options.base, seed },
      atFraction,
      fractions,
      folds: [options.fold],
      source: options.source,
      outDir,
      backend: options.backend,
      command: `allocate-experiment seed ${seed} ${strategy}`,
      parallel: fractions.length,
      trainRunner: train,
      onRun: (run) => options.onRun?.(id(run)),
      onProgress: (done, total, run) => options.onProgress?.(done, total, id(run)),
      onEpoch: (run, log) => options.onEpoch?.(id(run), log),
    }).then((runs): StrategySweep => ({ seed, strategy, outDir, runs }));
  };
  type Other = Exclude<AllocationStrategy, "even">;
  const others = options.strategies.filter((strategy): strategy is Other => strategy !== "even");
  const { folds } = trainConfigSchema.parse({ ...options.base, fractionPercent: 0, fold: 0 });
  const { train: trainExams } = runExams(options.source, options.fold, folds);
  // before any training: a strategy that cannot run at a budget stops the experiment here
  for (const strategy of others) {
    for (const budget of options.budgets) checkRounds(trainExams, budget, strategy);
  }
  /** The slice scores of the seed's even run at `fraction`, scored once (kept on resume). */
  const scores = async (seed: number, even: StrategySweep, fraction: number) => {
    const path = sliceScoresFile(options.outDir, seed, fraction);
    if (!await Deno.stat(path).then(() => true, () => false)) {
      await writeSliceScores(
        runFolder(even.outDir, fraction, options.fold),
        options.source,
        trainExams,
        path,
        (done, total) => options.onScoring?.(seed, fraction, done, total),
      );
    }
    return path;
  };
  const adaptive = async (seed: number, strategy: Other, even: StrategySweep) => {
    const byBudget = new Map<number, string>();
    for (const budget of options.budgets) {
      byBudget.set(budget, await scores(seed, even, scoringFraction(strategy, budget)!));
    }
    return await sweep(seed, strategy, [...options.budgets], (budget) => ({
      allocation: { strategy, sliceScores: byBudget.get(budget)! },
    }));
  };
  // Seeds and strategies run side by side under the shared limit: only the adaptive strategies
  // wait for their seed's even sweep (to score the slices with its models), and meanwhile every
  // other run keeps the slots busy.
  const perSeed = await Promise.all(options.seeds.map((seed) => {
    const even = sweep(seed, "even", evenFractions(options.budgets, options.strategies));
    return Promise.all([
      even,
      ...others.map((strategy) =>
        scoringFraction(strategy, 0) !== null
          ? even.then((evenSweep) => adaptive(seed, strategy, evenSweep))
          : sweep(seed, strategy, [...options.budgets], () => ({
            allocation: {
              strategy,
              tierWeights: strategy === "tiered" ? options.tierWeights : undefined,
            },
          }))
      ),
    ]);
  }));
  return perSeed.flat();
}

/**
 * Labelled slices per training exam by group under a run's configuration: where a strategy
 * spent its budget (the per-exam rule when the configuration sets no allocation).
 *
 * @example
 * ```ts ignore
 * await labelSpending(run.result.state.config, source);
 * // [{ group: "negative", exams: 1998, meanLabelled: 0.5, ... }, { group: "central", ... }, ...]
 * ```
 */
export async function labelSpending(
  config: TrainConfig,
  source: ExamSource,
): Promise<AllocationSummaryRow[]> {
  const { train } = runExams(source, config.fold, config.folds);
  const { masks } = await runLabelMasks(config, source, train);
  return allocationSummary(train, new Map(train.map((exam) => [exam.examId, masks.of(exam)])));
}
