/**
 * Batch norm in training (batch statistics) as two wasm kernels (batch_norm_loops.c on the
 * heap): "BatchNormTrain" normalises x [rows, channels] and returns the batch's mean and
 * variance; "BatchNormTrainGrad" gives the gradients of x, gamma and beta. Built from tfjs ops
 * the same step is ~10 kernels forward and ~20 backward, each a pass over x, and the column
 * means as matrix products ([1, rows] @ [rows, channels]) run far below XNNPACK's speed.
 *
 * `batchNorm` in ../layers.ts uses these kernels on wasm and tfjs ops elsewhere.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapKernelReady, requiredHeapModule } from "./heap_module.ts";

type NormExports = {
  batch_norm_forward(
    x: number,
    gamma: number,
    beta: number,
    y: number,
    mean: number,
    variance: number,
    sums: number,
    rows: number,
    channels: number,
    epsilon: number,
    relu: number,
  ): void;
  batch_norm_backward(
    dy: number,
    x: number,
    mean: number,
    variance: number,
    gamma: number,
    y: number,
    dx: number,
    dGamma: number,
    dBeta: number,
    sums: number,
    rows: number,
    channels: number,
    epsilon: number,
    relu: number,
  ): void;
};

/** epsilon of the variance; relu: the block's ReLU applied to the output in the same pass. */
type NormAttrs = { epsilon: number; relu: boolean };

/** Scratch for 2 * channels doubles (4 * channels floats), freed by the caller. */
function sums(wasm: BackendWasm, channels: number): tf.TensorInfo {
  return wasm.makeOutput([4 * channels], "float32");
}

/** x [rows, channels], gamma, beta [channels] -> [y, mean, variance] (y after the ReLU if set). */
function batchNormTrainKernel({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]) {
  const wasm = backend as BackendWasm;
  const { x, gamma, beta } = inputs as Record<string, tf.TensorInfo>;
  const [rows, channels] = x.shape;
  const y = wasm.makeOutput([rows, channels], "float32");
  const mean = wasm.makeOutput([channels], "float32");
  const variance = wasm.makeOutput([channels], "float32");
  const scratch = sums(wasm, channels);
  const at = (t: tf.TensorInfo) => wasm.getMemoryOffset(t.dataId);
  const { epsilon, relu } = attrs as unknown as NormAttrs;
  requiredHeapModule<NormExports>(wasm, "batch_norm_loops", "BatchNormTrain").batch_norm_forward(
    at(x),
    at(gamma),
    at(beta),
    at(y),
    at(mean),
    at(variance),
    at(scratch),
    rows,
    channels,
    epsilon,
    relu ? 1 : 0,
  );
  wasm.disposeData(scratch.dataId);
  return [y, mean, variance];
}

/**
 * dy, x [rows, channels], the batch's mean and variance, gamma, and with the ReLU the forward's
 * output y [rows, channels] -> [dx, dGamma, dBeta].
 */
function batchNormTrainGradKernel({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]) {
  const wasm = backend as BackendWasm;
  const { dy, x, mean, variance, gamma, y } = inputs as Record<string, tf.TensorInfo>;
  const [rows, channels] = x.shape;
  const dx = wasm.makeOutput([rows, channels], "float32");
  const dGamma = wasm.makeOutput([channels], "float32");
  const dBeta = wasm.makeOutput([channels], "float32");
  const scratch = sums(wasm, channels);
  const at = (t: tf.TensorInfo) => wasm.getMemoryOffset(t.dataId);
  const { epsilon, relu } = attrs as unknown as NormAttrs;
  requiredHeapModule<NormExports>(wasm, "batch_norm_loops", "BatchNormTrain").batch_norm_backward(
    at(dy),
    at(x),
    at(mean),
    at(variance),
    at(gamma),
    at(relu ? y : x), // not read without the ReLU
    at(dx),
    at(dGamma),
    at(dBeta),
    at(scratch),
    rows,
    channels,
    epsilon,
    relu ? 1 : 0,
  );
  wasm.disposeData(scratch.dataId);
  return [dx, dGamma, dBeta];
}

/**
 * Whether the fused batch norm can run on the current backend (wasm with the compiled loops).
 *
 * @example
 * ```ts ignore
 * const fused = wasmBatchNormAvailable(); // false on cpu, webgpu, tensorflow
 * ```
 */
export function wasmBatchNormAvailable(): boolean {
  return heapKernelReady("BatchNormTrain", "batch_norm_loops");
}

/**
 * Batch norm with the batch's statistics on the wasm kernels: y [rows, channels] (with its
 * gradient for x, gamma and beta), followed by a ReLU in the same pass when `relu`, and the
 * batch's mean and biased variance [channels] (kept: the caller disposes them). Call only where
 * `wasmBatchNormAvailable()`.
 *
 * @example
 * ```ts ignore
 * const { y, mean, variance } = wasmBatchNormTrain(rows, gamma, beta, 1e-5);
 * const activated = wasmBatchNormTrain(rows, gamma, beta, 1e-5, true).y; // relu(norm(rows))
 * ```
 */
export function wasmBatchNormTrain(
  x: tf.Tensor2D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
  relu = false,
): { y: tf.Tensor2D; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  const attrs = { epsilon, relu } as unknown as tf.NamedAttrMap;
  let statistics: tf.Tensor[] = [];
  const run = tf.customGrad((rows, scale, shift, save) => {
    const [y, mean, variance] = tf.engine().runKernel(
      "BatchNormTrain",
      { x: rows as tf.Tensor, gamma: scale as tf.Tensor, beta: shift as tf.Tensor },
      attrs,
    ) as tf.Tensor[];
    statistics = [tf.keep(mean), tf.keep(variance)];
    (save as tf.GradSaveFunc)([rows as tf.Tensor, mean, variance, scale as tf.Tensor, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, m, v, g, out] = saved;
        return tf.engine().runKernel(
          "BatchNormTrainGrad",
          { dy, x: xs, mean: m, variance: v, gamma: g, y: out },
          attrs,
        ) as tf.Tensor[];
      },
    };
  });
  const y = run(x, gamma, beta) as tf.Tensor2D;
  const [mean, variance] = statistics as tf.Tensor1D[];
  return { y, mean, variance };
}

/**
 * Registers BatchNormTrain and BatchNormTrainGrad for the "wasm" backend (idempotent).
 *
 * @example
 * ```ts ignore
 * registerWasmBatchNorm();
 * await tf.setBackend("wasm");
 * ```
 */
export function registerWasmBatchNorm(): void {
  if (tf.getKernel("BatchNormTrain", "wasm") !== undefined) return;
  tf.registerKernel({
    kernelName: "BatchNormTrain",
    backendName: "wasm",
    kernelFunc: batchNormTrainKernel as unknown as tf.KernelFunc,
  });
  tf.registerKernel({
    kernelName: "BatchNormTrainGrad",
    backendName: "wasm",
    kernelFunc: batchNormTrainGradKernel as unknown as tf.KernelFunc,
  });
}
