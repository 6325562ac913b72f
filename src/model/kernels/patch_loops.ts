/**
 * The patch-matrix loops of the convolution gradients compiled to WebAssembly SIMD
 * (patch_loops.c, built by build_loops.sh) and run directly on the wasm backend's heap:
 * 2-10x faster than the same loops in JavaScript (im2col.ts), which remain the fallback where
 * the compiled module cannot be loaded.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapModule } from "./heap_module.ts";

/** Loops over byte offsets into the wasm heap; shapes come from the convolution's info. */
export type PatchLoops = {
  /** colT [kH * kW * inC, batch * outH * outW] from x [batch, inH, inW, inC]. */
  im2colTransposed(x: tf.TensorInfo, colT: tf.TensorInfo, conv: tf.backend_util.Conv2DInfo): void;
  /** dx [batch, inH, inW, inC] = col2im(col [batch * outH * outW, kH * kW * inC]). */
  col2im(col: tf.TensorInfo, dx: tf.TensorInfo, conv: tf.backend_util.Conv2DInfo): void;
};

type PatchExports = {
  im2col_transposed(x: number, colT: number, ...dims: number[]): void;
  col2im(col: number, dx: number, ...dims: number[]): void;
};

/**
 * A convolution's geometry as the compiled loops take it: batch, inH, inW, inC, outH, outW, kH,
 * kW, strideH, strideW, dilationH, dilationW, padTop, padLeft.
 *
 * @example
 * ```ts ignore
 * const dims = convDims(conv); // [256, 64, 64, 3, 32, 32, 3, 3, 2, 2, 1, 1, 0, 0]
 * ```
 */
export function convDims(conv: tf.backend_util.Conv2DInfo): number[] {
  return [
    conv.batchSize,
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
 * ```ts ignore
 * const loops = patchLoops(tf.backend() as BackendWasm);
 * loops?.im2colTransposed(x, colT, conv);
 * ```
 */
export function patchLoops(backend: BackendWasm): PatchLoops | null {
  const exports = heapModule<PatchExports>(backend, "patch_loops", "JavaScript loops");
  if (exports === null) return null;
  const offset = (x: tf.TensorInfo) => backend.getMemoryOffset(x.dataId);
  return {
    im2colTransposed: (x, colT, conv) =>
      exports.im2col_transposed(offset(x), offset(colT), ...convDims(conv)),
    col2im: (col, dx, conv) => exports.col2im(offset(col), offset(dx), ...convDims(conv)),
  };
}
