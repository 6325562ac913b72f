/**
 * Identity for the wasm backend without a copy.
 *
 * tfjs's engine clones (Identity) every tensor a gradient needs while recording a training step
 * (about 650 per step of the benchmark model), and tfjs-backend-wasm 4.22.0 implements Identity
 * as a full copy. tfjs-backend-cpu shares the data instead (a reference count on the same
 * buffer); wasm tensors are never written in place, so sharing is safe there too.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { originalWasmKernel, replaceWasmKernel } from "./_wasm_ops.ts";

function identity(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { inputs, backend } = args;
  const { x } = inputs as { x: tf.TensorInfo };
  // string tensors live outside the wasm heap: keep tfjs's own handling
  if (x.dtype === "string") return originalWasmKernel("Identity")(args) as tf.TensorInfo;
  (backend as BackendWasm).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/**
 * Replaces the wasm backend's Identity with a shared-data one (idempotent). Call before
 * `tf.setBackend("wasm")`.
 *
 * @example
 * ```ts ignore
 * registerWasmIdentity();
 * await tf.setBackend("wasm");
 * const copy = tf.clone(x); // same wasm memory, one more reference
 * ```
 */
export function registerWasmIdentity(): void {
  replaceWasmKernel("Identity", identity);
}
