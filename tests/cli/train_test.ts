import assert from "node:assert/strict";
import { runTask } from "./_task.ts";
import { join } from "node:path";
import { writeTinyCache } from "../train/_cache.ts";

const tiny = ["--backend", "wasm", "--epochs", "1", "--fold-count", "2", "--batch-size", "4"];

Deno.test("deno task train: trains one run, merges predictions, skips it when rerun", async () => {
  const dir = await Deno.makeTempDir();
  await writeTinyCache(join(dir, "cache"));
  const args = [
    "train",
    "--cache",
    join(dir, "cache"),
    "--fraction",
    "2.5",
    "--fold",
    "1",
    "--out",
    join(dir, "runs"),
    ...tiny,
  ];
  const first = await runTask(args);
  assert.equal(first.code, 0, first.text);
  assert.match(first.text, /epoch 1: loss/);
  const merged = (await Deno.readTextFile(join(dir, "runs", "predictions.csv"))).trim().split("\n");
  assert.equal(merged[0], "exam_id,split,label,fraction,fold,score,subtype");
  assert.equal(merged.length, 1 + 4 + 6);
  assert.ok(
    merged.slice(1).every((line) => line.split(",")[3] === "2.5" && line.split(",")[4] === "1"),
  );
  const again = await runTask(args);
  assert.equal(again.code, 0, again.text);
  assert.match(again.text, /already finished: nothing to train/);
});

Deno.test("deno task train / sweep: bad input gives a clear error", async () => {
  const dir = await Deno.makeTempDir();
  await writeTinyCache(join(dir, "cache"));
  const cache = join(dir, "cache");
  const out = join(dir, "runs");
  /** `deno task train` on this cache and run folder, at a fraction and fold, with more flags. */
  const train = (fraction: string, fold: string, ...more: string[]) =>
    runTask([
      "train",
      "--cache",
      cache,
      "--fraction",
      fraction,
      "--fold",
      fold,
      "--out",
      out,
      ...more,
    ]);
  const badFraction = await train("120", "0");
  assert.equal(badFraction.code, 1);
  assert.match(badFraction.text, /--fraction: above 100 %/);
  const badFold = await train("5", "7", ...tiny);
  assert.equal(badFold.code, 1);
  assert.match(badFold.text, /fold 7 does not exist \(folds present: 0, 1\)/);
  const noCache = await runTask([
    "train",
    "--cache",
    join(dir, "none"),
    "--fraction",
    "5",
    "--fold",
    "0",
    "--out",
    out,
  ]);
  assert.equal(noCache.code, 1);
  assert.match(noCache.text, /cache\.json/);
  const badList = await runTask(["sweep", "--cache", cache, "--fractions", "0,abc", "--out", out]);
  assert.equal(badList.code, 1);
  assert.match(badList.text, /--fractions: '0,abc' must be a comma-separated list/);
  // --folds says which folds, --fold-count how many the cache has: the error names the fix.
  const foldOutside = await runTask([
    "sweep",
    "--cache",
    cache,
    "--folds",
    "2",
    "--out",
    out,
    ...tiny,
  ]);
  assert.equal(foldOutside.code, 1);
  assert.match(
    foldOutside.text,
    /fold 2 does not exist among 2 folds \(0\.\.1\).*--folds 0,1 or --folds all/,
  );
  const countAsList = await runTask(["sweep", "--cache", cache, "--folds", "x", "--out", out]);
  assert.match(
    countAsList.text,
    /--folds: 'x' must be 'all' or folds like 0,1,2 \(which folds; the number of folds is --fold-count\)/,
  );
  const trainFolds = await train("5", "0", "--folds", "2");
  assert.equal(trainFolds.code, 1);
  assert.match(
    trainFolds.text,
    /--folds: train runs one validation fold \(--fold K\); the number of folds in the cache is --fold-count N/,
  );
  const weightsWithoutTiered = await train("5", "0", "--tier-weights", "6,1,0.25", ...tiny);
  assert.equal(weightsWithoutTiered.code, 1);
  assert.match(weightsWithoutTiered.text, /--tier-weights .*fix: add --allocation tiered/);
});

Deno.test("deno task sweep --folds 1: only the named validation fold runs", async () => {
  const dir = await Deno.makeTempDir();
  const cache = join(dir, "cache");
  await writeTinyCache(cache);
  const out = join(dir, "runs");
  const result = await runTask([
    "sweep",
    "--cache",
    cache,
    "--fractions",
    "100",
    "--folds",
    "1",
    "--out",
    out,
    ...tiny,
  ]);
  assert.equal(result.code, 0, result.text);
  const rows = (await Deno.readTextFile(join(out, "predictions.csv"))).trim().split("\n");
  const header = rows[0].split(",");
  const folds = new Set(rows.slice(1).map((row) => row.split(",")[header.indexOf("fold")]));
  assert.deepEqual([...folds], ["1"]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("deno task sweep --parallel-runs 2: runs train in workers, same predictions as one at a time", async () => {
  const dir = await Deno.makeTempDir();
  const cache = join(dir, "cache");
  await writeTinyCache(cache);
  const sweep = (out: string, extra: string[]) =>
    runTask(["sweep", "--cache", cache, "--fractions", "0,100", "--out", out, ...tiny, ...extra]);
  const serial = await sweep(join(dir, "serial"), []);
  assert.equal(serial.code, 0, serial.text);
  const parallel = await sweep(join(dir, "parallel"), ["--parallel-runs", "2"]);
  assert.equal(parallel.code, 0, parallel.text);
  assert.match(parallel.text, /sweep: 2 runs at a time, each in its own worker/);
  const rows = async (out: string) =>
    (await Deno.readTextFile(join(out, "predictions.csv"))).trim().split("\n").sort();
  const expected = await rows(join(dir, "serial"));
  assert.equal(expected.length, 1 + 2 * 2 * 10); // header + 2 fractions x 2 folds x 10 exams
  assert.deepEqual(await rows(join(dir, "parallel")), expected);
  const cpu = await sweep(join(dir, "cpu"), ["--parallel-runs", "2", "--backend", "cpu"]);
  assert.equal(cpu.code, 1);
  assert.match(
    cpu.text,
    /only on the wasm backend.*fix: drop --parallel-runs, or pass --backend wasm/,
  );
});
