/**
 * The label-fraction sweep on a Slurm cluster: one job array whose task i trains run i of a run
 * list (`RUNS/slurm/runs.json`: fraction x fold, the cache and the training flags every task
 * passes to `deno task train`), and a job that waits for the array (`afterany`), merges the
 * predictions and evaluates them into `RUNS/evaluation/`. Submitting again submits only the runs
 * that are neither finished nor queued nor locked by a live job. Files under `RUNS/slurm/`:
 *
 * ```
 * runs.json        the run list (task -> fraction, fold, configuration)
 * sweep.sbatch     the array job (its #SBATCH --array lists every task; a submit names the ones due)
 * merge.sbatch     merge + evaluate
 * jobs.json        every submission: array job id, tasks, merge job id
 * logs/            task-ARRAY_TASK.log per task (appended across requeues), merge-JOB.log
 * ```
 *
 * @example
 * ```ts
 * import { submitSlurmSweep } from "./slurm_sweep.ts";
 * // const report = await submitSlurmSweep({ cacheDir: "/shared/cache/rspect", source,
 * //   outDir: "/shared/runs/rspect", base: {}, fractions: [0, 100], folds: 5, (the first 5 folds)
 * //   trainingArgs: ["--fold-count", "5"], deno: Deno.execPath(), repoDir: "/shared/pe-fewer-labels",
 * //   resources: { gres: "gpu:1" }, dryRun: true });
 * ```
 */
import { join, resolve } from "node:path";
import { z } from "zod";
import { parseJson, pathExists, readJson, writeJsonAtomic, writeTextAtomic } from "../io/mod.ts";
import type { TrainConfig, TrainConfigInput } from "./config.ts";
import type { ExamSource } from "./exam_source.ts";
import { mergeRunPredictions } from "./predictions.ts";
import { resumeState } from "./run.ts";
import { readRunState, runFolder } from "./run_folder.ts";
import { readRunLock } from "./run_lock.ts";
import {
  accountedTasks,
  ACTIVE_JOB_STATES,
  queuedTasks,
  sbatch,
  slurmJobState,
} from "./slurm_jobs.ts";
import { type SweepOptions, sweepRunConfigs } from "./sweep.ts";

/** One run of the list: array task `task` trains `fractionPercent` x `fold`. */
const slurmRunSchema = z.object({
  task: z.number().int().min(0),
  fractionPercent: z.number(),
  fold: z.number().int().min(0),
  config: z.unknown(),
});

/** `RUNS/slurm/runs.json`: what each array task trains, with the settings shared by all. */
export const slurmRunListSchema = z.object({
  format: z.literal("pe-fewer-labels/slurm-runs"),
  /** The prepared-exam cache (absolute path on the shared filesystem). */
  cache: z.string(),
  cacheSettings: z.unknown(),
  /** Training flags every task passes to `deno task train`, after --cache, --out, --fraction, --fold. */
  trainingArgs: z.array(z.string()),
  runs: z.array(slurmRunSchema).min(1),
});

/** A sweep's run list. */
export type SlurmRunList = z.infer<typeof slurmRunListSchema>;

/** `RUNS/slurm/jobs.json`: every submission, oldest first. */
const submissionsSchema = z.array(z.object({
  arrayJobId: z.string().nullable(),
  tasks: z.array(z.number().int()),
  mergeJobId: z.string(),
  submittedAt: z.string(),
}));

/** One submission of `jobs.json`. */
export type SlurmSubmission = z.infer<typeof submissionsSchema>[number];

/** What the jobs ask of the cluster (each set field becomes an `#SBATCH` line). */
export interface SlurmResources {
  partition?: string;
  /** e.g. "gpu:1" */
  gres?: string;
  cpusPerTask?: number;
  /** e.g. "32G" */
  mem?: string;
  /** per task, e.g. "12:00:00" */
  time?: string;
  /** Tasks of the array running at once (`%K`). */
  maxParallel?: number;
  /** Seconds before the time limit at which a task saves its state and requeues itself. */
  stopBeforeLimit: number;
  /** Further sbatch options, one per `#SBATCH` line, e.g. "--account=pe". */
  sbatchArgs: readonly string[];
}

/**
 * The files of a sweep's Slurm folder.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { slurmPaths } from "./slurm_sweep.ts";
 * assert.equal(slurmPaths("/shared/runs/x").sweepScript, "/shared/runs/x/slurm/sweep.sbatch");
 * ```
 */
