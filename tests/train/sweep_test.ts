import assert from "node:assert/strict";
import { join } from "node:path";
import { selectBackend } from "../../src/model/backend.ts";
import { readPredictions } from "../../src/train/predictions_table.ts";
import { readSweepRuns, runSweep, sweepRunConfigs, trainRun } from "../../src/train/mod.ts";
import { tinyConfig, tinySource } from "./_tiny.ts";

const backend = (await selectBackend("wasm")).name;
const { fractionPercent: _f, fold: _k, ...base } = tinyConfig({ epochs: 1 });

Deno.test("sweep: fractions x folds, merged predictions the evaluation reads, finished runs skipped", async () => {
  const dir = await Deno.makeTempDir();
  const started: string[] = [];
  const runs = await runSweep({
    base,
    fractions: [0, 100],
    folds: 2,
    source: tinySource(),
    outDir: dir,
    backend,
    onRun: (r) => started.push(`${r.fractionPercent}/${r.fold}`),
  });
  assert.deepEqual(started, ["0/0", "0/1", "100/0", "100/1"]);
  assert.ok(runs.every((r) => r.result.finished && !r.result.alreadyFinished));
  const table = readPredictions(join(dir, "predictions.csv"));
  // per run: 4 validation exams + 6 test exams
  assert.equal(table.rows.length, 4 * 10);
  assert.deepEqual([...new Set(table.rows.map((r) => r.fraction))], [0, 100]);
  assert.ok(table.rows.every((r) => r.score >= 0 && r.score <= 1));
  // read back from the folders, without training: the same runs and states
  const recorded = await readSweepRuns(dir);
  assert.deepEqual(recorded.sweep.folds, [0, 1]);
  assert.deepEqual(
    recorded.runs.map((r) => [r.fractionPercent, r.fold, r.runDir, r.state?.epochsDone]),
    runs.map((r) => [r.fractionPercent, r.fold, r.runDir, r.result.state.epochsDone]),
  );
  const again = await runSweep({
    base,
    fractions: [0, 100],
    folds: 2,
    source: tinySource(),
    outDir: dir,
    backend,
  });
  assert.ok(again.every((r) => r.result.alreadyFinished));
});

Deno.test("sweep: a bad fraction or fold fails before anything is trained", async () => {
  const dir = await Deno.makeTempDir();
  await assert.rejects(
    runSweep({ base, fractions: [0, 120], folds: 2, source: tinySource(), outDir: dir, backend }),
    /fractionPercent: above 100 % \(fraction 120, fold 0\)/,
  );
  await assert.rejects(
    runSweep({ base, fractions: [0], folds: [0, 4], source: tinySource(), outDir: dir, backend }),
    /fold 4 does not exist/,
  );
  assert.deepEqual([...Deno.readDirSync(dir)], []);
});

Deno.test("sweep: atFraction sets one fraction's runs on top of the shared settings", () => {
  const configs = sweepRunConfigs({
    base,
    atFraction: (fraction) => fraction === 50 ? { allocation: { strategy: "random" } } : {},
    fractions: [0, 50],
    folds: [0],
    source: tinySource(),
  });
  assert.deepEqual(
    configs.map((c) => [c.fractionPercent, c.allocation?.strategy ?? "even", c.epochs]),
    [[0, "even", 1], [50, "random", 1]],
  );
});

Deno.test("sweep: parallel runs train at once, keep the sweep's order and merge every run", async () => {
  const dir = await Deno.makeTempDir();
  let inFlight = 0;
  let mostInFlight = 0;
  const runs = await runSweep({
    base,
    fractions: [0, 50, 100],
    folds: [0],
    source: tinySource(),
    outDir: dir,
    backend,
    parallel: 2,
    trainRunner: async (options) => {
      mostInFlight = Math.max(mostInFlight, ++inFlight);
      try {
        return await trainRun(options);
      } finally {
        inFlight--;
      }
    },
  });
  assert.equal(mostInFlight, 2);
  assert.deepEqual(runs.map((r) => r.fractionPercent), [0, 50, 100]);
  assert.ok(runs.every((r) => r.result.finished));
  const table = readPredictions(join(dir, "predictions.csv"));
  assert.deepEqual([...new Set(table.rows.map((r) => r.fraction))].sort((a, b) => a - b), [
    0,
    50,
    100,
  ]);
  assert.equal(table.rows.length, 3 * 10);
});
