import assert from "node:assert/strict";
import { join } from "node:path";
import { selectBackend } from "../../src/model/backend.ts";
import { evaluateExams, LabelMasks, loadBestNetwork, trainRun } from "../../src/train/mod.ts";
import { tinyConfig, tinySource } from "./_tiny.ts";

const backend = (await selectBackend("wasm")).name;

Deno.test("the best network of a run folder reproduces the run's predictions", async () => {
  const dir = await Deno.makeTempDir();
  const source = tinySource();
  const result = await trainRun({
    config: tinyConfig({ epochs: 2 }),
    source,
    runDir: dir,
    backend,
  });
  const { network, config, epoch } = await loadBestNetwork(dir);
  assert.equal(epoch, result.state.best!.epoch);
  const test = source.exams.filter((e) => e.split !== "train");
  const { scores } = await evaluateExams(network, source, test, new LabelMasks(config), config);
  network.dispose();
  const written = (await Deno.readTextFile(join(dir, "predictions.csv"))).trim().split("\n").slice(
    1,
  )
    .map((line) => line.split(","))
    .filter((cells) => cells[1] !== "train");
  assert.deepEqual(written.map((c) => c[0]), test.map((e) => e.examId));
  written.forEach((cells, i) => assert.equal(Number(cells[5]), scores[i]));
});

Deno.test("a folder that is not a run is refused with the fix", async () => {
  const dir = await Deno.makeTempDir();
  await assert.rejects(loadBestNetwork(dir), /state\.json: cannot read the run state.*fix/);
});
