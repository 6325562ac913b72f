/**
 * The label-fraction sweep: every fraction x every validation fold, one training run each, in
 * order (or `parallel` at a time through a `trainRunner` that runs each in its own worker),
 * skipping finished runs and resuming an interrupted one. After each finished run the merged
 * predictions (`OUT/predictions.csv`) are rewritten, so an interrupted sweep still leaves a
 * readable table of everything finished.
 *
 * @example
 * ```ts
 * import { runSweep } from "./sweep.ts";
 * // await runSweep({ base: { epochs: 2 }, fractions: [0, 100], folds: 5, source,
 * //   outDir: "runs/sweep", backend: "wasm" });
 * ```
 */
import { join } from "node:path";
import { z } from "zod";
import { readJson, writeJsonAtomic } from "../io/mod.ts";
import { type TrainConfig, type TrainConfigInput, trainConfigSchema } from "./config.ts";
import type { ExamSource } from "./exam_source.ts";
import { mergeRunPredictions } from "./predictions.ts";
import { runExams, trainRun, type TrainRunOptions, type TrainRunResult } from "./run.ts";
import { type EpochLog, readRunState, runFolder, type RunState } from "./run_folder.ts";

/** A sweep: shared settings, the fractions (percent) and the folds to run. */
export interface SweepOptions {
  /** Settings shared by every run (fraction and fold are set per run). */
  base: Omit<TrainConfigInput, "fractionPercent" | "fold">;
  /** Settings of one fraction's runs on top of `base` (e.g. an allocation that depends on it). */
  atFraction?: (fractionPercent: number) => Omit<TrainConfigInput, "fractionPercent" | "fold">;
  fractions: readonly number[];
  /** Validation folds to run: 0..folds-1 (or the listed ones). */
  folds: number | readonly number[];
  source: ExamSource;
  outDir: string;
  backend: string;
  command?: string;
  /** A run starts: its fraction, fold, position and the number of runs. */
  onRun?: (run: { fractionPercent: number; fold: number; index: number; runs: number }) => void;
  /** Exams processed by a run so far and its total; `run` says which run (several may train). */
  onProgress?: (done: number, total: number, run: SweepRunId) => void;
  onEpoch?: (run: { fractionPercent: number; fold: number }, log: EpochLog) => void;
  /** Runs training at once (default 1); above 1 only makes sense with a `trainRunner`. */
  parallel?: number;
  /** Trains one run (default `trainRun` in this thread); e.g. a runner that uses a Worker. */
  trainRunner?: (options: TrainRunOptions) => Promise<TrainRunResult>;
}

/** Which run of the sweep: fraction, fold and position in the sweep's order. */
export type SweepRunId = { fractionPercent: number; fold: number; index: number };

/** Outcome of one run of the sweep. */
export interface SweepRun {
  fractionPercent: number;
  fold: number;
  runDir: string;
  result: TrainRunResult;
}

/**
 * The configuration of every run of a sweep, fraction by fraction, fold by fold; bad settings (a
 * fraction outside [0, 100], a fold the source lacks) fail naming the run and the fix.
 *
 * @example
 * ```ts
 * import { sweepRunConfigs } from "./sweep.ts";
 * // sweepRunConfigs({ base: { epochs: 2 }, fractions: [0, 100], folds: 2, source })
 * //   -> 4 configs: 0 % fold 0, 0 % fold 1, 100 % fold 0, 100 % fold 1
 * ```
 */
export function sweepRunConfigs(
  options: Pick<SweepOptions, "base" | "atFraction" | "fractions" | "folds" | "source">,
): TrainConfig[] {
  const folds = typeof options.folds === "number"
    ? Array.from({ length: options.folds }, (_, k) => k)
    : [...options.folds];
  const configs = options.fractions.flatMap((fractionPercent) =>
    folds.map((fold) => {
      const parsed = trainConfigSchema.safeParse({
        ...options.base,
        ...options.atFraction?.(fractionPercent),
        fractionPercent,
        fold,
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(
          `sweep settings: ${
            issue.path.join(".")
          }: ${issue.message} (fraction ${fractionPercent}, fold ${fold}); fix: give fractions in 0..100 and folds that exist`,
        );
      }
      return parsed.data;
    })
  );
  for (const config of configs) runExams(options.source, config.fold, config.folds);
  return configs;
}

/**
 * Run (or resume) the sweep; returns every run's outcome. Bad settings (a fraction outside
 * [0, 100], a missing fold) fail before any training starts.
 */
export async function runSweep(options: SweepOptions): Promise<SweepRun[]> {
  const configs = sweepRunConfigs(options);
  const folds = [...new Set(configs.map((config) => config.fold))];
  await writeJsonAtomic(join(options.outDir, "sweep.json"), {
    fractions: options.fractions,
    folds,
    base: options.base,
    source: { name: options.source.name, settings: options.source.settings },
    backend: options.backend,
  });
  const runs: SweepRun[] = new Array(configs.length);
  const train = options.trainRunner ?? trainRun;
  let next = 0;
  let merging: Promise<unknown> = Promise.resolve();
  const lane = async () => {
    while (next < configs.length) {
      const index = next++;
      const config = configs[index];
      const runDir = runFolder(options.outDir, config.fractionPercent, config.fold);
      const run = { fractionPercent: config.fractionPercent, fold: config.fold };
      options.onRun?.({ ...run, index, runs: configs.length });
      const result = await train({
        config,
        source: options.source,
        runDir,
        backend: options.backend,
        command: options.command ?? "sweep",
        onProgress: (done, total) => options.onProgress?.(done, total, { ...run, index }),
        onEpoch: (log) => options.onEpoch?.(run, log),
      });
      runs[index] = { ...run, runDir, result };
      // One merge at a time: runs finishing together must not rewrite the table at once.
      if (result.finished) {
        await (merging = merging.then(() => mergeRunPredictions(options.outDir)));
      }
    }
  };
  const lanes = Math.max(1, Math.min(options.parallel ?? 1, configs.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  return runs;
}

/** `sweep.json` of a sweep folder: which fractions and folds it runs. */
export const sweepFileSchema = z.object({
  fractions: z.array(z.number().min(0).max(100)),
  folds: z.array(z.number().int().min(0)),
  backend: z.string(),
});

/** A run of a sweep as read from its folder (no training). */
export interface RecordedRun {
  fractionPercent: number;
  fold: number;
  runDir: string;
  /** null when the run has not started (no state.json). */
  state: RunState | null;
}

/**
 * Read a sweep folder written by `runSweep` (`deno task sweep`, `deno task demo`): its
 * `sweep.json` and every run's `state.json`, in the sweep's order. Bad files fail naming the
 * file and the fix.
 *
 * @example
 * ```ts ignore
 * const { runs } = await readSweepRuns("runs/demo");
 * runs.map((r) => `${r.fractionPercent} % fold ${r.fold}: ${r.state?.epochsDone ?? 0} epochs`);
 * ```
 */
export async function readSweepRuns(
  outDir: string,
): Promise<{ sweep: z.infer<typeof sweepFileSchema>; runs: RecordedRun[] }> {
  const fix = "rerun the sweep that wrote it";
  const sweep = await readJson(join(outDir, "sweep.json"), sweepFileSchema, fix);
  const runs: RecordedRun[] = [];
  for (const fractionPercent of sweep.fractions) {
    for (const fold of sweep.folds) {
      const runDir = runFolder(outDir, fractionPercent, fold);
      runs.push({ fractionPercent, fold, runDir, state: await readRunState(runDir, fix) });
    }
  }
  return { sweep, runs };
}
