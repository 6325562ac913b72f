/**
 * 2-D convolution kernels of the wasm backend (NHWC only, the tfjs default). Where oneDNN 2.x
 * loads, all four run as its primitives (onednn_conv.ts); else Conv2D and both gradients run on
 * the project's compiled kernels where they build (compiled_conv.ts); otherwise:
 * - Conv2D and FusedConv2D: tfjs's own XNNPACK kernels (FusedConv2D also on the compiled path,
 *   and for fused activations other than linear and ReLU);
 * - Conv2DBackpropFilter (absent from tfjs-backend-wasm 4.22.0): dW = im2col(x)^T @ dy;
 * - Conv2DBackpropInput (present, but a scalar loop ~10x slower than the forward conv):
 *   dx = col2im(dy @ W^T),
 * both products on XNNPACK, the patch-matrix loops compiled to WebAssembly SIMD on the
 * backend's heap (patch_loops.ts), or in JavaScript where that module cannot be loaded.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { col2im, im2colTransposed } from "./im2col.ts";
import { patchLoops } from "./patch_loops.ts";
import {
  disposeAll,
  heapF32,
  matMul,
  originalWasmKernel,
  replaceWasmKernel,
  viewAs,
} from "./_wasm_ops.ts";
import {
  oneDnnConv2d,
  oneDnnConv2dBackpropFilter,
  oneDnnConv2dBackpropInput,
} from "./onednn_conv.ts";
import {
  compiledConv2d,
  compiledConv2dBackpropFilter,
  compiledConv2dBackpropInput,
} from "./compiled_conv.ts";

type Shape4 = [number, number, number, number];

/** Attributes shared by tfjs's convolution kernels (only the forward ones have dilations). */
type ConvAttrs = {
  strides: [number, number] | number;
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dilations?: [number, number] | number;
  dimRoundingMode?: "floor" | "round" | "ceil";
};

function convInfo(
  kernel: string,
  xShape: Shape4,
  filterShape: Shape4,
  attrs: ConvAttrs,
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
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    "channelsLast",
  );
}

/** colT [kH * kW * inC, batch * outH * outW]: the transposed patch matrix of x. */
function patchMatrixTransposed(
  wasm: BackendWasm,
  x: tf.TensorInfo,
  conv: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const rows = conv.batchSize * conv.outHeight * conv.outWidth;
  const patch = conv.filterHeight * conv.filterWidth * conv.inChannels;
  const colT = wasm.makeOutput([patch, rows], "float32");
  const loops = patchLoops(wasm);
  if (loops) loops.im2colTransposed(x, colT, conv);
  else im2colTransposed(heapF32(wasm, x), conv, heapF32(wasm, colT));
  return colT;
}

/** The forward convolution's info from its inputs and attributes. */
function forwardInfo(x: tf.TensorInfo, filter: tf.TensorInfo, attrs: ConvAttrs) {
  return convInfo("Conv2D", x.shape as Shape4, filter.shape as Shape4, attrs);
}

/** Conv2D: x [batch, inH, inW, inC], filter [kH, kW, inC, outC] -> y [batch, outH, outW, outC]. */
function conv2d(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { x, filter } = args.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  const attrs = args.attrs as unknown as ConvAttrs;
  const conv = forwardInfo(x, filter, attrs);
  const wasm = args.backend as BackendWasm;
  const y = oneDnnConv2d(wasm, x, filter, conv, undefined, false) ??
    compiledConv2d(wasm, x, filter, conv);
  return y ?? originalWasmKernel("Conv2D")(args) as tf.TensorInfo;
}

/**
 * FusedConv2D with a bias [outC] and a linear or ReLU activation on oneDNN; every other
 * combination goes to tfjs's XNNPACK kernel.
 */
function fusedConv2d(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const { x, filter, bias } = args.inputs as {
    x: tf.TensorInfo;
    filter: tf.TensorInfo;
    bias?: tf.TensorInfo;
  };
  const attrs = args.attrs as unknown as ConvAttrs & { activation: string };
  const supported = bias !== undefined &&
    (attrs.activation === "linear" || attrs.activation === "relu");
  const relu = attrs.activation === "relu";
  const wasm = args.backend as BackendWasm;
  const y = supported
    ? oneDnnConv2d(wasm, x, filter, forwardInfo(x, filter, attrs), bias, relu)
    : null;
  return y ?? originalWasmKernel("FusedConv2D")(args) as tf.TensorInfo;
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
    attrs as unknown as ConvAttrs,
  );
  const primitive = oneDnnConv2dBackpropFilter(wasm, x, dy, conv) ??
    compiledConv2dBackpropFilter(wasm, x, dy, conv);
  if (primitive !== null) return primitive;
  const rows = conv.batchSize * conv.outHeight * conv.outWidth;
  const dyRows = viewAs(dy, [rows, conv.outChannels]);
  const colT = patchMatrixTransposed(wasm, x, conv);
  const dw = matMul(wasm, colT, dyRows); // [patch, outC]
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
    attrs as unknown as ConvAttrs,
  );
  const primitive = oneDnnConv2dBackpropInput(wasm, dy, filter, conv) ??
    compiledConv2dBackpropInput(wasm, dy, filter, conv);
  if (primitive !== null) return primitive;
  const rows = conv.batchSize * conv.outHeight * conv.outWidth;
  const patch = conv.filterHeight * conv.filterWidth * conv.inChannels;
  const filterRows = viewAs(filter, [patch, conv.outChannels]);
  const dcol = matMul(wasm, viewAs(dy, [rows, conv.outChannels]), filterRows, false, true); // [rows, patch]
  const dx = wasm.makeOutput(inputShape, "float32");
  const loops = patchLoops(wasm);
  if (loops) {
    loops.col2im(dcol, dx, conv);
  } else {
    const dxData = heapF32(wasm, dx);
    dxData.fill(0);
    col2im(heapF32(wasm, dcol), conv, dxData);
  }
  disposeAll(wasm, [dcol]);
  return dx;
}

/**
 * Registers the convolution kernels for the "wasm" backend: Conv2D and FusedConv2D (oneDNN
 * where it loads, tfjs's own otherwise), Conv2DBackpropFilter (absent in tfjs) and
 * Conv2DBackpropInput (replacing tfjs's slow one). Idempotent; call before
 * `tf.setBackend("wasm")`.
 *
 * @example
 * ```ts ignore
 * registerWasmConv2D();
 * await tf.setBackend("wasm");
 * const dw = tf.grad((w) => tf.conv2d(x, w as tf.Tensor4D, 1, "same").sum())(w);
 * ```
 */
export function registerWasmConv2D(): void {
  replaceWasmKernel("Conv2D", conv2d);
  replaceWasmKernel("FusedConv2D", fusedConv2d);
  replaceWasmKernel("Conv2DBackpropFilter", conv2dBackpropFilter);
  replaceWasmKernel("Conv2DBackpropInput", conv2dBackpropInput);
}
