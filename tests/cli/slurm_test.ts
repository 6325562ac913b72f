/**
 * `deno task slurm` against a real Slurm (a one-node cluster: `.ci/slurm-up`); the tests that
 * need it skip where `sinfo` does not answer. The dry run needs no Slurm.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { slurmAnswers, slurmClient, slurmJobState } from "../../src/train/mod.ts";
import { ACTIVE_JOB_STATES } from "../../src/train/mod.ts";
import { writeTinyCache } from "../train/_cache.ts";
import { runTask } from "./_task.ts";

const slurmUp = await slurmAnswers();
if (!slurmUp) {
  console.warn(
    "slurm_test: sinfo does not answer, so the tests on a real Slurm are skipped (start a one-node cluster with .ci/slurm-up)",
  );
}

const tiny = ["--backend", "wasm", "--batch-size", "4", "--folds", "all", "--fold-count", "2"];

/** Wait until `done` holds (polled), failing after `seconds`. */
async function waitFor(what: string, done: () => Promise<boolean>, seconds = 150) {
  const deadline = Date.now() + seconds * 1000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function jobEnded(jobId: string): Promise<boolean> {
  const state = await slurmJobState(jobId);
  return state === null || !ACTIVE_JOB_STATES.has(state);
}

async function epochsDone(runDir: string): Promise<number> {
  const text = await Deno.readTextFile(join(runDir, "state.json")).catch(() => null);
  return text === null ? 0 : JSON.parse(text).epochsDone;
}

async function finished(runDir: string): Promise<boolean> {
  const text = await Deno.readTextFile(join(runDir, "state.json")).catch(() => null);
  return text !== null && JSON.parse(text).finished === true;
}

const sortedLines = async (path: string) =>
  (await Deno.readTextFile(path)).trim().split("\n").sort();
const jobIds = (text: string) => /array job (\d+), merge \+ evaluate as job (\d+)/.exec(text);

Deno.test("deno task slurm submit --dry-run: scripts and sbatch commands; another sweep in the folder is refused", async () => {
  const dir = await Deno.makeTempDir();
  const cache = join(dir, "cache");
  await writeTinyCache(cache);
  const out = join(dir, "runs");
  const submit = (extra: string[]) =>
    runTask([
      "slurm",
      "submit",
      "--cache",
      cache,
      "--out",
      out,
      "--fractions",
      "0,5,100",
      ...tiny,
      "--epochs",
      "2",
      "--gres",
      "gpu:1",
      "--max-parallel",
      "2",
      "--sbatch-arg=--account=pe --qos=long",
      "--dry-run",
      ...extra,
    ]);
  const dry = await submit([]);
  assert.equal(dry.code, 0, dry.text);
  assert.match(dry.text, /6 of 6 runs due/);
  assert.match(dry.text, new RegExp(`sbatch --parsable --array=0-5%2 ${out}/slurm/sweep.sbatch`));
  assert.match(dry.text, /--dependency=afterany:\$ARRAY_JOB .*merge\.sbatch/);
  const script = await Deno.readTextFile(join(out, "slurm", "sweep.sbatch"));
  for (
    const line of [
      "#SBATCH --array=0-5%2",
      "#SBATCH --gres=gpu:1",
      "#SBATCH --requeue",
      "#SBATCH --signal=B:USR1@300",
      "#SBATCH --account=pe",
      "#SBATCH --qos=long",
    ]
  ) assert.ok(script.includes(`${line}\n`), `${line} in\n${script}`);
  assert.match(script, new RegExp(`src/cli\\.ts slurm task --out ${out}\\n$`));
  const list = JSON.parse(await Deno.readTextFile(join(out, "slurm", "runs.json")));
  assert.deepEqual(
    list.runs.map((r: { task: number; fractionPercent: number; fold: number }) =>
      `${r.task}:${r.fractionPercent}/${r.fold}`
    ),
    ["0:0/0", "1:0/1", "2:5/0", "3:5/1", "4:100/0", "5:100/1"],
  );
  // every task trains with the training flags only (which folds is the run list's business)
  assert.deepEqual(list.trainingArgs, [
    ...tiny.filter((_, i) => tiny[i] !== "--folds" && tiny[i - 1] !== "--folds"),
    "--epochs",
    "2",
  ]);
  const merge = await Deno.readTextFile(join(out, "slurm", "merge.sbatch"));
  assert.doesNotMatch(merge, /--gres/);
  assert.match(
    merge,
    /evaluate --predictions .*predictions\.csv --out .*evaluation --reference-fraction 100\n$/,
  );
  const other = await submit(["--epochs", "3"]);
  assert.equal(other.code, 1);
  assert.match(other.text, /runs\.json lists another sweep .*fix: use another --out folder/);
});

Deno.test({
  name:
    "deno task slurm: the array's merged predictions equal deno task sweep's; a task cancelled mid-run is resubmitted alone and resumes",
  ignore: !slurmUp,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const cache = join(dir, "cache");
    await writeTinyCache(cache);
    // 4 optimiser steps per epoch, so that a cancel lands inside a run
    const settings = [
      "--fractions",
      "0,100",
      ...tiny,
      "--epochs",
      "6",
      "--samples-per-epoch",
      "16",
    ];
    const out = join(dir, "slurm");
    const submit = () =>
      runTask([
        "slurm",
        "submit",
        "--cache",
        cache,
        "--out",
        out,
        ...settings,
        "--max-parallel",
        "2",
        "--cpus-per-task",
        "1",
      ]);
    const first = await submit();
    assert.equal(first.code, 0, first.text);
    const [, arrayJob, mergeJob] = jobIds(first.text) ?? assert.fail(first.text);
    // the last run (100 % fold 1) is cancelled once it has finished an epoch
    const last = join(out, "fraction-100", "fold-1");
    await waitFor("an epoch of the last run", async () => (await epochsDone(last)) >= 1);
    const cancel = await slurmClient("scancel", [arrayJob]);
    assert.ok(cancel.ok, cancel.stderr);
    const runDirs = ["fraction-0/fold-0", "fraction-0/fold-1", "fraction-100/fold-0"]
      .map((run) => join(out, run)).concat(last);
    // every task, not only the last: the one beside it may still be saving its state on SIGTERM
    await waitFor("the cancelled array's tasks and its merge job", async () => {
      const tasks = await Promise.all(runDirs.map((_, task) => jobEnded(`${arrayJob}_${task}`)));
      return tasks.every(Boolean) && (await jobEnded(mergeJob));
    });
    const unfinished: number[] = [];
    const epochsAtCancel = new Map<number, number>();
    for (const [task, runDir] of runDirs.entries()) {
      if (!(await finished(runDir))) unfinished.push(task);
      epochsAtCancel.set(task, await epochsDone(runDir));
    }
    assert.ok(unfinished.includes(3), "the last run was cancelled before it finished");
    assert.ok(epochsAtCancel.get(3)! >= 1);
    for (const runDir of runDirs) {
      await assert.rejects(Deno.stat(join(runDir, "lock.json")), Deno.errors.NotFound);
    }
    const status = await runTask(["slurm", "status", "--out", out]);
    assert.equal(status.code, 0, status.text);
    assert.match(status.text, new RegExp(`${unfinished.length} failed`));
    assert.match(status.text, /100 % fold 1 \(task 3\): failed[^]*\| .*stopped on SIGTERM/);
    // the second submit submits the unfinished runs only, and they resume
    const second = await submit();
    assert.equal(second.code, 0, second.text);
    assert.match(second.text, new RegExp(`${unfinished.length} of 4 runs as array job`));
    const [, , mergeAgain] = jobIds(second.text) ?? assert.fail(second.text);
    await waitFor("the merge job", () => jobEnded(mergeAgain));
    for (const task of unfinished) {
      const record = JSON.parse(await Deno.readTextFile(join(runDirs[task], "run.json")));
      assert.equal(record.resumedFromEpoch, epochsAtCancel.get(task), `task ${task}`);
    }
    // the local sweep runs only now, so that it cannot delay the cancel above
    const local = await runTask([
      "sweep",
      "--cache",
      cache,
      "--out",
      join(dir, "local"),
      ...settings,
    ]);
    assert.equal(local.code, 0, local.text);
    assert.deepEqual(
      await sortedLines(join(out, "predictions.csv")),
      await sortedLines(join(dir, "local", "predictions.csv")),
    );
    assert.ok(await Deno.stat(join(out, "evaluation", "metrics.json")));
    const done = await runTask(["slurm", "status", "--out", out]);
    assert.match(done.text, /4 runs: 4 finished/);
    const again = await submit();
    assert.match(again.text, /nothing to submit/);
  },
});

