/**
 * The network's building blocks as functions of explicit parameters: slice encoder, dense,
 * batch norm, layer norm, multi-head self-attention over slices and a bidirectional LSTM (one
 * fused kernel per direction on wasm, otherwise a hand-written step of one matMul per time
 * step). Tensors stay at rank <= 4. Each `create*` adds its parameters to a store; the matching
 * function applies them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { ParameterStore } from "./params.ts";
 * import { createDense, dense } from "./layers.ts";
 * await tf.setBackend("cpu");
 * const store = new ParameterStore(0);
 * createDense(store, "head", 8, 1);
 * const y = dense(store, "head", tf.ones([2, 8]));
 * assert.deepEqual(y.shape, [2, 1]);
 * ```
 */
import * as tf from "@tensorflow/tfjs";
import {
  wasmBatchNormAvailable,
  wasmBatchNormTrain,
  wasmLstmAvailable,
  wasmLstmRecurrence,
} from "./kernels/mod.ts";
import type { ParameterStore } from "./params.ts";

/** Add `name/kernel` [inputs, units] and `name/bias` [units]. */
export function createDense(
  store: ParameterStore,
  name: string,
  inputs: number,
  units: number,
  bias = true,
): void {
  store.glorot(`${name}/kernel`, [inputs, units]);
  if (bias) store.constant(`${name}/bias`, [units], 0);
}

/** x [n, inputs] -> [n, units]. */
export function dense(store: ParameterStore, name: string, x: tf.Tensor2D): tf.Tensor2D {
  const y: tf.Tensor2D = tf.matMul(x, store.get(`${name}/kernel`) as tf.Tensor2D);
  const bias = store.variables.get(`${name}/bias`);
  return bias ? tf.add(y, bias) as tf.Tensor2D : y;
}

/**
 * Add the stride-2 3x3 conv stages of a slice encoder (each conv with a bias, or, when
 * `normalised`, with a batch norm after it instead); returns the feature width.
 */
export function createEncoder(
  store: ParameterStore,
  inputChannels: number,
  channels: readonly number[],
  convsPerStage: number,
  normalised = false,
): number {
  let cin = inputChannels;
  channels.forEach((cout, stage) => {
    for (let i = 0; i < convsPerStage; i++) {
      store.glorot(`encoder/${stage}.${i}/kernel`, [3, 3, i === 0 ? cin : cout, cout]);
      // a bias before a batch norm is removed by the norm's centring (its gradient is zero)
      if (normalised) createBatchNorm(store, `encoder/${stage}.${i}/norm`, cout);
      else store.constant(`encoder/${stage}.${i}/bias`, [cout], 0);
    }
    cin = cout;
  });
  return cin;
}

/**
 * Slice encoder up to its last feature maps: images [n, h, w, c] in [0, 1] ->
 * [n, h / 2^stages, w / 2^stages, f]. Each stage is a stride-2 3x3 conv + ReLU (then stride-1
 * 3x3 convs + ReLU), with a batch norm before each ReLU when `norm` is given (an encoder made
 * `normalised`). The network pools the maps into per-slice features; Grad-CAM weights them.
 */
export function encoderMaps(
  store: ParameterStore,
  images: tf.Tensor4D,
  stages: number,
  convsPerStage: number,
  norm?: { training: boolean; updates: BatchNormUpdate[] },
): tf.Tensor4D {
  let h: tf.Tensor4D = tf.sub(tf.mul(images, 2), 1); // [n, h, w, c] centred to [-1, 1]
  for (let stage = 0; stage < stages; stage++) {
    for (let i = 0; i < convsPerStage; i++) {
      const name = `encoder/${stage}.${i}`;
      const kernel = store.get(`${name}/kernel`) as tf.Tensor4D;
      const conv = tf.conv2d(h, kernel, i === 0 ? 2 : 1, "same"); // [n, h', w', cout]
      h = norm
        ? batchNorm(store, `${name}/norm`, conv, norm.training, norm.updates, true)
        : tf.relu(tf.add(conv, store.get(`${name}/bias`)));
    }
  }
  return h;
}

/** Add batch-norm scale/shift and its running mean/variance (state, not trained). */
export function createBatchNorm(store: ParameterStore, name: string, size: number): void {
  store.constant(`${name}/gamma`, [size], 1);
  store.constant(`${name}/beta`, [size], 0);
  store.constant(`${name}/movingMean`, [size], 0, false);
  store.constant(`${name}/movingVariance`, [size], 1, false);
}

const BATCH_NORM_EPSILON = 1e-5;

