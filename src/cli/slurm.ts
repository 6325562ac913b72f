/**
 * `deno task slurm`: the label-fraction sweep on a Slurm cluster (docs/cluster.md).
 *
 * - `submit`: write `RUNS/slurm/` (run list, array and merge scripts) and submit the runs that
 *   are due as one job array, then a merge + evaluate job after it; `--dry-run` prints the
 *   sbatch commands only.
 * - `status`: runs finished, running, pending, failed (with the tail of their logs).
 * - `task` (inside the array job): train run `$SLURM_ARRAY_TASK_ID` through `deno task train`'s
 *   code, holding the run folder's lock; on USR1 (time limit near) save and requeue, on TERM
 *   save and stop.
 * - `merge` (inside the merge job): merge the predictions; fails while a run is unfinished.
 *
 * @example
 * ```sh
 * deno task slurm submit --cache /shared/cache/rspect --out /shared/runs/rspect --folds all \
 *   --partition gpu --gres gpu:1 --cpus-per-task 8 --mem 64G --time 24:00:00 --max-parallel 8
 * deno task slurm status --out /shared/runs/rspect
 * ```
 */
import { fileURLToPath } from "node:url";
import { z } from "zod";
import {
  ACTIVE_JOB_STATES,
  cacheExamSource,
  mergeSlurmSweep,
  readRunList,
  requeueJob,
  runFolder,
  slurmJobState,
  type SlurmRunReport,
  slurmSweepStatus,
  submitSlurmSweep,
  trainArgs,
  withRunLock,
} from "../train/mod.ts";
import { formatFlags, parseFlags, readRawFlags, selectFolds } from "./flags.ts";
import {
  sweepFlagsSchema,
  trainCommand,
  trainingFlagsSchema,
  trainingSettings,
} from "./_shared.ts";

/** The flags of `slurm submit`: the sweep's, and what the jobs ask of the cluster. */
const submitFlagsSchema = sweepFlagsSchema.omit({ parallelRuns: true }).extend({
  partition: z.string().optional(),
  gres: z.string().optional(),
  cpusPerTask: z.coerce.number().int().min(1).optional(),
  mem: z.string().optional(),
  time: z.string().optional(),
  maxParallel: z.coerce.number().int().min(1).optional(),
  /** Seconds before the time limit at which a task saves and requeues itself. */
  stopBeforeLimit: z.coerce.number().int().min(1).default(300),
  /** Further sbatch options, space-separated: --sbatch-arg="--account=pe --qos=long". */
  sbatchArg: z.string().optional(),
  dryRun: z.literal(true).optional(),
});

const outFlagsSchema = z.object({
  out: z.string({ error: "required: the sweep's run folder, as given to submit" }),
});

const subcommands: Record<string, (args: string[]) => Promise<void>> = {
  submit,
  status,
  task,
  merge,
};

/**
 * Run `deno task slurm <submit|status|task|merge> ...`.
 *
 * @example
 * ```ts ignore
 * await main(["status", "--out", "/shared/runs/rspect"]);
 * ```
 */
export async function main(args: string[]): Promise<void> {
  const [name, ...rest] = args;
  const subcommand = subcommands[name ?? ""];
  if (!subcommand) {
    throw new Error(
      `usage: deno task slurm <${Object.keys(subcommands).join("|")}> [flags] (docs/cluster.md)`,
    );
  }
  await subcommand(rest);
}

async function submit(args: string[]): Promise<void> {
  const flags = parseFlags(args, submitFlagsSchema, "slurm submit");
  const source = await cacheExamSource(flags.cache);
  const trainingKeys = new Set(Object.keys(trainingFlagsSchema.shape));
  const trainingRaw = Object.fromEntries(
    Object.entries(readRawFlags(args)).filter(([key]) =>
      trainingKeys.has(key) && key !== "cache" && key !== "out"
    ),
  );
  const report = await submitSlurmSweep({
    cacheDir: flags.cache,
    source,
    outDir: flags.out,
    base: trainingSettings(flags),
    fractions: flags.fractions,
    folds: selectFolds(flags.folds, flags.foldCount),
    trainingArgs: formatFlags(trainingRaw),
    resources: {
      partition: flags.partition,
      gres: flags.gres,
      cpusPerTask: flags.cpusPerTask,
      mem: flags.mem,
      time: flags.time,
      maxParallel: flags.maxParallel,
      stopBeforeLimit: flags.stopBeforeLimit,
      sbatchArgs: flags.sbatchArg?.split(/\s+/).filter((arg) => arg !== "") ?? [],
    },
    environment: {
      repoDir: fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, ""),
      deno: Deno.execPath(),
      denoDir: Deno.env.get("DENO_DIR"),
    },
    dryRun: flags.dryRun === true,
  });
  for (const run of report.held) {
    console.log(`${run.fractionPercent} % fold ${run.fold} (task ${run.task}): ${run.reason}`);
  }
  if (flags.dryRun) {
    console.log(`slurm submit --dry-run: ${report.tasks.length} of ${report.runs} runs due`);
    for (const command of report.commands) console.log(command.join(" "));
    return;
  }
  if (report.mergeJobId === null) {
    console.log(`slurm submit: nothing to submit (${report.held.length} runs held, see above)`);
    return;
  }
  console.log(
    report.arrayJobId
      ? `slurm submit: ${report.tasks.length} of ${report.runs} runs as array job ${report.arrayJobId}, merge + evaluate as job ${report.mergeJobId}`
      : `slurm submit: every run finished; merge + evaluate as job ${report.mergeJobId}`,
  );
}

