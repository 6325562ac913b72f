/**
 * What Slurm says about jobs, through its own clients (`sinfo`, `sbatch`, `squeue`, `scontrol`,
 * `sacct`): submit a batch script, the state of a job, the queued tasks of array jobs, and the
 * accounted end state of tasks where accounting is on. A client that is missing or fails gives
 * "unknown" (null) where the caller can go on without it.
 *
 * @example
 * ```ts
 * import { sbatch, slurmJobState } from "./slurm_jobs.ts";
 * // const arrayJobId = await sbatch(["--array=0-3%2", "runs/x/slurm/sweep.sbatch"]);
 * // await slurmJobState(`${arrayJobId}_0`); // "PENDING", "RUNNING", ... or null when unknown
 * ```
 */

/** Job states in which a job still holds (or waits for) its resources. */
export const ACTIVE_JOB_STATES: ReadonlySet<string> = new Set([
  "PENDING",
  "CONFIGURING",
  "RUNNING",
  "COMPLETING",
  "SUSPENDED",
  "REQUEUED",
  "REQUEUE_FED",
  "REQUEUE_HOLD",
  "RESIZING",
  "SIGNALING",
  "STAGE_OUT",
  "STOPPED",
]);

/** A queued (pending or running) task of an array job, as `squeue` lists it. */
export interface QueuedTask {
  arrayJobId: string;
  task: number;
  state: string;
}

/**
 * Run a Slurm client; `ok` false (with the reason in `stderr`) when it fails or is missing.
 *
 * @example
 * ```ts ignore
 * const { ok, stdout } = await slurmClient("sinfo", ["--noheader", "--format=%N"]);
 * ```
 */
export async function slurmClient(
  command: string,
  args: readonly string[],
): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  try {
    const out = await new Deno.Command(command, {
      args: [...args],
      stdout: "piped",
      stderr: "piped",
    })
      .output();
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes).trim();
    return { ok: out.success, stdout: decode(out.stdout), stderr: decode(out.stderr) };
  } catch (error) {
    return { ok: false, stdout: "", stderr: `${command}: ${(error as Error).message}` };
  }
}

/**
 * Whether a Slurm controller answers here and a node takes jobs (`sinfo` lists a responding
 * node that is idle, mixed, allocated or completing).
 *
 * @example
 * ```ts
 * if (!(await slurmAnswers())) console.log("no Slurm here");
 * ```
 */
export async function slurmAnswers(): Promise<boolean> {
  const { ok, stdout } = await slurmClient("sinfo", [
    "--noheader",
    "--responding",
    "--states=idle,mixed,allocated,completing",
    "--format=%N",
  ]);
  return ok && stdout !== "";
}

/**
 * Submit a batch script with `sbatch --parsable ARGS`; returns the job id (of an array job: the
 * array's id). Fails with sbatch's own message.
 *
 * @example
 * ```ts ignore
 * const jobId = await sbatch(["--dependency=afterany:812", "runs/x/slurm/merge.sbatch"]);
 * ```
 */
export async function sbatch(args: readonly string[]): Promise<string> {
  const { ok, stdout, stderr } = await slurmClient("sbatch", ["--parsable", ...args]);
  const jobId = stdout.split(";")[0].trim();
  if (!ok || !/^\d+$/.test(jobId)) {
    throw new Error(
      `sbatch ${args.join(" ")} failed: ${
        stderr || stdout || "no job id"
      }; fix: check the partition, --gres and limits with 'sinfo' and your site's documentation`,
    );
  }
  return jobId;
}

/**
 * The state of a job (`123` or an array task `123_4`), or null when Slurm no longer knows it.
 *
 * @example
 * ```ts ignore
 * await slurmJobState("812_3"); // "RUNNING"
 * ```
 */
export async function slurmJobState(jobId: string): Promise<string | null> {
  const { ok, stdout } = await slurmClient("scontrol", ["show", "job", "--oneliner", jobId]);
  if (!ok) return null;
  return /\bJobState=(\S+)/.exec(stdout)?.[1] ?? null;
}

/**
 * The queued (pending or running) tasks of the given array jobs, one entry per task.
 *
 * @example
 * ```ts ignore
 * await queuedTasks(["812"]); // [{ arrayJobId: "812", task: 3, state: "RUNNING" }, ...]
 * ```
 */
export async function queuedTasks(arrayJobIds: readonly string[]): Promise<QueuedTask[]> {
  if (arrayJobIds.length === 0) return [];
  const { ok, stdout } = await slurmClient("squeue", [
    "--noheader",
    "--array",
    "--format=%F|%K|%T",
  ]);
  if (!ok) return [];
  const wanted = new Set(arrayJobIds);
  return stdout.split("\n").flatMap((line) => {
    const [arrayJobId, task, state] = line.trim().split("|");
    return wanted.has(arrayJobId) && /^\d+$/.test(task)
      ? [{ arrayJobId, task: Number(task), state }]
      : [];
  });
}

/**
 * The accounted end state of array tasks (`sacct`), keyed `ARRAY_TASK`; null where accounting is
 * off or `sacct` is missing.
 *
 * @example
 * ```ts ignore
 * await accountedTasks(["812"]); // Map { "812_3" => "TIMEOUT", ... } or null
 * ```
 */
export async function accountedTasks(
  arrayJobIds: readonly string[],
): Promise<Map<string, string> | null> {
  if (arrayJobIds.length === 0) return new Map();
  const { ok, stdout } = await slurmClient("sacct", [
    "--noheader",
    "--parsable2",
    "--allocations",
    `--jobs=${arrayJobIds.join(",")}`,
    "--format=JobID,State",
  ]);
  if (!ok) return null;
  return new Map(
    stdout.split("\n").flatMap((line) => {
      const [jobId, state] = line.trim().split("|");
      return jobId && state ? [[jobId, state.split(" ")[0]]] : [];
    }),
  );
}

/**
 * Put a running job back in the queue (`scontrol requeue`); it starts again later with the same
 * job id.
 *
 * @example
 * ```ts ignore
 * await requeueJob("812_3");
 * ```
 */
export async function requeueJob(jobId: string): Promise<void> {
  const { ok, stderr } = await slurmClient("scontrol", ["requeue", jobId]);
  if (!ok) throw new Error(`scontrol requeue ${jobId} failed: ${stderr}`);
}
