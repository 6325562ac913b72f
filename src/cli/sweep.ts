/**
 * `deno task sweep`: every label fraction x every validation fold from a prepared-exam cache,
 * resumable (finished runs are skipped, an interrupted one continues). Predictions of all
 * finished runs are merged into `OUT/predictions.csv` for `deno task evaluate`.
 *
 * @example
 * ```sh
 * deno task sweep --cache cache/rspect --fractions 0,2.5,5,10,20,27.5,35,42.5,50,75,100 \
 *   --folds all --out runs/rspect [--parallel-runs 3]
 * deno task sweep --cache cache/demo --fractions 0,100 --folds 0,1 --out runs/two-folds
 * ```
 *
 * `--folds` says which validation folds run (`all`, the default, or a list such as `0,1`);
 * `--fold-count` is how many folds the cache's training split is cut into (default 5).
 */
import { selectBackend } from "../model/backend.ts";
import { cacheExamSource, runSweep } from "../train/mod.ts";
import { parseFlags, selectFolds } from "./flags.ts";
import { progressBar } from "../ui/progress.ts";
import { formatEpoch, sweepFlagsSchema, trainingSettings } from "./_shared.ts";
import { sweepParallelism, sweepProgress } from "./_worker_runner.ts";

/** Run the sweep described by `args`. */
export async function main(args: string[]): Promise<void> {
  const flags = parseFlags(args, sweepFlagsSchema, "sweep");
  const source = await cacheExamSource(flags.cache);
  const backend = await selectBackend(flags.backend); // logs the choice and its reason
  const folds = selectFolds(flags.folds, flags.foldCount);
  const count = flags.fractions.length * folds.length;
  const { parallel, trainRunner } = sweepParallelism({
    requested: flags.parallelRuns,
    backend: backend.name,
    runs: count,
    cacheDir: flags.cache,
    cores: navigator.hardwareConcurrency,
  });
  if (parallel > 1) console.log(`sweep: ${parallel} runs at a time, each in its own worker`);
  const progress = sweepProgress((total) => progressBar(`sweep (${count} runs)`, total), count);
  const runs = await runSweep({
    base: trainingSettings(flags),
    fractions: flags.fractions,
    folds,
    source,
    outDir: flags.out,
    backend: backend.name,
    command: `sweep ${args.join(" ")}`,
    parallel,
    trainRunner,
    onRun: progress.onRun,
    onProgress: progress.onProgress,
    onEpoch: (run, log) =>
      console.log(`${run.fractionPercent} % fold ${run.fold}: ${formatEpoch(log)}`),
  });
  progress.finish();
  const skipped = runs.filter((r) => r.result.alreadyFinished).length;
  console.log(
    `sweep: ${runs.length} runs (${skipped} already finished); predictions in ${flags.out}/predictions.csv`,
  );
}