async function status(args: string[]): Promise<void> {
  const flags = parseFlags(args, outFlagsSchema, "slurm status");
  const runs = await slurmSweepStatus(flags.out);
  const count = (status: SlurmRunReport["status"]) =>
    runs.filter((r) => r.status === status).length;
  console.log(
    `${runs.length} runs: ${count("finished")} finished, ${count("running")} running, ${
      count("pending")
    } pending, ${count("failed")} failed, ${count("not submitted")} not submitted`,
  );
  for (const run of runs.filter((r) => r.status !== "finished")) {
    console.log(
      `  ${run.fractionPercent} % fold ${run.fold} (task ${run.task}): ${run.status}, epoch ${run.epochsDone} of ${run.epochs}${
        run.job ? `, job ${run.job}` : ""
      }`,
    );
    for (const line of run.logTail) console.log(`    | ${line}`);
  }
}

async function task(args: string[]): Promise<void> {
  const flags = parseFlags(args, outFlagsSchema, "slurm task");
  const env = (name: string) => {
    const value = Deno.env.get(name);
    if (!value) {
      throw new Error(`${name} is not set: 'slurm task' runs inside the array job of 'submit'`);
    }
    return value;
  };
  const index = Number(env("SLURM_ARRAY_TASK_ID"));
  const jobId = `${env("SLURM_ARRAY_JOB_ID")}_${index}`;
  const list = await readRunList(flags.out);
  const run = list.runs[index];
  if (!run) throw new Error(`task ${index}: the run list has ${list.runs.length} runs`);
  console.log(
    `task ${index} (job ${jobId} on ${Deno.hostname()}): ${run.fractionPercent} % fold ${run.fold}`,
  );
  // USR1: the time limit is near (sbatch --signal); TERM: preemption or scancel
  const stop = new AbortController();
  const listeners = (["SIGUSR1", "SIGTERM"] as const).map((signal) => {
    const listener = () => stop.abort(signal);
    Deno.addSignalListener(signal, listener);
    return [signal, listener] as const;
  });
  try {
    const result = await withRunLock(
      runFolder(flags.out, run.fractionPercent, run.fold),
      { jobId, host: Deno.hostname(), pid: Deno.pid },
      {
        // a lock of this very job is from its start before a requeue
        isStale: async (lock) => {
          if (lock.jobId === jobId) return true;
          const state = await slurmJobState(lock.jobId);
          return state === null || !ACTIVE_JOB_STATES.has(state);
        },
        log: (line) => console.log(line),
      },
      () => trainCommand(trainArgs(list, run, flags.out), stop.signal),
    );
    if (!result.stopped) return;
    if (stop.signal.reason === "SIGUSR1") {
      console.log(`task ${index}: time limit near, requeueing job ${jobId} to continue`);
      await requeueJob(jobId);
    } else {
      throw new Error(
        `task ${index}: stopped on SIGTERM with its state saved; a requeue or another 'deno task slurm submit' continues it`,
      );
    }
  } finally {
    for (const [signal, listener] of listeners) Deno.removeSignalListener(signal, listener);
  }
}

async function merge(args: string[]): Promise<void> {
  const flags = parseFlags(args, outFlagsSchema, "slurm merge");
  const { merged, unfinished } = await mergeSlurmSweep(flags.out);
  console.log(`slurm merge: ${merged} finished runs merged into ${flags.out}/predictions.csv`);
  if (unfinished.length > 0) {
    throw new Error(
      `${unfinished.length} runs unfinished (${
        unfinished.map((r) => `${r.fractionPercent} % fold ${r.fold}`).join(", ")
      }), so no evaluation; fix: 'deno task slurm status --out ${flags.out}', then submit again`,
    );
  }
}
