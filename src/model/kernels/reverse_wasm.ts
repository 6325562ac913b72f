/**
 * Reverse along the first axis on the wasm backend as block copies.
 *
 * tfjs-backend-wasm 4.22.0 reverses element by element with index arithmetic (~60 ns per
 * element); a bidirectional LSTM reverses its [slices, batch, features] sequences along the
 * slice axis, which is a copy of contiguous blocks in reverse order. Other axes go to tfjs's
 * kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapF32, originalWasmKernel, replaceWasmKernel } from "./_wasm_ops.ts";

/**
 * out = x with its `blocks` blocks of `blockSize` values in reverse order.
 *
 * @example
 * ```ts
 * const out = new Float32Array(4);
 * reverseBlocks(Float32Array.of(1, 2, 3, 4), 2, 2, out); // out = [3, 4, 1, 2]
 * ```
 */
export function reverseBlocks(
  x: Float32Array,
  blocks: number,
  blockSize: number,
  out: Float32Array,
): void {
  for (let b = 0; b < blocks; b++) {
    const from = (blocks - 1 - b) * blockSize;
    out.set(x.subarray(from, from + blockSize), b * blockSize);
  }
}

function reverse(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs as { x: tf.TensorInfo };
  const dims = tf.util.parseAxisParam(
    (attrs as unknown as { dims: number | number[] }).dims,
    x.shape,
  );
  if (x.dtype !== "float32" || dims.length !== 1 || dims[0] !== 0) {
    return originalWasmKernel("Reverse")(args) as tf.TensorInfo;
  }
  const wasm = backend as BackendWasm;
  const out = wasm.makeOutput(x.shape, "float32");
  const blocks = x.shape[0];
  const blockSize = x.shape.slice(1).reduce((a, b) => a * b, 1);
  reverseBlocks(heapF32(wasm, x), blocks, blockSize, heapF32(wasm, out));
  return out;
}

/**
 * Replaces the wasm backend's Reverse with one that copies blocks when reversing the first
 * axis (idempotent). Call before `tf.setBackend("wasm")`.
 *
 * @example
 * ```ts
 * registerWasmReverse();
 * await tf.setBackend("wasm");
 * tf.reverse(sequence, 0); // [slices, batch, features], slices reversed
 * ```
 */
export function registerWasmReverse(): void {
  replaceWasmKernel("Reverse", reverse);
}
