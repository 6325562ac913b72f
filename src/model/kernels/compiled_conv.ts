/**
 * The wasm backend's convolutions on the project's compiled kernels (compiled_kernels.c: the
 * patch matrix is never written out), run on the backend's heap in place. Used where oneDNN's
 * primitives are absent; each returns null where the compiled kernels are off or unavailable,
 * and the caller then uses XNNPACK.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { type CompiledConv, compiledKernels } from "./compiled_kernels.ts";
import { heapPointer } from "./native_gemm.ts";
import { convDims } from "./patch_loops.ts";

function run(
  wasm: BackendWasm,
  kernel: (kernels: NonNullable<ReturnType<typeof compiledKernels>>) => CompiledConv,
  name: string,
  inputs: [tf.TensorInfo, tf.TensorInfo],
  outShape: number[],
  conv: tf.backend_util.Conv2DInfo,
): tf.TensorInfo | null {
  const kernels = compiledKernels();
  if (kernels === null) return null;
  const out = wasm.makeOutput(outShape, "float32");
  // addresses after the last allocation (a grown heap moves)
  const status = kernel(kernels)(
    heapPointer(wasm, inputs[0]),
    heapPointer(wasm, inputs[1]),
    heapPointer(wasm, out),
    new Int32Array(convDims(conv)),
    conv.outChannels,
  );
  if (status !== 0) {
    wasm.disposeData(out.dataId);
    throw new Error(`${kernels.library}: ${name} failed with status ${status} (out of memory)`);
  }
  return out;
}

/**
 * Conv2D: x [batch, inH, inW, inC], filter [kH, kW, inC, outC] -> y [batch, outH, outW, outC].
 *
 * @example
 * ```ts ignore
 * const y = compiledConv2d(wasm, x, filter, conv); // null: use XNNPACK
 * ```
 */
export function compiledConv2d(
  wasm: BackendWasm,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  conv: tf.backend_util.Conv2DInfo,
): tf.TensorInfo | null {
  return run(wasm, (k) => k.conv2d, "conv2d", [x, filter], conv.outShape, conv);
}

/**
 * Filter gradient: x [batch, inH, inW, inC], dy [batch, outH, outW, outC] ->
 * dW [kH, kW, inC, outC].
 *
 * @example
 * ```ts ignore
 * const dw = compiledConv2dBackpropFilter(wasm, x, dy, conv);
 * ```
 */
export function compiledConv2dBackpropFilter(
  wasm: BackendWasm,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  conv: tf.backend_util.Conv2DInfo,
): tf.TensorInfo | null {
  const shape = [conv.filterHeight, conv.filterWidth, conv.inChannels, conv.outChannels];
  return run(wasm, (k) => k.conv2dFilterGrad, "conv2d_filter_grad", [x, dy], shape, conv);
}

/**
 * Input gradient: dy [batch, outH, outW, outC], filter [kH, kW, inC, outC] ->
 * dx [batch, inH, inW, inC].
 *
 * @example
 * ```ts ignore
 * const dx = compiledConv2dBackpropInput(wasm, dy, filter, conv);
 * ```
 */
export function compiledConv2dBackpropInput(
  wasm: BackendWasm,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  conv: tf.backend_util.Conv2DInfo,
): tf.TensorInfo | null {
  const shape = [conv.batchSize, conv.inHeight, conv.inWidth, conv.inChannels];
  return run(wasm, (k) => k.conv2dInputGrad, "conv2d_input_grad", [dy, filter], shape, conv);
}
