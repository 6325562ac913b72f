import assert from "node:assert/strict";
import { join } from "node:path";
import { selectBackend } from "../../src/model/backend.ts";
import { auc } from "../../src/stats/mod.ts";
import { markerExams, memoryExamSource, trainConfigSchema, trainRun } from "../../src/train/mod.ts";

const backend = (await selectBackend("wasm")).name;

Deno.test("pipeline check: the network learns a bright marker in positive slices (held-out AUC > 0.9)", async () => {
  const dir = await Deno.makeTempDir();
  const source = memoryExamSource(
    markerExams({ trainPerFold: 32, folds: 2, testPerSplit: 8, dims: [8, 16, 16], seed: 1 }),
    "marker",
  );
  const config = trainConfigSchema.parse({
    fractionPercent: 100,
    fold: 0,
    folds: 2,
    epochs: 8,
    batchSize: 4,
    microBatchSize: 4,
    learningRate: 3e-3,
    model: { lstmLayers: 1 },
    augmentation: { enabled: false },
  });
  const started = performance.now();
  await trainRun({ config, source, runDir: dir, backend });
  const rows = (await Deno.readTextFile(join(dir, "predictions.csv"))).trim().split("\n").slice(1)
    .map((line) => line.split(","))
    .filter((cells) => cells[1] !== "train");
  assert.equal(rows.length, 24);
  const heldOut = auc(rows.map((c) => Number(c[5])), rows.map((c) => Number(c[2])));
  console.log(
    `held-out AUC ${heldOut.toFixed(3)} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  assert.ok(heldOut > 0.9, `AUC ${heldOut}`);
});
