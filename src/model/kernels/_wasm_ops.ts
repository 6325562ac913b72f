/**
 * Backend-level operations on the wasm backend for use inside kernels: they take and return
 * TensorInfo (no tape, no engine bookkeeping) and run the backend's own kernels.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

/**
 * The wasm backend's own kernel function for `name` (throws if tfjs-backend-wasm lacks it).
 *
 * @example
 * ```ts
 * const transpose = wasmKernel("Transpose");
 * ```
 */
export function wasmKernel(name: string): tf.KernelFunc {
  const config = tf.getKernel(name, "wasm");
  if (config === undefined) {
    throw new Error(
      `kernel ${name} is not registered for wasm: import @tensorflow/tfjs-backend-wasm`,
    );
  }
  return config.kernelFunc;
}

/**
 * The same data seen with another shape of equal size (free: no copy, no new handle).
 *
 * @example
 * ```ts
 * const rows = viewAs(dy, [batch * outH * outW, outC]); // dy [batch, outH, outW, outC]
 * ```
 */
export function viewAs(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return { dataId: x.dataId, shape, dtype: x.dtype };
}

/**
 * op(a) @ op(b) for rank-2 operands, op(x) = x^T when asked, by the BatchMatMul registered for
 * wasm (batch_mat_mul_wasm.ts: the native library where it loads, else XNNPACK).
 *
 * @example
 * ```ts
 * const dw = matMul(backend, colT, dyRows); // [patch, outC]
 * const dcol = matMul(backend, dyRows, filterRows, false, true); // dy @ W^T: [rows, patch]
 * ```
 */
export function matMul(
  backend: BackendWasm,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA = false,
  transposeB = false,
): tf.TensorInfo {
  const m = transposeA ? a.shape[1] : a.shape[0];
  const n = transposeB ? b.shape[0] : b.shape[1];
  const out = wasmKernel("BatchMatMul")({
    inputs: { a: viewAs(a, [1, ...a.shape]), b: viewAs(b, [1, ...b.shape]) },
    backend,
    attrs: { transposeA, transposeB },
  }) as tf.TensorInfo;
  return viewAs(out, [m, n]);
}

/**
 * Frees backend-level intermediates.
 *
 * @example
 * ```ts
 * disposeAll(backend, [colT, filterT]);
 * ```
 */
export function disposeAll(backend: BackendWasm, infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/**
 * Float32 view of a tensor's data on the wasm heap; take views after the last allocation (a
 * growing heap detaches earlier views).
 *
 * @example
 * ```ts
 * const values = heapF32(backend, x);
 * ```
 */
export function heapF32(backend: BackendWasm, x: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(x) as Float32Array;
}

let originalBatchMatMul: tf.KernelFunc | undefined;

/**
 * tfjs-backend-wasm's BatchMatMul, even after it is replaced in the registry.
 *
 * @example
 * ```ts
 * const original = batchMatMulKernel();
 * ```
 */
export function batchMatMulKernel(): tf.KernelFunc {
  originalBatchMatMul ??= wasmKernel("BatchMatMul");
  return originalBatchMatMul;
}
