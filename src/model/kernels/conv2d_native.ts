/**
 * 2-D convolution (NHWC) and both of its gradients as products over the patch matrix, with the
 * products on the native library (native_gemm.ts) and the patch loops compiled to WebAssembly
 * (patch_loops.ts), both working in place on the wasm backend's heap:
 * - y = im2col(x) @ W (+ bias, ReLU);
 * - dW = im2col(x)^T @ dy, accumulated over chunks;
 * - dx = col2im(dy @ W^T).
 * The batch is processed a few images at a time, so one chunk of patches (~4 MiB) stays in
 * cache between the loop that writes it and the product that reads it; a whole-batch patch
 * matrix would be written to and read back from memory (and can reach hundreds of MB).
 * Each function returns null where the native library or the compiled loops are not loaded;
 * conv2d_wasm.ts then takes tfjs's or its own XNNPACK path.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { type ImageRange, type PatchLoops, patchLoops } from "./patch_loops.ts";
import { disposeAll } from "./_wasm_ops.ts";
import { type NativeGemm, nativeGemm } from "./native_gemm.ts";

/** Patch values per chunk: 1 Mi floats = 4 MiB (measured best of 256 Ki to whole batches). */
const CHUNK_FLOATS = 1 << 20;

type Tools = { native: NativeGemm; loops: PatchLoops };

function tools(wasm: BackendWasm, ...tensors: tf.TensorInfo[]): Tools | null {
  if (tensors.some((t) => t.dtype !== "float32")) return null;
  const native = nativeGemm(wasm);
  const loops = native && patchLoops(wasm);
  return native && loops ? { native, loops } : null;
}

/** Output positions per image and patch length (kH * kW * inC). */
function sizes(conv: tf.backend_util.Conv2DInfo): { positions: number; patch: number } {
  return {
    positions: conv.outHeight * conv.outWidth,
    patch: conv.filterHeight * conv.filterWidth * conv.inChannels,
  };
}

/** The batch cut into runs of images whose patches fill about CHUNK_FLOATS. */
function imageChunks(conv: tf.backend_util.Conv2DInfo): ImageRange[] {
  const { positions, patch } = sizes(conv);
  const per = Math.max(1, Math.floor(CHUNK_FLOATS / Math.max(1, positions * patch)));
  const chunks: ImageRange[] = [];
  for (let start = 0; start < conv.batchSize; start += per) {
    chunks.push({ start, count: Math.min(per, conv.batchSize - start) });
  }
  return chunks;
}

/** A patch buffer for the largest chunk: [count * positions, patch]. */
function chunkBuffer(wasm: BackendWasm, conv: tf.backend_util.Conv2DInfo, chunks: ImageRange[]) {
  const { positions, patch } = sizes(conv);
  return wasm.makeOutput([chunks[0].count * positions, patch], "float32");
}

/**
 * y [batch, outH, outW, outC] = conv(x, filter) (+ bias [outC], then ReLU when `relu`).
 *
 * @example
 * ```ts
 * const conv = tf.backend_util.computeConv2DInfo(x.shape, filter.shape, 2, 1, "same");
 * const y = nativeConv2d(backend, x, filter, conv, bias, true); // null without the library
 * ```
 */
export function nativeConv2d(
  wasm: BackendWasm,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  conv: tf.backend_util.Conv2DInfo,
  bias: tf.TensorInfo | undefined,
  relu: boolean,
): tf.TensorInfo | null {
  const found = tools(wasm, x, filter);
  if (found === null) return null;
  const { native, loops } = found;
  const { positions, patch } = sizes(conv);
  const chunks = imageChunks(conv);
  const col = chunkBuffer(wasm, conv, chunks);
  const y = wasm.makeOutput(conv.outShape, "float32");
  for (const range of chunks) {
    loops.im2col(x, col, conv, range);
    native.gemm(
      range.count * positions,
      conv.outChannels,
      patch,
      { tensor: col, transposed: false },
      { tensor: filter, transposed: false },
      { tensor: y, transposed: false, offset: range.start * positions * conv.outChannels },
    );
  }
  disposeAll(wasm, [col]);
  if (bias !== undefined) loops.biasActivation(y, bias, relu);
  return y;
}

/**
 * dW [kH, kW, inC, outC] = im2col(x)^T @ dy for x [batch, inH, inW, inC] and
 * dy [batch, outH, outW, outC].
 *
 * @example
 * ```ts
 * const dw = nativeConv2dBackpropFilter(backend, x, dy, conv);
 * ```
 */
export function nativeConv2dBackpropFilter(
  wasm: BackendWasm,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  conv: tf.backend_util.Conv2DInfo,
): tf.TensorInfo | null {
  const found = tools(wasm, x, dy);
  if (found === null) return null;
  const { native, loops } = found;
  const { positions, patch } = sizes(conv);
  const chunks = imageChunks(conv);
  const col = chunkBuffer(wasm, conv, chunks);
  const dw = wasm.makeOutput(
    [conv.filterHeight, conv.filterWidth, conv.inChannels, conv.outChannels],
    "float32",
  );
  for (const range of chunks) {
    loops.im2col(x, col, conv, range);
    native.gemm(
      patch,
      conv.outChannels,
      range.count * positions,
      { tensor: col, transposed: true },
      { tensor: dy, transposed: false, offset: range.start * positions * conv.outChannels },
      { tensor: dw, transposed: false },
      range.start > 0,
    );
  }
  disposeAll(wasm, [col]);
  return dw;
}

/**
 * dx [batch, inH, inW, inC] = col2im(dy @ W^T) for dy [batch, outH, outW, outC] and
 * filter [kH, kW, inC, outC].
 *
 * @example
 * ```ts
 * const dx = nativeConv2dBackpropInput(backend, dy, filter, conv);
 * ```
 */
export function nativeConv2dBackpropInput(
  wasm: BackendWasm,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  conv: tf.backend_util.Conv2DInfo,
): tf.TensorInfo | null {
  const found = tools(wasm, dy, filter);
  if (found === null) return null;
  const { native, loops } = found;
  const { positions, patch } = sizes(conv);
  const chunks = imageChunks(conv);
  const dcol = chunkBuffer(wasm, conv, chunks);
  const dx = wasm.makeOutput(conv.inShape, "float32");
  for (const range of chunks) {
    native.gemm(
      range.count * positions,
      patch,
      conv.outChannels,
      { tensor: dy, transposed: false, offset: range.start * positions * conv.outChannels },
      { tensor: filter, transposed: true },
      { tensor: dcol, transposed: false },
    );
    loops.col2im(dcol, dx, conv, range);
  }
  disposeAll(wasm, [dcol]);
  return dx;
}
