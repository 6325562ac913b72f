/**
 * The lock of a run folder: `lock.json` names the batch job, host and process that trains the
 * run, so that two jobs never train one run at once. It is created atomically (create-new, which
 * holds on a shared filesystem such as NFS v3+ or Lustre); a lock whose holder is gone (the caller
 * decides, e.g. a job the scheduler no longer knows) is taken over with a message.
 *
 * @example
 * ```ts
 * import { withRunLock } from "./run_lock.ts";
 * // await withRunLock("runs/x/fraction-5/fold-0", { jobId: "812_3", host: "gpu07", pid: 4411 },
 * //   { isStale: async (lock) => lock.jobId === "811_3", log: console.log }, () => train());
 * ```
 */
import { join } from "node:path";
import { z } from "zod";

/** `lock.json` of a run folder. */
export const runLockSchema = z.object({
  /** The batch job that trains the run (for Slurm: the job id of the array task). */
  jobId: z.string().min(1),
  host: z.string(),
  pid: z.number().int(),
  takenAt: z.string(),
});

/** A run folder's lock. */
export type RunLock = z.infer<typeof runLockSchema>;

/** Thrown when a live holder has the run: the run is left alone. */
export class RunLockedError extends Error {
  constructor(readonly lock: RunLock, runDir: string) {
    super(
      `${runDir} is being trained by job ${lock.jobId} on ${lock.host} (pid ${lock.pid}, since ${lock.takenAt}); this job leaves it alone`,
    );
  }
}

/**
 * The lock file of a run folder.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runLockPath } from "./run_lock.ts";
 * assert.equal(runLockPath("runs/x/fraction-5/fold-0"), "runs/x/fraction-5/fold-0/lock.json");
 * ```
 */
export function runLockPath(runDir: string): string {
  return join(runDir, "lock.json");
}

/**
 * The lock of a run folder, or null when there is none. A lock that does not parse is treated
 * as a holder that is gone (`jobId` "unreadable").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readRunLock } from "./run_lock.ts";
 * assert.equal(await readRunLock(await Deno.makeTempDir()), null); // no lock: nobody trains it
 * ```
 */
export async function readRunLock(runDir: string): Promise<RunLock | null> {
  let text: string;
  try {
    text = await Deno.readTextFile(runLockPath(runDir));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  const parsed = runLockSchema.safeParse(parseJson(text));
  return parsed.success ? parsed.data : { jobId: "unreadable", host: "?", pid: -1, takenAt: "?" };
}

/**
 * Run `work` holding the run folder's lock, then release it. A lock held by another job is
 * respected (`RunLockedError`) unless `isStale` says its holder is gone: then it is taken over
 * and `log` says so.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { withRunLock } from "./run_lock.ts";
 * const runDir = await Deno.makeTempDir();
 * const result = await withRunLock(runDir, { jobId: "812_3", host: Deno.hostname(), pid: Deno.pid }, {
 *   isStale: async () => false, log: console.log,
 * }, async () => "trained");
 * assert.equal(result, "trained");
 * ```
 */
export async function withRunLock<T>(
  runDir: string,
  owner: Omit<RunLock, "takenAt">,
  options: { isStale: (lock: RunLock) => Promise<boolean>; log: (line: string) => void },
  work: () => Promise<T>,
): Promise<T> {
  await Deno.mkdir(runDir, { recursive: true });
  const path = runLockPath(runDir);
  const text = `${JSON.stringify({ ...owner, takenAt: new Date().toISOString() })}\n`;
  for (;;) {
    try {
      await Deno.writeTextFile(path, text, { createNew: true });
      break;
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    const held = await readRunLock(runDir);
    if (held === null) continue; // released meanwhile
    if (!(await options.isStale(held))) throw new RunLockedError(held, runDir);
    await takeOver(path, held);
    options.log(
      `${runDir}: taking over the lock of job ${held.jobId} on ${held.host} (pid ${held.pid}), which is no longer running`,
    );
  }
  try {
    return await work();
  } finally {
    // release only our own lock (a takeover elsewhere must not be undone)
    if ((await Deno.readTextFile(path).catch(() => null)) === text) await Deno.remove(path);
  }
}

/**
 * Remove a stale lock, atomically: rename it aside, and put it back when what was renamed is not
 * the stale lock that was judged (another job took it over meanwhile).
 */
async function takeOver(path: string, stale: RunLock): Promise<void> {
  const aside = `${path}.stale-${Deno.pid}-${Date.now()}`;
  try {
    await Deno.rename(path, aside);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  const moved = runLockSchema.safeParse(parseJson(await Deno.readTextFile(aside)));
  const same = !moved.success || JSON.stringify(moved.data) === JSON.stringify(stale);
  if (!same) await Deno.link(aside, path).catch(() => {}); // a fresh lock: give it back
  await Deno.remove(aside);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