export function slurmPaths(outDir: string): {
  dir: string;
  runList: string;
  sweepScript: string;
  mergeScript: string;
  jobs: string;
  logs: string;
} {
  const dir = join(outDir, "slurm");
  return {
    dir,
    runList: join(dir, "runs.json"),
    sweepScript: join(dir, "sweep.sbatch"),
    mergeScript: join(dir, "merge.sbatch"),
    jobs: join(dir, "jobs.json"),
    logs: join(dir, "logs"),
  };
}

/**
 * Slurm's array index list for `tasks` (ascending), with ranges and an optional limit of tasks
 * running at once.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(arraySpec([0, 1, 2, 3, 5, 7, 8], 2), "0-3,5,7-8%2");
 * ```
 */
export function arraySpec(tasks: readonly number[], maxParallel?: number): string {
  const parts: string[] = [];
  for (let i = 0; i < tasks.length;) {
    let j = i;
    while (j + 1 < tasks.length && tasks[j + 1] === tasks[j] + 1) j++;
    parts.push(i === j ? `${tasks[i]}` : `${tasks[i]}-${tasks[j]}`);
    i = j + 1;
  }
  return parts.join(",") + (maxParallel ? `%${maxParallel}` : "");
}

/** Where the jobs run: the repository (for `src/cli.ts`), the deno binary and its cache. */
export interface SlurmJobEnvironment {
  repoDir: string;
  deno: string;
  /** DENO_DIR for the compute nodes (on the shared filesystem), when set. */
  denoDir?: string;
}

/**
 * The array job script: task `$SLURM_ARRAY_TASK_ID` runs `deno run -A src/cli.ts slurm task`,
 * which trains that run of the run list (through `deno task train`'s code) under the run's lock.
 *
 * @example
 * ```ts
 * const text = sweepScript("/shared/runs/x", 55, { stopBeforeLimit: 300, sbatchArgs: [],
 *   gres: "gpu:1", maxParallel: 8 }, { repoDir: "/shared/pe", deno: "/shared/bin/deno" });
 * // "#SBATCH --array=0-54%8" ... "#SBATCH --gres=gpu:1" ...
 * ```
 */
export function sweepScript(
  outDir: string,
  runs: number,
  resources: SlurmResources,
  environment: SlurmJobEnvironment,
): string {
  const logs = slurmPaths(outDir).logs;
  return jobScript(
    [
      "# The label-fraction sweep: array task i trains run i of runs.json (deno task slurm submit).",
      "# On USR1 (the time limit is near) or TERM (preemption, scancel) the task saves its state at",
      "# the next optimiser step; after USR1 it requeues itself and resumes from that step.",
    ],
    [
      "--job-name=pe-sweep",
      `--array=${arraySpec(Array.from({ length: runs }, (_, i) => i), resources.maxParallel)}`,
      `--output=${join(logs, "task-%A_%a.log")}`,
      "--open-mode=append",
      "--requeue",
      `--signal=B:USR1@${resources.stopBeforeLimit}`,
      ...resourceArgs(resources),
    ],
    environment,
    ["slurm", "task", "--out", outDir],
  );
}

/**
 * The merge job script: merges the finished runs' predictions (failing when a run is
 * unfinished) and evaluates them into `RUNS/evaluation/`, against the sweep's largest fraction
 * (100 % in the paper's design).
 *
 * @example
 * ```ts
 * const text = mergeScript("/shared/runs/x", 100, { stopBeforeLimit: 300, sbatchArgs: [] },
 *   { repoDir: "/shared/pe", deno: "/shared/bin/deno" });
 * ```
 */
export function mergeScript(
  outDir: string,
  referenceFraction: number,
  resources: SlurmResources,
  environment: SlurmJobEnvironment,
): string {
  const { logs } = slurmPaths(outDir);
  const cpuOnly = { ...resources, gres: undefined, cpusPerTask: undefined, mem: undefined };
  return jobScript(
    ["# Merge the sweep's predictions and evaluate them (runs after the array, afterany)."],
    [
      "--job-name=pe-sweep-merge",
      `--output=${join(logs, "merge-%j.log")}`,
      ...resourceArgs(cpuOnly),
    ],
    environment,
    ["slurm", "merge", "--out", outDir],
    [
      "evaluate",
      "--predictions",
      join(outDir, "predictions.csv"),
      "--out",
      join(outDir, "evaluation"),
      "--reference-fraction",
      String(referenceFraction),
    ],
  );
}

