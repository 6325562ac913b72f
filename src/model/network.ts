/**
 * The exam classifier: a 2D encoder per slice, then sequence modelling over the slices of an
 * exam, giving one logit per slice and one per exam.
 *
 * ```
 * images [batch * slices, h, w, 3]
 *  -> encoder (stride-2 3x3 convs [+ batch norm] + ReLU,
 *     global average or max pool)                                [batch * slices, E]
 *  -> linear to featureSize -> batch norm                         [batch * slices, F]  "projected"
 *  -> x + selfAttention(x) -> layer norm (heads over slices)      [batch * slices, F]
 *  -> lstmLayers x BiLSTM(hidden)                                 [batch, slices, 2H]  "bilstm"
 *  -> slice head: linear on "bilstm" (default) or "projected"     [batch, slices]
 *  -> exam head: attention pooling over slices (default) or the
 *     last step's output, then linear                             [batch]
 * ```
 *
 * The slice head reads the BiLSTM outputs by default: a slice's decision then sees its
 * neighbours (a clot is followed across slices), and slice labels train every part of the
 * network the exam head uses. `sliceFeatures: "projected"` is the published code's choice.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { createNetwork } from "./network.ts";
 * import { modelConfigSchema } from "./config.ts";
 * await tf.setBackend("cpu");
 * const net = createNetwork(modelConfigSchema.parse({}), 0);
 * const out = net.apply(tf.zeros([2 * 8, 32, 32, 3]), 2, false);
 * assert.deepEqual([out.sliceLogits.shape, out.examLogits.shape], [[2, 8], [2]]);
 * ```
 */
import * as tf from "@tensorflow/tfjs";
import { ENCODER_PRESETS, type ModelConfig } from "./config.ts";
import { ParameterStore } from "./params.ts";
import {
  applyBatchNormUpdates,
  batchNorm,
  type BatchNormUpdate,
  biLstm,
  createBatchNorm,
  createBiLstm,
  createDense,
  createEncoder,
  createLayerNorm,
  createSelfAttention,
  dense,
  encoderMaps,
  layerNorm,
  selfAttention,
} from "./layers.ts";

/** Input channels per slice (adjacent slices z-1, z, z+1, or one slice repeated). */
export const INPUT_CHANNELS = 3;

/** Logits of one forward pass. */
export type NetworkOutput = {
  /** [batch, slices] */
  sliceLogits: tf.Tensor2D;
  /** [batch] */
  examLogits: tf.Tensor1D;
};

/** A network instance: its parameters and its forward pass. */
export interface Network {
  config: ModelConfig;
  params: ParameterStore;
  /**
   * Forward pass. images [batch * slices, h, w, 3] in [0, 1] (slices of one exam contiguous).
   * In training, batch-norm statistics are collected; call `commitBatchStatistics` after the
   * step to fold them into the running statistics.
   */
  apply(images: tf.Tensor4D, batch: number, training: boolean): NetworkOutput;
  /**
   * The encoder's last feature maps: images [n, h, w, 3] -> [n, h', w', E] (`training`: batch
   * statistics in a batch-normalised encoder; default false).
   */
  featureMaps(images: tf.Tensor4D, training?: boolean): tf.Tensor4D;
  /** The rest of the forward pass from feature maps [batch * slices, h', w', E]. */
  applyToMaps(maps: tf.Tensor4D, batch: number, training: boolean): NetworkOutput;
  /** Fold the batch-norm statistics of the training passes since the last call. */
  commitBatchStatistics(): void;
  dispose(): void;
}

/**
 * Build a network with seeded initial weights.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { createNetwork } from "./network.ts";
 * import { modelConfigSchema } from "./config.ts";
 * await tf.setBackend("cpu");
 * const net = createNetwork(modelConfigSchema.parse({ examPooling: "last" }), 42);
 * assert.ok(net.params.trainable().length > 0);
 * net.dispose();
 * ```
 */
