/**
 * The patch-matrix loops of the convolutions compiled to WebAssembly SIMD (patch_loops.c,
 * built by build_loops.sh) and run directly on the wasm backend's heap: 2-10x faster than the
 * same loops in JavaScript (im2col.ts), which remain the fallback of the gradients where the
 * compiled module cannot be loaded.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapModule } from "./heap_module.ts";

/** Images [start, start + count) of the batch (default: all of them). */
export type ImageRange = { start: number; count: number };

/** Loops over byte offsets into the wasm heap; shapes come from the convolution's info. */
export type PatchLoops = {
  /**
   * col [count * outH * outW, kH * kW * inC] from the images `range` of x [batch, inH, inW, inC].
   */
  im2col(
    x: tf.TensorInfo,
    col: tf.TensorInfo,
    conv: tf.backend_util.Conv2DInfo,
    range?: ImageRange,
  ): void;
  /** y [rows, c] += bias [c], then ReLU when `relu`; in place. */
  biasActivation(y: tf.TensorInfo, bias: tf.TensorInfo, relu: boolean): void;
  /** colT [kH * kW * inC, batch * outH * outW] from x [batch, inH, inW, inC]. */
  im2colTransposed(x: tf.TensorInfo, colT: tf.TensorInfo, conv: tf.backend_util.Conv2DInfo): void;
  /**
   * The images `range` of dx [batch, inH, inW, inC] = col2im(col [count * outH * outW,
   * kH * kW * inC]) (overwritten, not added to).
   */
  col2im(
    col: tf.TensorInfo,
    dx: tf.TensorInfo,
    conv: tf.backend_util.Conv2DInfo,
    range?: ImageRange,
  ): void;
};

type PatchExports = {
  im2col(x: number, col: number, ...dims: number[]): void;
  bias_activation(y: number, bias: number, rows: number, c: number, relu: number): void;
  im2col_transposed(x: number, colT: number, ...dims: number[]): void;
  col2im(col: number, dx: number, ...dims: number[]): void;
};

function dims(conv: tf.backend_util.Conv2DInfo, images = conv.batchSize): number[] {
  return [
    images,
    conv.inHeight,
    conv.inWidth,
    conv.inChannels,
    conv.outHeight,
    conv.outWidth,
    conv.filterHeight,
    conv.filterWidth,
    conv.strideHeight,
    conv.strideWidth,
    conv.dilationHeight,
    conv.dilationWidth,
    conv.padInfo.top,
    conv.padInfo.left,
  ];
}

/**
 * The compiled loops bound to this backend's heap, or null (with one warning naming the cause)
 * when they cannot be loaded; callers then use the JavaScript loops of im2col.ts.
 *
 * @example
 * ```ts
 * const loops = patchLoops(tf.backend() as BackendWasm);
 * loops?.im2colTransposed(x, colT, conv);
 * ```
 */
export function patchLoops(backend: BackendWasm): PatchLoops | null {
  const exports = heapModule<PatchExports>(backend, "patch_loops", "JavaScript loops");
  if (exports === null) return null;
  const offset = (x: tf.TensorInfo) => backend.getMemoryOffset(x.dataId);
  // byte offset of image `start` of an [batch, inH, inW, inC] tensor
  const image = (x: tf.TensorInfo, conv: tf.backend_util.Conv2DInfo, start = 0) =>
    offset(x) + 4 * start * conv.inHeight * conv.inWidth * conv.inChannels;
  return {
    im2col: (x, col, conv, range) =>
      exports.im2col(image(x, conv, range?.start), offset(col), ...dims(conv, range?.count)),
    biasActivation: (y, bias, relu) => {
      const c = bias.shape.reduce((a, b) => a * b, 1);
      const rows = y.shape.reduce((a, b) => a * b, 1) / c;
      exports.bias_activation(offset(y), offset(bias), rows, c, relu ? 1 : 0);
    },
    im2colTransposed: (x, colT, conv) =>
      exports.im2col_transposed(offset(x), offset(colT), ...dims(conv)),
    col2im: (col, dx, conv, range) =>
      exports.col2im(offset(col), image(dx, conv, range?.start), ...dims(conv, range?.count)),
  };
}
