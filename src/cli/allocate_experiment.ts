/**
 * `deno task allocate-experiment`: which slices to label at an equal annotation budget
 * (docs/label-allocation.md). On a prepared cache (the demo's by default), for each training
 * seed: the even rule at 0 % and at each budget, then `random`, `tiered`, `clot-centred` and
 * `adaptive` at the same budgets (and `adaptive-2` or `adaptive-2-window` where named, after the
 * even rule at half of each budget, their first round), all with the profile's training
 * settings; then the AUC of every strategy on the private split (all, central, peripheral PE)
 * with DeLong CIs, the paired DeLong test against `even`, and where each strategy spent its
 * labels, written to OUT
 * (`allocation.csv`, `allocation.md`, `auc_by_allocation.*`). Resumable: finished runs are
 * skipped.
 *
 * @example
 * ```sh
 * deno task demo                                   # prepares cache/demo
 * deno task allocate-experiment --seeds 0,1,2      # runs/allocation/allocation.md
 * deno task allocate-experiment --strategies even,tiered --budgets 2.5 --epochs 4
 * # tiered with other weights (peripheral-only, central, negative), in a folder of its own
 * deno task allocate-experiment --strategies even,tiered --tier-weights 6,1,0.25 --out runs/w6
 * ```
 */
import { z } from "zod";
import { ALLOCATION_STRATEGIES, type AllocationStrategy, hasFirstRound } from "../labels/mod.ts";
import { backendPreferenceSchema, selectBackend } from "../model/backend.ts";
import {
  summariseAllocationExperiment,
  writeAllocationReport,
} from "../report/allocation_comparison.ts";
import {
  cacheExamSource,
  evenFractions,
  profileTrainingBase,
  runAllocationExperiment,
} from "../train/mod.ts";
import { progressBar } from "../ui/progress.ts";
import { formatEpoch, fractionsFlag } from "./_shared.ts";
import { sweepParallelism } from "./_worker_runner.ts";
import { intFlag, parseFlags, seedsFlag, tierWeightsFlag } from "./flags.ts";

const list = (what: string, example: string) =>
  z.string().regex(/^[^,]+(,[^,]+)*$/, `a comma-separated list of ${what}, e.g. ${example}`)
    .transform((s) => [...new Set(s.split(","))]);

const flagsSchema = z.object({
  cache: z.string().default("cache/demo"),
  out: z.string().default("runs/allocation"),
  /** The training profile whose settings every run uses (its data must be in --cache). */
  profile: z.enum(["tiny", "demo"]).default("demo"),
  seeds: seedsFlag.default([0]),
  budgets: fractionsFlag.default([2.5, 10]).refine((b) => !b.includes(0), {
    message: "a budget of 0 % labels nothing; fix: give budgets above 0, e.g. 2.5,10",
  }),
  /** Default: every strategy but the two-round ones, which need budgets whose half labels a slice. */
  strategies: list("strategies", ALLOCATION_STRATEGIES.join(","))
    .default(ALLOCATION_STRATEGIES.filter((strategy) => !hasFirstRound(strategy)))
    .pipe(z.array(z.enum(ALLOCATION_STRATEGIES))),
  fold: intFlag(0).default(0),
  /** The weights of `tiered` (default 3,1,0.5): peripheral-only PE, central PE, negative. */
  tierWeights: tierWeightsFlag.optional(),
  epochs: intFlag(1).optional(),
  samplesPerEpoch: intFlag(1).optional(),
  backend: backendPreferenceSchema.default("auto"),
  parallelRuns: intFlag(1).optional(),
  split: z.enum(["public", "private", "external"]).default("private"),
});

/** Entry point of `deno task allocate-experiment`. */
export async function main(args: string[]): Promise<void> {
  const flags = parseFlags(args, flagsSchema, "allocate-experiment");
  if (flags.tierWeights && !flags.strategies.includes("tiered")) {
    throw new Error(
      "allocate-experiment: --tier-weights sets the weights of tiered, which --strategies leaves " +
        "out; fix: add tiered to --strategies, or leave --tier-weights out",
    );
  }
  const strategies: AllocationStrategy[] = flags.strategies.includes("even")
    ? flags.strategies
    : ["even", ...flags.strategies];
  const source = await cacheExamSource(flags.cache);
  const backend = await selectBackend(flags.backend);
  const runs = flags.seeds.length *
    (evenFractions(flags.budgets, strategies).length +
      flags.budgets.length * (strategies.length - 1));
  const { parallel, trainRunner } = sweepParallelism({
    requested: flags.parallelRuns,
    backend: backend.name,
    runs,
    cacheDir: flags.cache,
    cores: navigator.hardwareConcurrency,
  });
  console.log(
    `allocate-experiment: ${runs} runs (${strategies.join(", ")} at ${
      flags.budgets.join(" and ")
    } %, seeds ${flags.seeds.join(", ")}), ${parallel} at a time, backend ${backend.name}`,
  );
  const bars = new Map<string, ReturnType<typeof progressBar>>();
  const sweeps = await runAllocationExperiment({
    source,
    outDir: flags.out,
    seeds: flags.seeds,
    budgets: flags.budgets,
    strategies,
    fold: flags.fold,
    tierWeights: flags.tierWeights,
    base: profileTrainingBase(flags.profile, {
      epochs: flags.epochs,
      samplesPerEpoch: flags.samplesPerEpoch,
    }),
    backend: backend.name,
    parallel,
    trainRunner,
    onProgress: (done, total, run) => {
      const name = `seed ${run.seed} ${run.strategy} ${run.fractionPercent} %`;
      if (!bars.has(name)) bars.set(name, progressBar(name, total));
      bars.get(name)!.update(done);
      if (done === total) bars.get(name)!.done();
    },
    onEpoch: (run, log) =>
      console.log(
        `seed ${run.seed} ${run.strategy} ${run.fractionPercent} %: ${formatEpoch(log)}`,
      ),
    onScoring: (seed, fraction, done, total) => {
      if (done === total) {
        console.log(`seed ${seed}: the even ${fraction} % model scored ${total} exams' slices`);
      }
    },
  });

  const finished = sweeps.flatMap((sweep) => sweep.runs);
  const skipped = finished.filter((run) => run.result.alreadyFinished).length;
  console.log(`allocate-experiment: ${finished.length} runs (${skipped} already finished)`);
  const { rows, spending } = await summariseAllocationExperiment(
    sweeps,
    source,
    flags.budgets,
    flags.split,
  );
  const staticError = await writeAllocationReport(
    rows,
    spending,
    flags.out,
    `deno task allocate-experiment ${args.join(" ")}`,
    flags.split,
  );
  if (staticError) console.warn(`figures: ${staticError}`);
  console.log(`allocate-experiment: ${rows.length} rows -> ${flags.out}/allocation.md`);
}