export function createNetwork(config: ModelConfig, seed: number): Network {
  const params = new ParameterStore(seed);
  const preset = ENCODER_PRESETS[config.encoder];
  const normalised = config.encoderNorm === "batch";
  const encoded = createEncoder(
    params,
    INPUT_CHANNELS,
    preset.channels,
    preset.convsPerStage,
    normalised,
  );
  const f = config.featureSize;
  const hidden = config.lstmHidden;
  createDense(params, "project", encoded, f);
  createBatchNorm(params, "project/norm", f);
  createSelfAttention(params, "attention", f);
  createLayerNorm(params, "attention/norm", f);
  for (let l = 0; l < config.lstmLayers; l++) {
    createBiLstm(params, `lstm${l}`, l === 0 ? f : 2 * hidden, hidden);
  }
  createDense(params, "slice", config.sliceFeatures === "bilstm" ? 2 * hidden : f, 1);
  if (config.examPooling === "attention") createDense(params, "pool", 2 * hidden, 1, false);
  createDense(params, "exam", 2 * hidden, 1);
  const pending: BatchNormUpdate[] = [];

  const featureMaps = (images: tf.Tensor4D, training = false) =>
    tf.tidy(() =>
      encoderMaps(
        params,
        images,
        preset.channels.length,
        preset.convsPerStage,
        normalised ? { training, updates: pending } : undefined,
      )
    );

  const applyToMaps = (maps: tf.Tensor4D, batch: number, training: boolean): NetworkOutput =>
    tf.tidy(() => {
      const rows = maps.shape[0];
      if (rows % batch !== 0) {
        throw new Error(`images hold ${rows} slices, not a multiple of the batch ${batch}`);
      }
      const slices = rows / batch;
      const [, height, width, channels] = maps.shape;
      // a max pool over the whole map, not tf.max: its gradient is one MaxPoolGrad kernel,
      // where tf.max's is a broadcast Equal that is ~20x slower on wasm
      const features = (config.spatialPooling === "max"
        ? tf.reshape(tf.maxPool(maps, [height, width], [height, width], "valid"), [rows, channels])
        : tf.mean(maps, [1, 2])) as tf.Tensor2D; // [batch * slices, E]
      const projected = batchNorm(
        params,
        "project/norm",
        dense(params, "project", features),
        training,
        pending,
      ); // [batch * slices, F]
      const attended = layerNorm(
        params,
        "attention/norm",
        tf.add(
          projected,
          selfAttention(params, "attention", projected, batch, config.attentionHeads),
        ),
      ); // [batch * slices, F]
      let sequence = tf.reshape(attended, [batch, slices, f]) as tf.Tensor3D;
      for (let l = 0; l < config.lstmLayers; l++) {
        sequence = biLstm(params, `lstm${l}`, sequence);
      }
      const flat = tf.reshape(sequence, [rows, 2 * hidden]) as tf.Tensor2D; // [b * s, 2H]
      const sliceLogits = tf.reshape(
        dense(params, "slice", config.sliceFeatures === "bilstm" ? flat : projected),
        [batch, slices],
      ) as tf.Tensor2D;
      let pooled: tf.Tensor2D; // [batch, 2H]
      if (config.examPooling === "attention") {
        const scores = tf.reshape(dense(params, "pool", flat), [batch, slices]);
        const weights = tf.reshape(tf.softmax(scores), [batch, slices, 1]);
        pooled = tf.sum(tf.mul(sequence, weights), 1) as tf.Tensor2D;
      } else {
        pooled = tf.reshape(
          tf.slice(sequence, [0, slices - 1, 0], [batch, 1, 2 * hidden]),
          [batch, 2 * hidden],
        ) as tf.Tensor2D;
      }
      const examLogits = tf.reshape(dense(params, "exam", pooled), [batch]) as tf.Tensor1D;
      return { sliceLogits, examLogits };
    });

  return {
    config,
    params,
    apply: (images, batch, training) =>
      tf.tidy(() => applyToMaps(featureMaps(images, training), batch, training)),
    featureMaps,
    applyToMaps,
    commitBatchStatistics: () => applyBatchNormUpdates(params, pending),
    dispose: () => {
      for (const { mean, variance } of pending.splice(0)) tf.dispose([mean, variance]);
      params.dispose();
    },
  };
}
