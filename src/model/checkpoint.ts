/**
 * Checkpoints in the TensorFlow.js weights format: a JSON file with a `weightsManifest`
 * (names, shapes, dtypes; as in a tfjs `model.json`) beside one binary file of the weights,
 * both written atomically (the binary first, so a manifest always points at complete data).
 * Used for network weights and for optimizer state.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { join } from "node:path";
 * import * as tf from "@tensorflow/tfjs";
 * import { readCheckpoint, writeCheckpoint } from "./checkpoint.ts";
 * const path = join(await Deno.makeTempDir(), "best.json");
 * await writeCheckpoint(path, { w: tf.ones([2]) }, { epoch: 3 });
 * const { tensors, meta } = await readCheckpoint(path);
 * assert.deepEqual([Array.from(tensors.w.dataSync()), meta], [[1, 1], { epoch: 3 }]);
 * ```
 */
import * as tf from "@tensorflow/tfjs";
import { basename, dirname, join } from "node:path";
import { z } from "zod";
import { errorMessage, parseJson, writeBytesAtomic, writeJsonAtomic } from "../io/mod.ts";
import type { ParameterStore } from "./params.ts";

/** Format tag of the checkpoint manifests. */
export const CHECKPOINT_FORMAT = "pe-fewer-labels/tfjs-weights";

/** A checkpoint manifest: tfjs weights manifest plus free-form metadata. */
export const checkpointManifestSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  weightsManifest: z.array(z.object({
    paths: z.array(z.string()).length(1),
    weights: z.array(
      z.object({
        name: z.string(),
        shape: z.array(z.number().int().nonnegative()),
        dtype: z.enum(["float32", "int32", "bool"]),
      }).loose(),
    ),
  })).length(1),
  meta: z.unknown(),
});

/** A validated checkpoint manifest. */
export type CheckpointManifest = z.infer<typeof checkpointManifestSchema>;

/**
 * Write `tensors` to `manifestPath` (JSON) and `<manifestPath without .json>.bin`.
 *
 * @example
 * ```ts
 * import { join } from "node:path";
 * import * as tf from "@tensorflow/tfjs";
 * import { writeCheckpoint } from "./checkpoint.ts";
 * await writeCheckpoint(join(await Deno.makeTempDir(), "weights.json"), { bias: tf.zeros([4]) }, null);
 * ```
 */
export async function writeCheckpoint(
  manifestPath: string,
  tensors: Record<string, tf.Tensor>,
  meta: unknown,
): Promise<void> {
  const { data, specs } = await tf.io.encodeWeights(tensors);
  const binName = `${basename(manifestPath).replace(/\.json$/, "")}.bin`;
  await writeBytesAtomic(join(dirname(manifestPath), binName), new Uint8Array(data));
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    weightsManifest: [{
      paths: [binName],
      weights: specs as CheckpointManifest["weightsManifest"][0]["weights"],
    }],
    meta,
  };
  await writeJsonAtomic(manifestPath, manifest);
}

/**
 * Read a checkpoint written by `writeCheckpoint`; the caller owns (disposes) the tensors.
 *
 * @example
 * ```ts ignore
 * import { readCheckpoint } from "./checkpoint.ts";
 * const { tensors } = await readCheckpoint("out/weights.json");
 * ```
 */
export async function readCheckpoint(
  manifestPath: string,
): Promise<{ tensors: Record<string, tf.Tensor>; meta: unknown }> {
  const text = await Deno.readTextFile(manifestPath).catch((error) => {
    throw new Error(
      `${manifestPath}: cannot read checkpoint manifest (${
        errorMessage(error)
      }); fix: delete the run folder to train it again`,
    );
  });
  const manifest = parseJson(
    text,
    manifestPath,
    checkpointManifestSchema,
    "give a checkpoint written by this project",
  );
  const group = manifest.weightsManifest[0];
  const binPath = join(dirname(manifestPath), group.paths[0]);
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(binPath);
  } catch (error) {
    throw new Error(
      `${binPath}: cannot read checkpoint weights (${
        errorMessage(error)
      }); fix: delete the run folder to train it again`,
    );
  }
  const tensors = tf.io.decodeWeights(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    group.weights as tf.io.WeightsManifestEntry[],
  );
  return { tensors, meta: manifest.meta };
}

/**
 * Overwrite a network's parameters with a checkpoint's weights (same names and shapes);
 * returns the checkpoint's metadata.
 *
 * @example
 * ```ts
 * import { loadWeightsInto } from "./checkpoint.ts";
 * // await loadWeightsInto(network.params, "runs/x/fraction-0/fold-0/best-weights.json");
 * ```
 */
export async function loadWeightsInto(
  params: ParameterStore,
  manifestPath: string,
): Promise<unknown> {
  const { tensors, meta } = await readCheckpoint(manifestPath);
  try {
    params.assign(tensors, manifestPath);
  } finally {
    tf.dispose(Object.values(tensors));
  }
  return meta;
}
