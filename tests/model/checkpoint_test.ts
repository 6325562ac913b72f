import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import {
  createNetwork,
  modelConfigSchema,
  readCheckpoint,
  writeCheckpoint,
} from "../../src/model/mod.ts";

await tf.setBackend("cpu");

Deno.test("checkpoint round trip: weights restored exactly into a new network", async () => {
  const dir = await Deno.makeTempDir();
  const config = modelConfigSchema.parse({ lstmLayers: 1 });
  const a = createNetwork(config, 1);
  await writeCheckpoint(join(dir, "w.json"), a.params.named(), { epoch: 2 });
  const manifest = JSON.parse(await Deno.readTextFile(join(dir, "w.json")));
  assert.deepEqual(manifest.weightsManifest[0].paths, ["w.bin"]);
  const b = createNetwork(config, 2);
  const { tensors, meta } = await readCheckpoint(join(dir, "w.json"));
  assert.deepEqual(meta, { epoch: 2 });
  b.params.assign(tensors, "w.json");
  for (const [name, v] of a.params.variables) {
    assert.deepEqual(b.params.get(name).dataSync(), v.dataSync(), name);
  }
  tf.dispose(Object.values(tensors));
  a.dispose();
  b.dispose();
});

Deno.test("a checkpoint of another configuration is refused, naming the weight", async () => {
  const dir = await Deno.makeTempDir();
  const small = createNetwork(modelConfigSchema.parse({ lstmLayers: 1 }), 1);
  await writeCheckpoint(join(dir, "w.json"), small.params.named(), null);
  const other = createNetwork(modelConfigSchema.parse({ lstmLayers: 1, featureSize: 32 }), 1);
  const { tensors } = await readCheckpoint(join(dir, "w.json"));
  assert.throws(
    () => other.params.assign(tensors, "w.json"),
    /w\.json: weight 'project\/kernel' has shape/,
  );
  await assert.rejects(readCheckpoint(join(dir, "missing.json")), /missing\.json: cannot read/);
  await Deno.writeTextFile(join(dir, "bad.json"), JSON.stringify({ format: "x" }));
  await assert.rejects(readCheckpoint(join(dir, "bad.json")), /bad\.json: field 'format'/);
  small.dispose();
  other.dispose();
});