Deno.test({
  name: "deno task slurm task: a lock held by a live job is respected, a stale one taken over",
  ignore: !slurmUp,
  fn: async () => {
    const dir = await Deno.makeTempDir();
    const cache = join(dir, "cache");
    await writeTinyCache(cache);
    const out = join(dir, "runs");
    const submit = (extra: string[] = []) =>
      runTask([
        "slurm",
        "submit",
        "--cache",
        cache,
        "--out",
        out,
        "--fractions",
        "5",
        ...tiny,
        "--epochs",
        "1",
        ...extra,
      ]);
    const dry = await submit(["--dry-run"]);
    assert.equal(dry.code, 0, dry.text);
    const holder = await slurmClient("sbatch", [
      "--parsable",
      "--wrap",
      "sleep 300",
      "--output=/dev/null",
    ]);
    assert.ok(holder.ok, holder.stderr);
    const holderJob = holder.stdout.split(";")[0];
    try {
      await waitFor(
        "the holder job to run",
        async () => (await slurmJobState(holderJob)) === "RUNNING",
      );
      const runDir = join(out, "fraction-5", "fold-0");
      await Deno.mkdir(runDir, { recursive: true });
      const lock = JSON.stringify({ jobId: holderJob, host: "elsewhere", pid: 1, takenAt: "now" });
      await Deno.writeTextFile(join(runDir, "lock.json"), lock);
      const env = { SLURM_ARRAY_JOB_ID: "999999", SLURM_ARRAY_TASK_ID: "0" };
      const respected = await runTask(["slurm", "task", "--out", out], env);
      assert.equal(respected.code, 1, respected.text);
      assert.match(respected.text, new RegExp(`is being trained by job ${holderJob} on elsewhere`));
      assert.equal(await Deno.readTextFile(join(runDir, "lock.json")), lock);
      await assert.rejects(Deno.stat(join(runDir, "state.json")), Deno.errors.NotFound);
      const held = await submit(["--dry-run"]);
      assert.match(held.text, new RegExp(`5 % fold 0 \\(task 0\\): locked by job ${holderJob}`));
      assert.match(held.text, /1 of 2 runs due[^]*--array=1 /);
      await slurmClient("scancel", [holderJob]);
      await waitFor("the holder job to end", () => jobEnded(holderJob));
      const takeover = await runTask(["slurm", "task", "--out", out], env);
      assert.equal(takeover.code, 0, takeover.text);
      assert.match(takeover.text, new RegExp(`taking over the lock of job ${holderJob}`));
      assert.equal(await finished(runDir), true);
      await assert.rejects(Deno.stat(join(runDir, "lock.json")), Deno.errors.NotFound);
    } finally {
      await slurmClient("scancel", [holderJob]);
    }
  },
});
