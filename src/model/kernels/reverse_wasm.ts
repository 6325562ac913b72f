/**
 * Reverse along one axis on the wasm backend as copies of contiguous runs.
 *
 * tfjs-backend-wasm 4.22.0 reverses element by element with index arithmetic (~60 ns per
 * element). Two uses matter here: a bidirectional LSTM reverses its [slices, batch, features]
 * sequences along the slice axis (a copy of long blocks in reverse order), and the horizontal
 * flip of training augmentation reverses [slices, h, w, 3] along w (runs of 3 values). Reversals
 * over several axes go to tfjs's kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapF32, originalWasmKernel, replaceWasmKernel } from "./_wasm_ops.ts";

/** Runs at least this long are copied with `set`, shorter ones value by value. */
const BLOCK_COPY_MIN = 32;

/**
 * out = x viewed as [outer, count, inner] with its middle axis reversed.
 *
 * @example
 * ```ts ignore
 * const out = new Float32Array(4);
 * reverseAxis(Float32Array.of(1, 2, 3, 4), 1, 2, 2, out); // out = [3, 4, 1, 2]
 * reverseAxis(Float32Array.of(1, 2, 3, 4), 2, 2, 1, out); // out = [2, 1, 4, 3]
 * ```
 */
export function reverseAxis(
  x: Float32Array,
  outer: number,
  count: number,
  inner: number,
  out: Float32Array,
): void {
  for (let o = 0; o < outer; o++) {
    const base = o * count * inner;
    for (let b = 0; b < count; b++) {
      const from = base + (count - 1 - b) * inner;
      const to = base + b * inner;
      if (inner >= BLOCK_COPY_MIN) {
        out.set(x.subarray(from, from + inner), to);
      } else {
        for (let k = 0; k < inner; k++) out[to + k] = x[from + k];
      }
    }
  }
}

function reverse(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs as { x: tf.TensorInfo };
  const dims = tf.util.parseAxisParam(
    (attrs as unknown as { dims: number | number[] }).dims,
    x.shape,
  );
  if (x.dtype !== "float32" || dims.length !== 1) {
    return originalWasmKernel("Reverse")(args) as tf.TensorInfo;
  }
  const wasm = backend as BackendWasm;
  const out = wasm.makeOutput(x.shape, "float32");
  const [axis] = dims;
  reverseAxis(
    heapF32(wasm, x),
    tf.util.sizeFromShape(x.shape.slice(0, axis)),
    x.shape[axis],
    tf.util.sizeFromShape(x.shape.slice(axis + 1)),
    heapF32(wasm, out),
  );
  return out;
}

/**
 * Replaces the wasm backend's Reverse with one that copies runs when reversing one axis
 * (idempotent). Call before `tf.setBackend("wasm")`.
 *
 * @example
 * ```ts ignore
 * registerWasmReverse();
 * await tf.setBackend("wasm");
 * tf.reverse(sequence, 0); // [slices, batch, features], slices reversed
 * ```
 */
export function registerWasmReverse(): void {
  replaceWasmKernel("Reverse", reverse);
}
