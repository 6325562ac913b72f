/**
 * One Adam (AdamW) update of a parameter as a single wasm kernel (optimizer_loops.c on the
 * heap): "AdamUpdate" takes the parameter, its gradient and both moments and returns the three
 * updated tensors. Built from tfjs ops the same update is ~12 kernels per parameter, each a pass
 * over it.
 *
 * `Adam.step` in ../optimizer.ts uses this kernel on wasm and tfjs ops elsewhere.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapModule } from "./heap_module.ts";

type OptimizerExports = {
  adam_update(
    w: number,
    g: number,
    m: number,
    v: number,
    wOut: number,
    mOut: number,
    vOut: number,
    size: number,
    lr: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    epsilon: number,
    c1: number,
    c2: number,
    lrDecay: number,
  ): void;
};

/** The constants of one update (bias corrections c1 = 1 - beta1^t, c2 = 1 - beta2^t). */
export interface AdamConstants {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  c1: number;
  c2: number;
  /** Decoupled weight decay (AdamW); 0 = plain Adam. */
  weightDecay: number;
}

function loops(backend: BackendWasm): OptimizerExports {
  const exports = heapModule<OptimizerExports>(backend, "optimizer_loops", "tfjs ops");
  if (exports === null) throw new Error("AdamUpdate needs optimizer_loops.wasm");
  return exports;
}

/** w, g, m, v (same shape) -> [w', m', v']. */
function adamUpdateKernel({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]) {
  const wasm = backend as BackendWasm;
  const { w, g, m, v } = inputs as Record<string, tf.TensorInfo>;
  const k = attrs as unknown as AdamConstants;
  const outputs = [w, m, v].map((t) => wasm.makeOutput(t.shape, "float32"));
  const at = (t: tf.TensorInfo) => wasm.getMemoryOffset(t.dataId);
  loops(wasm).adam_update(
    at(w),
    at(g),
    at(m),
    at(v),
    at(outputs[0]),
    at(outputs[1]),
    at(outputs[2]),
    tf.util.sizeFromShape(w.shape),
    k.learningRate,
    k.beta1,
    1 - k.beta1,
    k.beta2,
    1 - k.beta2,
    k.epsilon,
    k.c1,
    k.c2,
    k.learningRate * k.weightDecay,
  );
  return outputs;
}

/**
 * Whether the fused update can run on the current backend (wasm with the compiled loops).
 *
 * @example
 * ```ts
 * const fused = wasmAdamAvailable(); // false on cpu, webgpu, tensorflow
 * ```
 */
export function wasmAdamAvailable(): boolean {
  if (tf.getBackend() !== "wasm" || tf.getKernel("AdamUpdate", "wasm") === undefined) {
    return false;
  }
  return heapModule(tf.backend() as BackendWasm, "optimizer_loops", "tfjs ops") !== null;
}

/**
 * One Adam update on the wasm kernel: the new parameter value and moments (new tensors; the
 * caller assigns them). Call only where `wasmAdamAvailable()`.
 *
 * @example
 * ```ts
 * const [next, m2, v2] = wasmAdamUpdate(w, g, m, v, constants);
 * ```
 */
export function wasmAdamUpdate(
  w: tf.Tensor,
  g: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  constants: AdamConstants,
): tf.Tensor[] {
  return tf.engine().runKernel(
    "AdamUpdate",
    { w, g, m, v },
    constants as unknown as tf.NamedAttrMap,
  ) as tf.Tensor[];
}

/**
 * Registers AdamUpdate for the "wasm" backend (idempotent).
 *
 * @example
 * ```ts
 * registerWasmAdam();
 * await tf.setBackend("wasm");
 * ```
 */
export function registerWasmAdam(): void {
  if (tf.getKernel("AdamUpdate", "wasm") !== undefined) return;
  tf.registerKernel({
    kernelName: "AdamUpdate",
    backendName: "wasm",
    kernelFunc: adamUpdateKernel as unknown as tf.KernelFunc,
  });
}
