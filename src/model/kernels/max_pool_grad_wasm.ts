/**
 * The gradient of a global max pool (one window covering the whole map) on the wasm backend
 * as one pass over memory.
 *
 * The network pools each slice's last feature maps [n, h, w, c] with a max pool whose window is
 * the whole map. tfjs-backend-wasm 4.22.0's MaxPoolGrad serves any window and stride and takes
 * ~13 ms for [256, 4, 4, 128]; for the global window the gradient is dy routed to the first
 * position of each channel's maximum (as tfjs-backend-cpu does), found in one scan. Other
 * windows go to tfjs's kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapF32, originalWasmKernel, replaceWasmKernel } from "./_wasm_ops.ts";

/**
 * dx [n, positions, channels] = 0 except dy [n, channels] at the first maximum of x over the
 * positions, per image and channel.
 *
 * @example
 * ```ts ignore
 * const dx = new Float32Array(4);
 * // one image, two positions, two channels: maxima at position 1 (channel 0) and 0 (channel 1)
 * globalMaxPoolGrad(Float32Array.of(1, 5, 3, 2), Float32Array.of(10, 20), 1, 2, 2, dx);
 * // dx = [0, 20, 10, 0]
 * ```
 */
export function globalMaxPoolGrad(
  x: Float32Array,
  dy: Float32Array,
  images: number,
  positions: number,
  channels: number,
  dx: Float32Array,
): void {
  dx.fill(0);
  const best = new Int32Array(channels);
  for (let n = 0; n < images; n++) {
    const base = n * positions * channels;
    best.fill(base);
    for (let p = 1; p < positions; p++) {
      const row = base + p * channels;
      for (let c = 0; c < channels; c++) {
        if (x[row + c] > x[best[c] + c]) best[c] = row;
      }
    }
    for (let c = 0; c < channels; c++) dx[best[c] + c] = dy[n * channels + c];
  }
}

function maxPoolGrad(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, pad } = attrs as unknown as {
    filterSize: number | [number, number];
    pad: unknown;
  };
  const [n, h, w, c] = input.shape;
  const pair = (v: number | [number, number]) => (typeof v === "number" ? [v, v] : v);
  const [fh, fw] = pair(filterSize);
  const global = fh === h && fw === w && pad === "valid" && input.dtype === "float32" &&
    dy.shape[1] === 1 && dy.shape[2] === 1;
  if (!global) return originalWasmKernel("MaxPoolGrad")(args) as tf.TensorInfo;
  const wasm = backend as BackendWasm;
  const dx = wasm.makeOutput(input.shape, "float32");
  globalMaxPoolGrad(heapF32(wasm, input), heapF32(wasm, dy), n, h * w, c, heapF32(wasm, dx));
  return dx;
}

/**
 * Replaces the wasm backend's MaxPoolGrad with one that takes the global window in one scan
 * (idempotent). Call before `tf.setBackend("wasm")`.
 *
 * @example
 * ```ts ignore
 * registerWasmMaxPoolGrad();
 * await tf.setBackend("wasm");
 * ```
 */
export function registerWasmMaxPoolGrad(): void {
  replaceWasmKernel("MaxPoolGrad", maxPoolGrad);
}
