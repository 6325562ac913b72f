import assert from "node:assert/strict";
import { join } from "node:path";
import { readRunLock, RunLockedError, withRunLock } from "../../src/train/mod.ts";

const owner = { jobId: "20_1", host: "node-a", pid: 42 };

Deno.test("run lock: held while the work runs, released after it (also when the work fails)", async () => {
  const runDir = join(await Deno.makeTempDir(), "fraction-5", "fold-0");
  const options = { isStale: () => Promise.resolve(false), log: () => {} };
  const seen = await withRunLock(runDir, owner, options, () => readRunLock(runDir));
  assert.deepEqual({ ...seen, takenAt: "" }, { ...owner, takenAt: "" });
  assert.equal(await readRunLock(runDir), null);
  await assert.rejects(
    withRunLock(runDir, owner, options, () => Promise.reject(new Error("boom"))),
    /boom/,
  );
  assert.equal(await readRunLock(runDir), null);
});

Deno.test("run lock: a live holder is respected, a stale one is taken over with a message", async () => {
  const runDir = await Deno.makeTempDir();
  const held = { jobId: "19_1", host: "node-b", pid: 7, takenAt: "2026-01-01T00:00:00Z" };
  await Deno.writeTextFile(join(runDir, "lock.json"), JSON.stringify(held));
  const log: string[] = [];
  await assert.rejects(
    withRunLock(
      runDir,
      owner,
      { isStale: () => Promise.resolve(false), log: (l) => log.push(l) },
      () => Promise.resolve(),
    ),
    (error: Error) =>
      error instanceof RunLockedError &&
      /being trained by job 19_1 on node-b \(pid 7/.test(error.message),
  );
  assert.deepEqual(await readRunLock(runDir), held);
  const stale = (lock: { jobId: string }) => Promise.resolve(lock.jobId === "19_1");
  const holder = await withRunLock(
    runDir,
    owner,
    { isStale: stale, log: (l) => log.push(l) },
    () => readRunLock(runDir),
  );
  assert.equal(holder?.jobId, "20_1");
  assert.match(log.join("\n"), /taking over the lock of job 19_1 on node-b \(pid 7\)/);
  assert.deepEqual([...Deno.readDirSync(runDir)], []);
});
