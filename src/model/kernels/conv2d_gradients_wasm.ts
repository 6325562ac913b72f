/**
 * Both gradients of a 2-D convolution on the wasm backend, as matrix products on XNNPACK:
 * - Conv2DBackpropFilter (absent from tfjs-backend-wasm 4.22.0): dW = im2col(x)^T @ dy;
 * - Conv2DBackpropInput (present, but a scalar loop ~10x slower than the forward conv):
 *   dx = col2im(dy @ W^T).
 * The patch-matrix loops run compiled to WebAssembly SIMD on the backend's heap
 * (patch_loops.ts), or in JavaScript where that module cannot be loaded. NHWC only (the tfjs
 * default).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { col2im, im2colTransposed } from "./im2col.ts";
import { patchLoops } from "./patch_loops.ts";
import { disposeAll, heapF32, matMul, transpose2d, viewAs } from "./_wasm_ops.ts";

type Shape4 = [number, number, number, number];

/** Attributes shared by tfjs's Conv2DBackpropFilter and Conv2DBackpropInput. */
type ConvGradientAttrs = {
  strides: [number, number] | number;
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
};

function convInfo(
  kernel: string,
  xShape: Shape4,
  filterShape: Shape4,
  attrs: ConvGradientAttrs,
): tf.backend_util.Conv2DInfo {
  if (attrs.dataFormat !== "NHWC") {
    throw new Error(
      `${kernel} on wasm: dataFormat "${attrs.dataFormat}" is not supported; use NHWC`,
    );
  }
  return tf.backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    "channelsLast",
  );
}

/**
 * Filter gradient: x [batch, inH, inW, inC], dy [batch, outH, outW, outC] ->
 * dW [kH, kW, inC, outC].
 */
function conv2dBackpropFilter(
  { inputs, backend, attrs }: Parameters<tf.KernelFunc>[0],
): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const filterShape = (attrs as unknown as { filterShape: Shape4 }).filterShape;
  const conv = convInfo(
    "Conv2DBackpropFilter",
    x.shape as Shape4,
    filterShape,
    attrs as unknown as ConvGradientAttrs,
  );
  const rows = conv.batchSize * conv.outHeight * conv.outWidth;
  const patch = conv.filterHeight * conv.filterWidth * conv.inChannels;
  const colT = wasm.makeOutput([patch, rows], "float32");
  const loops = patchLoops(wasm);
  if (loops) loops.im2colTransposed(x, colT, conv);
  else im2colTransposed(heapF32(wasm, x), conv, heapF32(wasm, colT));
  const dw = matMul(wasm, colT, viewAs(dy, [rows, conv.outChannels])); // [patch, outC]
  disposeAll(wasm, [colT]);
  return viewAs(dw, filterShape);
}

/**
 * Input gradient: dy [batch, outH, outW, outC], filter [kH, kW, inC, outC] ->
 * dx [batch, inH, inW, inC].
 */
function conv2dBackpropInput(
  { inputs, backend, attrs }: Parameters<tf.KernelFunc>[0],
): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const inputShape = (attrs as unknown as { inputShape: Shape4 }).inputShape;
  const conv = convInfo(
    "Conv2DBackpropInput",
    inputShape,
    filter.shape as Shape4,
    attrs as unknown as ConvGradientAttrs,
  );
  const rows = conv.batchSize * conv.outHeight * conv.outWidth;
  const patch = conv.filterHeight * conv.filterWidth * conv.inChannels;
  const filterT = transpose2d(wasm, viewAs(filter, [patch, conv.outChannels])); // [outC, patch]
  const dcol = matMul(wasm, viewAs(dy, [rows, conv.outChannels]), filterT); // [rows, patch]
  const dx = wasm.makeOutput(inputShape, "float32");
  const loops = patchLoops(wasm);
  if (loops) {
    loops.col2im(dcol, dx, conv);
  } else {
    const dxData = heapF32(wasm, dx);
    dxData.fill(0);
    col2im(heapF32(wasm, dcol), conv, dxData);
  }
  disposeAll(wasm, [filterT, dcol]);
  return dx;
}

/**
 * Registers Conv2DBackpropFilter and Conv2DBackpropInput for the "wasm" backend (replacing
 * tfjs's slow Conv2DBackpropInput). Idempotent; call before `tf.setBackend("wasm")`.
 *
 * @example
 * ```ts
 * registerWasmConv2DGradients();
 * await tf.setBackend("wasm");
 * const dw = tf.grad((w) => tf.conv2d(x, w as tf.Tensor4D, 1, "same").sum())(w);
 * ```
 */
export function registerWasmConv2DGradients(): void {
  const registered = tf.getKernel("Conv2DBackpropFilter", "wasm");
  if (registered?.kernelFunc === conv2dBackpropFilter) return;
  if (registered !== undefined) tf.unregisterKernel("Conv2DBackpropFilter", "wasm");
  tf.registerKernel({
    kernelName: "Conv2DBackpropFilter",
    backendName: "wasm",
    kernelFunc: conv2dBackpropFilter,
  });
  if (tf.getKernel("Conv2DBackpropInput", "wasm") !== undefined) {
    tf.unregisterKernel("Conv2DBackpropInput", "wasm");
  }
  tf.registerKernel({
    kernelName: "Conv2DBackpropInput",
    backendName: "wasm",
    kernelFunc: conv2dBackpropInput,
  });
}
