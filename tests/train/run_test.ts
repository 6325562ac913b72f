import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { selectBackend } from "../../src/model/backend.ts";
import { trainConfigSchema, trainRun } from "../../src/train/mod.ts";
import { tinyConfig, tinySource } from "./_tiny.ts";

const backend = (await selectBackend("wasm")).name;

Deno.test("training: live tensors stay flat across epochs and nothing leaks after the run", async () => {
  const dir = await Deno.makeTempDir();
  const before = tf.memory().numTensors;
  const perEpoch: number[] = [];
  const result = await trainRun({
    config: tinyConfig({ epochs: 3 }),
    source: tinySource(),
    runDir: dir,
    backend,
    onEpoch: () => perEpoch.push(tf.memory().numTensors),
  });
  assert.equal(result.finished, true);
  assert.equal(perEpoch.length, 3);
  assert.equal(new Set(perEpoch).size, 1, `tensors per epoch: ${perEpoch}`);
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("same seed and backend give identical predictions; resume equals an uninterrupted run", async () => {
  const [a, b, c] = [await Deno.makeTempDir(), await Deno.makeTempDir(), await Deno.makeTempDir()];
  const config = tinyConfig({ epochs: 3 });
  await trainRun({ config, source: tinySource(), runDir: a, backend });
  await trainRun({ config, source: tinySource(), runDir: b, backend });
  const first = await Deno.readTextFile(join(a, "predictions.csv"));
  assert.equal(await Deno.readTextFile(join(b, "predictions.csv")), first);
  assert.equal(first.trim().split("\n").length, 1 + 4 + 3 * 2); // header, fold 0, 3 test splits
  // interrupted after 1 epoch, then after 1 more, then finished
  const one = await trainRun({
    config,
    source: tinySource(),
    runDir: c,
    backend,
    maxEpochsThisCall: 1,
  });
  assert.equal(one.finished, false);
  const two = await trainRun({
    config,
    source: tinySource(),
    runDir: c,
    backend,
    maxEpochsThisCall: 1,
  });
  assert.equal(two.resumedFromEpoch, 1);
  const three = await trainRun({ config, source: tinySource(), runDir: c, backend });
  assert.equal(three.resumedFromEpoch, 2);
  assert.equal(three.finished, true);
  assert.equal(await Deno.readTextFile(join(c, "predictions.csv")), first);
  // a finished run is never retrained
  const again = await trainRun({ config, source: tinySource(), runDir: c, backend });
  assert.equal(again.alreadyFinished, true);
  // only the last epoch's checkpoint is kept
  const files = [...Deno.readDirSync(c)].map((e) => e.name).filter((n) => n.startsWith("epoch-"));
  assert.deepEqual(files.sort(), [
    "epoch-003-optimizer.bin",
    "epoch-003-optimizer.json",
    "epoch-003-weights.bin",
    "epoch-003-weights.json",
  ]);
});

Deno.test("a stop request mid-epoch saves that step; the resumed run equals an uninterrupted one", async () => {
  const [whole, stopped] = [await Deno.makeTempDir(), await Deno.makeTempDir()];
  // 2 optimiser steps per epoch
  const config = tinyConfig({ epochs: 2, samplesPerEpoch: 8 });
  await trainRun({ config, source: tinySource(), runDir: whole, backend });
  const stop = new AbortController();
  const first = await trainRun({
    config,
    source: tinySource(),
    runDir: stopped,
    backend,
    stop: stop.signal,
    // after the first step of epoch 2
    onProgress: (done) => done === 12 && stop.abort(),
  });
  assert.equal(first.stopped, true);
  assert.equal(first.finished, false);
  const state = JSON.parse(await Deno.readTextFile(join(stopped, "state.json")));
  assert.equal(state.epochsDone, 1);
  assert.deepEqual([state.epochInProgress.epoch, state.epochInProgress.nextDraw], [1, 4]);
  assert.ok(await Deno.stat(join(stopped, "step-weights.json")));
  const resumed = await trainRun({ config, source: tinySource(), runDir: stopped, backend });
  assert.equal(resumed.resumedFromEpoch, 1);
  assert.equal(resumed.finished, true);
  assert.equal(resumed.state.epochInProgress, null);
  assert.equal(
    await Deno.readTextFile(join(stopped, "predictions.csv")),
    await Deno.readTextFile(join(whole, "predictions.csv")),
  );
  assert.ok(![...Deno.readDirSync(stopped)].some((e) => e.name.startsWith("step-")));
});

Deno.test("fraction 0 (with gradient clipping) trains without NaN; the run records its config, backend and epoch log", async () => {
  const dir = await Deno.makeTempDir();
  const result = await trainRun({
    config: tinyConfig({ fractionPercent: 0, gradientClipNorm: 1 }),
    source: tinySource(),
    runDir: dir,
    backend,
  });
  assert.ok(result.state.log.every((l) => Number.isFinite(l.loss) && Number.isFinite(l.valLoss)));
  const record = JSON.parse(await Deno.readTextFile(join(dir, "run.json")));
  assert.equal(record.backend, backend);
  assert.equal(record.config.fractionPercent, 0);
  assert.equal(record.seed, 0);
  const epochs = (await Deno.readTextFile(join(dir, "epochs.csv"))).trim().split("\n");
  assert.equal(epochs[0], "epoch,loss,val_loss,val_auc,learning_rate,seconds,exams_per_second");
  assert.equal(epochs.length, 3);
});

Deno.test("bad input: fraction, fold, other settings, other cache, write errors", async () => {
  assert.equal(trainConfigSchema.safeParse({ fractionPercent: 101, fold: 0 }).success, false);
  const dir = await Deno.makeTempDir();
  await assert.rejects(
    trainRun({
      config: tinyConfig({ fold: 3, folds: 5 }),
      source: tinySource(),
      runDir: dir,
      backend,
    }),
    /tiny: fold 3 does not exist \(folds present: 0, 1\); fix: train a fold that holds exams/,
  );
  const config = tinyConfig({ epochs: 2 });
  await trainRun({ config, source: tinySource(), runDir: dir, backend, maxEpochsThisCall: 1 });
  await assert.rejects(
    trainRun({
      config: tinyConfig({ epochs: 2, seed: 9 }),
      source: tinySource(),
      runDir: dir,
      backend,
    }),
    /state\.json: this run was started with other settings \(config\.seed\)/,
  );
  await assert.rejects(
    trainRun({ config, source: tinySource({ dims: [8, 12, 12] }), runDir: dir, backend }),
    /cache built with other settings \(dims differs from tiny\)/,
  );
  // a write that fails (here: a folder where the epoch log goes) names the file; the
  // finished epoch stays intact and the run resumes once the problem is gone
  await Deno.remove(join(dir, "epochs.csv"));
  await Deno.mkdir(join(dir, "epochs.csv", "blocker"), { recursive: true });
  await assert.rejects(
    trainRun({ config, source: tinySource(), runDir: dir, backend }),
    /could not write .*epochs\.csv/,
  );
  await Deno.remove(join(dir, "epochs.csv"), { recursive: true });
  const state = JSON.parse(await Deno.readTextFile(join(dir, "state.json")));
  assert.equal(state.finished, false);
  const resumed = await trainRun({ config, source: tinySource(), runDir: dir, backend });
  assert.equal(resumed.finished, true);
});
