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
 * ```ts ignore
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
 * ```ts ignore
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
 * ```ts ignore
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
 * ```ts ignore
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
 * ```ts ignore
 * const values = heapF32(backend, x);
 * ```
 */
export function heapF32(backend: BackendWasm, x: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(x) as Float32Array;
}

const originals = new Map<string, tf.KernelFunc>();

/**
 * Puts `kernelFunc` in the registry as the wasm kernel `name`, keeping tfjs's set-up function
 * and remembering tfjs's own kernel for {@link originalWasmKernel} (idempotent). Call before
 * `tf.setBackend("wasm")`.
 *
 * @example
 * ```ts ignore
 * replaceWasmKernel("Sum", sum); // sum falls back to originalWasmKernel("Sum")
 * ```
 */
export function replaceWasmKernel(name: string, kernelFunc: tf.KernelFunc): void {
  const registered = tf.getKernel(name, "wasm");
  if (registered?.kernelFunc === kernelFunc) return;
  if (registered !== undefined) {
    originals.set(name, registered.kernelFunc);
    tf.unregisterKernel(name, "wasm");
  }
  tf.registerKernel({
    kernelName: name,
    backendName: "wasm",
    kernelFunc,
    setupFunc: registered?.setupFunc,
  });
}

/**
 * tfjs-backend-wasm's own kernel `name`, replaced in the registry by {@link replaceWasmKernel}
 * (throws where tfjs had none, e.g. Conv2DBackpropFilter).
 *
 * @example
 * ```ts ignore
 * const original = originalWasmKernel("BatchMatMul");
 * ```
 */
export function originalWasmKernel(name: string): tf.KernelFunc {
  const kernel = originals.get(name);
  if (kernel === undefined) {
    throw new Error(`tfjs-backend-wasm has no kernel ${name} to fall back to`);
  }
  return kernel;
}
