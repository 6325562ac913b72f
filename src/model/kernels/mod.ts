/**
 * Kernels registered for TensorFlow.js backends that lack them or run them slowly, and the
 * loader of the threaded wasm build.
 *
 * @module
 */
import { registerWasmBatchMatMul } from "./batch_mat_mul_wasm.ts";
import { registerWasmBatchNorm } from "./batch_norm_wasm.ts";
import { registerWasmConv2D } from "./conv2d_wasm.ts";
import { registerWasmIdentity } from "./identity_wasm.ts";
import { registerWasmLstm } from "./lstm_wasm.ts";
import { registerWasmMaxPoolGrad } from "./max_pool_grad_wasm.ts";
import { registerWasmReverse } from "./reverse_wasm.ts";
import { registerWasmSum } from "./sum_wasm.ts";
export { initThreadedWasm } from "./wasm_threads.ts";
export { wasmLstmAvailable, wasmLstmRecurrence } from "./lstm_wasm.ts";
export { wasmBatchNormAvailable, wasmBatchNormTrain } from "./batch_norm_wasm.ts";

/**
 * Registers every training kernel the wasm backend needs (idempotent): convolutions and matrix
 * products on oneDNN where it loads (onednn.ts, onednn_conv.ts), Conv2DBackpropFilter
 * (absent in tfjs 4.22.0), a faster Conv2DBackpropInput, a BatchMatMul whose transposed
 * cases stay on XNNPACK, an Identity that shares data instead of copying it, a Sum that
 * reduces leading axes (bias gradients) in one pass, a Reverse of one axis (sequences, flips)
 * as run copies, the gradient of the global max pool in one scan, the LSTM recurrence with its
 * gradient as one call per sequence and batch norm in training (with the ReLU after it) as one
 * call each way. Call before `tf.setBackend("wasm")`; `selectBackend` does it for you.
 *
 * @example
 * ```ts ignore
 * registerWasmTrainingKernels();
 * await tf.setBackend("wasm");
 * ```
 */
export function registerWasmTrainingKernels(): void {
  registerWasmConv2D();
  registerWasmBatchMatMul();
  registerWasmIdentity();
  registerWasmSum();
  registerWasmReverse();
  registerWasmMaxPoolGrad();
  registerWasmLstm();
  registerWasmBatchNorm();
}
export { oneDnnLibrary, setOneDnnThreads, useOneDnn } from "./onednn.ts";
export { oneDnnConvolutions } from "./onednn_conv.ts";
export { compiledKernels, useCompiledKernels } from "./compiled_kernels.ts";
export { nativeGemmSource } from "./native_gemm.ts";
