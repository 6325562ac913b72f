import assert from "node:assert/strict";
import { selectBackend } from "../../src/model/backend.ts";
import { readCheckpoint } from "../../src/model/mod.ts";
import { bestCheckpoint, type EpochLog, trainRun } from "../../src/train/mod.ts";
import { tinyConfig, tinySource } from "./_tiny.ts";
import { join } from "node:path";

const epoch = (n: number, valLoss: number, valAuc: number | null): EpochLog => ({
  epoch: n,
  loss: 0.6,
  valLoss,
  valAuc,
  learningRate: 1e-3,
  seconds: 1,
  examsPerSecond: 10,
});

Deno.test("the best checkpoint is the highest validation AUC, not the lowest validation loss", () => {
  // lowest loss at epoch 3, highest AUC at epoch 2
  const logs = [epoch(1, 0.50, 0.70), epoch(2, 0.45, 0.82), epoch(3, 0.30, 0.78)];
  const best = logs.reduce(bestCheckpoint, null as ReturnType<typeof bestCheckpoint> | null);
  assert.deepEqual(best, { epoch: 2, metric: "auc", value: 0.82 });
  // a tie keeps the earlier epoch
  assert.equal(bestCheckpoint(best, epoch(4, 0.2, 0.82)).epoch, 2);
});

Deno.test("a validation fold with one class (no AUC) keeps the lowest validation loss", () => {
  const logs = [epoch(1, 0.50, null), epoch(2, 0.30, null), epoch(3, 0.40, null)];
  const best = logs.reduce(bestCheckpoint, null as ReturnType<typeof bestCheckpoint> | null);
  assert.deepEqual(best, { epoch: 2, metric: "loss", value: -0.30 });
});

Deno.test("trainRun keeps the epoch of the highest validation AUC by default", async () => {
  const backend = (await selectBackend("wasm")).name;
  const dir = await Deno.makeTempDir();
  // seed 1: the validation loss falls every epoch while the AUC is highest first
  const result = await trainRun({
    config: tinyConfig({ epochs: 4, seed: 1 }),
    source: tinySource(),
    runDir: dir,
    backend,
  });
  const log = result.state.log;
  const byAuc = log.reduce((a, b) => (b.valAuc! > a.valAuc! ? b : a));
  const byLoss = log.reduce((a, b) => (b.valLoss < a.valLoss ? b : a));
  assert.deepEqual(result.state.best, { epoch: byAuc.epoch, metric: "auc", value: byAuc.valAuc });
  if (byLoss.epoch !== byAuc.epoch) assert.notEqual(result.state.best!.epoch, byLoss.epoch);
  const { meta, tensors } = await readCheckpoint(join(dir, "best-weights.json"));
  Object.values(tensors).forEach((t) => t.dispose());
  assert.deepEqual(meta, { epoch: byAuc.epoch, metric: "auc", value: byAuc.valAuc });
});