function resourceArgs(resources: SlurmResources): string[] {
  return [
    resources.partition && `--partition=${resources.partition}`,
    resources.gres && `--gres=${resources.gres}`,
    resources.cpusPerTask && `--cpus-per-task=${resources.cpusPerTask}`,
    resources.mem && `--mem=${resources.mem}`,
    resources.time && `--time=${resources.time}`,
    ...resources.sbatchArgs,
  ].filter((arg): arg is string => Boolean(arg));
}

function jobScript(
  comments: string[],
  options: string[],
  environment: SlurmJobEnvironment,
  ...commands: string[][]
): string {
  const lines = [
    "#!/bin/bash",
    ...comments,
    ...options.map((option) => `#SBATCH ${option}`),
    "set -euo pipefail",
    `cd ${shellQuote(environment.repoDir)}`,
    "export NO_COLOR=1 RUST_BACKTRACE=0",
    ...(environment.denoDir ? [`export DENO_DIR=${shellQuote(environment.denoDir)}`] : []),
    ...commands.map((args, i) =>
      `${i === commands.length - 1 ? "exec " : ""}${
        [environment.deno, "run", "-A", "src/cli.ts", ...args].map(shellQuote).join(" ")
      }`
    ),
  ];
  return `${lines.join("\n")}\n`;
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Read and validate `RUNS/slurm/runs.json`; a missing or bad file names itself and the fix.
 *
 * @example
 * ```ts ignore
 * const list = await readRunList("runs/x"); // list.runs[3] -> { task: 3, fractionPercent, fold }
 * ```
 */
export async function readRunList(outDir: string): Promise<SlurmRunList> {
  const path = slurmPaths(outDir).runList;
  const text = await Deno.readTextFile(path).catch(() => {
    throw new Error(
      `${path} is missing; fix: run 'deno task slurm submit --out ${outDir} ...' first`,
    );
  });
  return parseJson(text, path, slurmRunListSchema, "submit again");
}

/**
 * The arguments of `deno task train` for one run of the list.
 *
 * @example
 * ```ts ignore
 * trainArgs(list, list.runs[0], "/shared/runs/x");
 * // ["--cache", "/shared/cache/x", "--out", "/shared/runs/x", "--fraction", "0", "--fold", "0", ...]
 * ```
 */
export function trainArgs(
  list: SlurmRunList,
  run: SlurmRunList["runs"][number],
  outDir: string,
): string[] {
  return [
    "--cache",
    list.cache,
    "--out",
    outDir,
    "--fraction",
    String(run.fractionPercent),
    "--fold",
    String(run.fold),
    ...list.trainingArgs,
  ];
}

/** What `submitSlurmSweep` needs. */
export interface SlurmSubmitOptions {
  /** The cache folder (made absolute: compute nodes read it from the shared filesystem). */
  cacheDir: string;
  source: ExamSource;
  /** The run folder (made absolute). */
  outDir: string;
  base: Omit<TrainConfigInput, "fractionPercent" | "fold">;
  fractions: readonly number[];
  /** Validation folds to run: the first n, or a list (as `runSweep` takes them). */
  folds: SweepOptions["folds"];
  /** The training flags, as given (every task passes them to `deno task train`). */
  trainingArgs: readonly string[];
  resources: SlurmResources;
  environment: SlurmJobEnvironment;
  /** Write the scripts and return the sbatch commands without submitting. */
  dryRun: boolean;
}

/** Why a run was not submitted. */
export interface HeldRun {
  task: number;
  fractionPercent: number;
  fold: number;
  reason: string;
}

/** What a submit did (or, dry, would do). */
export interface SlurmSubmitReport {
  runs: number;
  /** Tasks submitted (or due, when dry). */
  tasks: number[];
  held: HeldRun[];
  /** The sbatch command lines, in order (`$ARRAY_JOB` stands for the array's id). */
  commands: string[][];
  arrayJobId: string | null;
  mergeJobId: string | null;
}

/**
 * Write the run list and the job scripts of a sweep and submit the runs that are due: not
 * finished, not queued in an earlier submission, not locked by a live job. The array is followed
 * by the merge job (`afterany` on every array with tasks of this sweep queued). When every run
 * has finished, only the merge job is submitted (unless `RUNS/evaluation/` exists).
 */
export async function submitSlurmSweep(options: SlurmSubmitOptions): Promise<SlurmSubmitReport> {
  const outDir = resolve(options.outDir);
  if (/\s/.test(outDir)) {
    throw new Error(
      `${outDir}: the job scripts' #SBATCH --output lines cannot hold a path with spaces; fix: use an --out folder without spaces`,
    );
  }
  const paths = slurmPaths(outDir);
  const configs = sweepRunConfigs(options);
  const list: SlurmRunList = {
    format: "pe-fewer-labels/slurm-runs",
    cache: resolve(options.cacheDir),
    cacheSettings: options.source.settings,
    trainingArgs: [...options.trainingArgs],
    runs: configs.map((config, task) => ({
      task,
      fractionPercent: config.fractionPercent,
      fold: config.fold,
      config,
    })),
  };
  if (await pathExists(paths.runList)) {
    const before = await readRunList(outDir);
    const key = (l: SlurmRunList) => JSON.stringify([l.cacheSettings, l.runs]);
    if (key(before) !== key(list)) {
      throw new Error(
        `${paths.runList} lists another sweep (other fractions, folds, training settings or cache settings); fix: use another --out folder, or submit with the flags of that sweep (its runs.json lists them)`,
      );
    }
  }
  const submissions = await readSubmissions(paths.jobs);
  const queued = await queuedTasks(arrayJobIds(submissions));
  const tasks: number[] = [];
  const held: HeldRun[] = [];
  for (const run of list.runs) {
    const reason = await runHeldBecause(
      outDir,
      run.config as TrainConfig,
      options.source,
      queued.find((q) => q.task === run.task),
    );
    if (reason === null) tasks.push(run.task);
    else {held.push({
        task: run.task,
        fractionPercent: run.fractionPercent,
        fold: run.fold,
        reason,
      });}
  }
  await Deno.mkdir(paths.logs, { recursive: true });
  await writeJsonAtomic(paths.runList, list);
  await writeTextAtomic(
    paths.sweepScript,
    sweepScript(outDir, list.runs.length, options.resources, options.environment),
  );
  await writeTextAtomic(
    paths.mergeScript,
    mergeScript(outDir, Math.max(...options.fractions), options.resources, options.environment),
  );
  const waitFor = [...new Set(queued.map((q) => q.arrayJobId))];
  const allFinished = held.every((h) => h.reason === "finished");
  const evaluated = await pathExists(join(outDir, "evaluation", "metrics.json"));
  const arrayCommand = tasks.length > 0
    ? [`--array=${arraySpec(tasks, options.resources.maxParallel)}`, paths.sweepScript]
    : null;
  const mergeWanted = tasks.length > 0 || (allFinished && !evaluated);
  const dependency = (arrayJobId: string | null) =>
    [...(arrayJobId ? [arrayJobId] : []), ...waitFor].join(":");
  const mergeCommand = (arrayJobId: string | null) =>
    dependency(arrayJobId) === ""
      ? [paths.mergeScript]
      : [`--dependency=afterany:${dependency(arrayJobId)}`, paths.mergeScript];
  const commands = [
    ...(arrayCommand ? [["sbatch", "--parsable", ...arrayCommand]] : []),
    ...(mergeWanted
      ? [["sbatch", "--parsable", ...mergeCommand(arrayCommand ? "$ARRAY_JOB" : null)]]
      : []),
  ];
  const report: SlurmSubmitReport = {
    runs: list.runs.length,
    tasks,
    held,
    commands,
    arrayJobId: null,
    mergeJobId: null,
  };
  if (options.dryRun || !mergeWanted) return report;
  report.arrayJobId = arrayCommand ? await sbatch(arrayCommand) : null;
  report.mergeJobId = await sbatch(mergeCommand(report.arrayJobId));
  await writeJsonAtomic(
    paths.jobs,
    [...submissions, {
      arrayJobId: report.arrayJobId,
      tasks,
      mergeJobId: report.mergeJobId,
      submittedAt: new Date().toISOString(),
    }] satisfies SlurmSubmission[],
  );
  return report;
}

/** Why a run is not due, or null when it is. Other settings in its folder fail here. */
async function runHeldBecause(
  outDir: string,
  config: TrainConfig,
  source: ExamSource,
  queued: { arrayJobId: string; state: string } | undefined,
): Promise<string | null> {
  const runDir = runFolder(outDir, config.fractionPercent, config.fold);
  const state = await resumeState(runDir, config, source);
  if (state?.finished) return "finished";
  if (queued) return `${queued.state.toLowerCase()} in job ${queued.arrayJobId}`;
  const lock = await readRunLock(runDir);
  const lockState = lock ? await slurmJobState(lock.jobId) : null;
  if (lock && lockState && ACTIVE_JOB_STATES.has(lockState)) {
    return `locked by job ${lock.jobId} on ${lock.host} (${lockState.toLowerCase()})`;
  }
  return null;
}

async function readSubmissions(path: string): Promise<SlurmSubmission[]> {
  if (!(await pathExists(path))) return [];
  return await readJson(path, submissionsSchema, "delete it (earlier jobs are then not tracked)");
}

function arrayJobIds(submissions: readonly SlurmSubmission[]): string[] {
  return submissions.flatMap((s) => s.arrayJobId ? [s.arrayJobId] : []);
}

/** Where a run of the sweep stands. */
export type SlurmRunStatus = "finished" | "running" | "pending" | "failed" | "not submitted";

/** One run in `slurmSweepStatus`. */
export interface SlurmRunReport {
  task: number;
  fractionPercent: number;
  fold: number;
  status: SlurmRunStatus;
  epochsDone: number;
  epochs: number;
  /** The Slurm side: the job and its state (from squeue, sacct or the lock), when known. */
  job: string | null;
  /** The last lines of the latest log of a failed run. */
  logTail: string[];
}

/**
 * Where every run of a submitted sweep stands, from the run folders and, where they answer,
 * `squeue` and `sacct`. A run submitted before that is neither finished nor queued nor running
 * counts as failed, with the tail of its latest task log.
 *
 * @example
 * ```ts ignore
 * const runs = await slurmSweepStatus("runs/x");
 * runs.filter((r) => r.status === "failed").map((r) => r.logTail);
 * ```
 */
export async function slurmSweepStatus(outDir: string, tailLines = 12): Promise<SlurmRunReport[]> {
  outDir = resolve(outDir);
  const list = await readRunList(outDir);
  const paths = slurmPaths(outDir);
  const submissions = await readSubmissions(paths.jobs);
  const ids = arrayJobIds(submissions);
  const queued = await queuedTasks(ids);
  const accounted = await accountedTasks(ids);
  const reports: SlurmRunReport[] = [];
  for (const run of list.runs) {
    const config = run.config as TrainConfig;
    const runDir = runFolder(outDir, run.fractionPercent, run.fold);
    const state = await readRunState(runDir, "").catch(() => null);
    const epochsDone = state?.epochsDone ?? 0;
    const report: SlurmRunReport = {
      task: run.task,
      fractionPercent: run.fractionPercent,
      fold: run.fold,
      status: "not submitted",
      epochsDone,
      epochs: config.epochs,
      job: null,
      logTail: [],
    };
    reports.push(report);
    const latest = submissions.findLast((s) => s.arrayJobId && s.tasks.includes(run.task));
    const inQueue = queued.find((q) => q.task === run.task);
    const lock = await readRunLock(runDir);
    const lockState = lock ? await slurmJobState(lock.jobId) : null;
    if (state?.finished) {
      report.status = "finished";
    } else if (inQueue) {
      const running = !["PENDING", "REQUEUED", "REQUEUE_HOLD"].includes(inQueue.state);
      report.status = running ? "running" : "pending";
      report.job = `${inQueue.arrayJobId}_${run.task} ${inQueue.state}`;
    } else if (lock && lockState && ACTIVE_JOB_STATES.has(lockState)) {
      report.status = "running";
      report.job = `${lock.jobId} ${lockState}`;
    } else if (latest) {
      const jobId = `${latest.arrayJobId}_${run.task}`;
      report.status = "failed";
      report.job = `${jobId} ${accounted?.get(jobId) ?? "ended unfinished"}`;
      const log = join(paths.logs, `task-${jobId}.log`);
      const text = await Deno.readTextFile(log).catch(() => `(no log at ${log})`);
      report.logTail = text.trimEnd().split("\n").slice(-tailLines);
    }
  }
  return reports;
}

/**
 * The merge job's work: merge the finished runs' predictions into `RUNS/predictions.csv`; returns
 * the runs merged and those of the list that are unfinished.
 *
 * @example
 * ```ts ignore
 * const { merged, unfinished } = await mergeSlurmSweep("runs/x");
 * ```
 */
export async function mergeSlurmSweep(
  outDir: string,
): Promise<{ merged: number; unfinished: SlurmRunList["runs"] }> {
  const list = await readRunList(outDir);
  const unfinished: SlurmRunList["runs"] = [];
  for (const run of list.runs) {
    const path = join(runFolder(outDir, run.fractionPercent, run.fold), "predictions.csv");
    if (!(await pathExists(path))) unfinished.push(run);
  }
  return { merged: await mergeRunPredictions(outDir), unfinished };
}