/** Batch statistics of one training step, to fold into the running mean/variance afterwards. */
export interface BatchNormUpdate {
  name: string;
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/**
 * Batch norm over every axis but the last (features or channels): x [n, f] -> [n, f], or
 * maps [n, h, w, c] -> [n, h, w, c]. Training uses the batch's statistics and pushes them
 * (kept) onto `updates`; evaluation uses the running statistics. On wasm, training runs as one
 * fused kernel each way (kernels/batch_norm_wasm.ts); elsewhere the statistics are means over
 * the rows of x viewed as [rows, c], taken as matrix products with a row of 1 / rows. `relu`
 * applies a ReLU to the result (in the same kernel on wasm).
 */
export function batchNorm<T extends tf.Tensor2D | tf.Tensor4D>(
  store: ParameterStore,
  name: string,
  x: T,
  training: boolean,
  updates: BatchNormUpdate[],
  relu = false,
): T {
  const channels = x.shape[x.rank - 1];
  const rows = tf.reshape(x, [-1, channels]) as tf.Tensor2D; // [n (* h * w), c]
  const gamma = store.get(`${name}/gamma`) as tf.Tensor1D;
  const beta = store.get(`${name}/beta`) as tf.Tensor1D;
  if (training && wasmBatchNormAvailable()) {
    const { y, mean, variance } = wasmBatchNormTrain(rows, gamma, beta, BATCH_NORM_EPSILON, relu);
    updates.push({ name, mean, variance });
    return tf.reshape(y, x.shape) as T;
  }
  let centred: tf.Tensor2D;
  let variance: tf.Tensor;
  if (training) {
    const weights = tf.fill([1, rows.shape[0]], 1 / rows.shape[0]) as tf.Tensor2D;
    const mean = tf.matMul(weights, rows); // [1, c]
    centred = tf.sub(rows, mean);
    variance = tf.matMul(weights, tf.square(centred)); // [1, c], biased
    updates.push({
      name,
      mean: tf.keep(tf.reshape(mean, [channels])),
      variance: tf.keep(tf.reshape(variance, [channels])),
    });
  } else {
    centred = tf.sub(rows, store.get(`${name}/movingMean`));
    variance = store.get(`${name}/movingVariance`);
  }
  const scale = tf.mul(tf.rsqrt(tf.add(variance, BATCH_NORM_EPSILON)), gamma);
  const normalised = tf.add(tf.mul(centred, scale), beta);
  return tf.reshape(relu ? tf.relu(normalised) : normalised, x.shape) as T;
}

/** Fold batch statistics into the running ones (momentum 0.9, as PyTorch's 0.1) and free them. */
export function applyBatchNormUpdates(
  store: ParameterStore,
  updates: BatchNormUpdate[],
  momentum = 0.9,
): void {
  tf.tidy(() => {
    for (const { name, mean, variance } of updates) {
      const movingMean = store.get(`${name}/movingMean`);
      const movingVariance = store.get(`${name}/movingVariance`);
      movingMean.assign(tf.add(tf.mul(movingMean, momentum), tf.mul(mean, 1 - momentum)));
      movingVariance.assign(
        tf.add(tf.mul(movingVariance, momentum), tf.mul(variance, 1 - momentum)),
      );
    }
  });
  for (const { mean, variance } of updates) tf.dispose([mean, variance]);
  updates.length = 0;
}

/** Add layer-norm scale and shift. */
export function createLayerNorm(store: ParameterStore, name: string, size: number): void {
  store.constant(`${name}/gamma`, [size], 1);
  store.constant(`${name}/beta`, [size], 0);
}

/** Layer norm over the last axis: x [n, f] -> [n, f]. */
export function layerNorm(store: ParameterStore, name: string, x: tf.Tensor2D): tf.Tensor2D {
  const { mean, variance } = tf.moments(x, -1, true);
  const normed = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
  return tf.add(tf.mul(normed, store.get(`${name}/gamma`)), store.get(`${name}/beta`));
}

/** Add the query/key/value/output projections of self-attention. */
export function createSelfAttention(store: ParameterStore, name: string, size: number): void {
  for (const part of ["query", "key", "value", "output"]) {
    createDense(store, `${name}/${part}`, size, size);
  }
}

/**
 * Multi-head self-attention over slices: x [batch * slices, f] -> [batch * slices, f]
 * (scaled dot product, softmax over slices; no residual here).
 */
export function selfAttention(
  store: ParameterStore,
  name: string,
  x: tf.Tensor2D,
  batch: number,
  heads: number,
): tf.Tensor2D {
  const [rows, size] = x.shape;
  const slices = rows / batch;
  const headSize = size / heads;
  // [batch * slices, f] -> [batch * heads, slices, headSize]
  const split = (t: tf.Tensor2D) =>
    tf.reshape(
      tf.transpose(tf.reshape(t, [batch, slices, heads, headSize]), [0, 2, 1, 3]),
      [batch * heads, slices, headSize],
    ) as tf.Tensor3D;
  const q = split(dense(store, `${name}/query`, x));
  const k = split(dense(store, `${name}/key`, x));
  const v = split(dense(store, `${name}/value`, x));
  const scores = tf.div(tf.matMul(q, k, false, true), Math.sqrt(headSize)); // [b*h, s, s]
  const context = tf.matMul(tf.softmax(scores), v); // [batch * heads, slices, headSize]
  const merged = tf.reshape(
    tf.transpose(tf.reshape(context, [batch, heads, slices, headSize]), [0, 2, 1, 3]),
    [rows, size],
  ) as tf.Tensor2D; // [batch * slices, f]
  return dense(store, `${name}/output`, merged);
}

/** Add both directions of one BiLSTM layer (forget-gate bias 1). */
export function createBiLstm(
  store: ParameterStore,
  name: string,
  inputs: number,
  hidden: number,
): void {
  for (const direction of ["forward", "backward"]) {
    store.glorot(`${name}/${direction}/kernel`, [inputs, 4 * hidden]);
    store.glorot(`${name}/${direction}/recurrent`, [hidden, 4 * hidden]);
    const bias = new Float32Array(4 * hidden);
    bias.fill(1, hidden, 2 * hidden); // gate order: input, forget, cell, output
    store.values(`${name}/${direction}/bias`, [4 * hidden], bias);
  }
}

/**
 * One BiLSTM layer: x [batch, slices, inputs] -> [batch, slices, 2 * hidden] (forward outputs
 * then backward outputs on the last axis).
 */
export function biLstm(store: ParameterStore, name: string, x: tf.Tensor3D): tf.Tensor3D {
  const [batch, slices, inputs] = x.shape;
  const flat = tf.reshape(x, [batch * slices, inputs]) as tf.Tensor2D;
  const run = (direction: "forward" | "backward"): tf.Tensor3D => {
    const kernel = store.get(`${name}/${direction}/kernel`) as tf.Tensor2D;
    const recurrent = store.get(`${name}/${direction}/recurrent`) as tf.Tensor2D;
    // input projections of every step at once: [batch, slices, 4 * hidden]
    const projected = tf.reshape(
      tf.add(tf.matMul(flat, kernel), store.get(`${name}/${direction}/bias`)),
      [batch, slices, recurrent.shape[1]],
    ) as tf.Tensor3D;
    return lstmRecurrence(projected, recurrent, direction === "backward");
  };
  return tf.concat([run("forward"), run("backward")], 2) as tf.Tensor3D;
}

/**
 * The recurrence of one LSTM direction: the input projections (bias included)
 * [batch, steps, 4H] (gate blocks input, forget, cell, output) and the recurrent weights
 * [H, 4H] -> h [batch, steps, H]; `reverse` runs from the last step to the first. On wasm the
 * whole sequence is one fused kernel each way (kernels/lstm_wasm.ts); elsewhere one matMul over
 * the batch per step.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { lstmRecurrence } from "./layers.ts";
 * await tf.setBackend("cpu");
 * const h = lstmRecurrence(tf.zeros([2, 5, 16]), tf.zeros([4, 16]), false);
 * assert.deepEqual(h.shape, [2, 5, 4]);
 * ```
 */
export function lstmRecurrence(
  projected: tf.Tensor3D,
  recurrent: tf.Tensor2D,
  reverse: boolean,
): tf.Tensor3D {
  if (wasmLstmAvailable()) return wasmLstmRecurrence(projected, recurrent, reverse);
  const [batch, steps] = projected.shape;
  const hidden = recurrent.shape[0];
  const inputs = tf.unstack(projected, 1) as tf.Tensor2D[]; // steps x [batch, 4 * hidden]
  let h: tf.Tensor2D = tf.zeros([batch, hidden]);
  let c: tf.Tensor2D = tf.zeros([batch, hidden]);
  const outputs: tf.Tensor2D[] = new Array(steps);
  for (let s = 0; s < steps; s++) {
    const t = reverse ? steps - 1 - s : s;
    const gates = tf.add(inputs[t], tf.matMul(h, recurrent)); // [batch, 4 * hidden]
    const [i, f, g, o] = tf.split(gates, 4, 1);
    c = tf.add(tf.mul(tf.sigmoid(f), c), tf.mul(tf.sigmoid(i), tf.tanh(g)));
    h = tf.mul(tf.sigmoid(o), tf.tanh(c));
    outputs[t] = h;
  }
  return tf.stack(outputs, 1) as tf.Tensor3D;
}
