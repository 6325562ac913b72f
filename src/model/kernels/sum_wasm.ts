/**
 * Sum over the leading axes on the wasm backend as one pass over memory.
 *
 * Bias gradients reduce [batch, h, w, channels] over everything but channels. tfjs-backend-wasm
 * 4.22.0 first transposes the reduced axes innermost (a full copy in a slow generic loop) and
 * then sums; here rows are added into the output directly. Other reductions go to tfjs's kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapF32, originalWasmKernel, replaceWasmKernel } from "./_wasm_ops.ts";

/** out[c] = sum over r of x[r * width + c] (x: [rows, width]). */
function sumRows(x: Float32Array, rows: number, width: number, out: Float32Array): void {
  out.fill(0);
  for (let r = 0, offset = 0; r < rows; r++, offset += width) {
    for (let c = 0; c < width; c++) out[c] += x[offset + c];
  }
}

function sum(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs as { x: tf.TensorInfo };
  const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
  const leading = axes.length > 0 && axes.length < x.shape.length &&
    axes.every((a, i) => a === i);
  if (x.dtype !== "float32" || !leading) return originalWasmKernel("Sum")(args) as tf.TensorInfo;
  const wasm = backend as BackendWasm;
  const kept = x.shape.slice(axes.length);
  const width = kept.reduce((a, b) => a * b, 1);
  const rows = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1);
  const outShape = keepDims ? [...axes.map(() => 1), ...kept] : kept;
  const out = wasm.makeOutput(outShape, "float32");
  sumRows(heapF32(wasm, x), rows, width, heapF32(wasm, out));
  return out;
}

/**
 * Replaces the wasm backend's Sum with one that reduces leading axes in a single pass
 * (idempotent). Call before `tf.setBackend("wasm")`.
 *
 * @example
 * ```ts ignore
 * registerWasmSum();
 * await tf.setBackend("wasm");
 * tf.sum(dy, [0, 1, 2]); // [channels], e.g. a bias gradient
 * ```
 */
export function registerWasmSum(): void {
  replaceWasmKernel("Sum", sum);
}
