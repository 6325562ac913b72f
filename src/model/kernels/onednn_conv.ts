/**
 * 2-D convolutions (NHWC, filter [kH, kW, inC, outC]) and both of their gradients as oneDNN
 * primitives, called through Deno's FFI on the wasm backend's heap in place: the same
 * JIT-compiled direct convolutions PyTorch's CPU path uses (on AVX-512 "brgconv"), with the
 * filter reordered into the blocked layout each primitive asks for (small: at most a few
 * hundred KB) and every primitive built once per shape and kept.
 *
 * oneDNN 2.x only (its descriptor API; 3.x replaced it); elsewhere, or with dilations, these
 * functions return null and the caller uses its other path.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { oneDnnLibrary } from "./onednn.ts";
import { heapPointer } from "./native_gemm.ts";

// Values from oneDNN 2.x's dnnl_types.h (checked against 2.6.3).
const DNNL = {
  success: 0,
  cpu: 1,
  streamDefault: 1,
  f32: 3,
  tagAny: 1,
  tagA: 2,
  tagNhwc: 20,
  tagHwio: 30,
  forwardTraining: 64,
  forwardInference: 96,
  convolutionDirect: 1,
  eltwiseRelu: 31,
  querySrc: 129,
  queryDiffSrc: 130,
  queryWeights: 131,
  queryDiffWeights: 132,
  argSrc: 1,
  argDst: 17,
  argWeights: 33,
  argBias: 41,
  argDiffSrc: 129,
  argDiffDst: 145,
  argDiffWeights: 161,
} as const;

/** Bytes reserved for a dnnl_memory_desc_t (696 in 2.6) and a dnnl_convolution_desc_t (5976). */
const MEMORY_DESC_BYTES = 2048;
const CONV_DESC_BYTES = 16384;

const P = "pointer" as const;
const B = "buffer" as const;
const SYMBOLS = {
  dnnl_version: { parameters: [], result: P },
  dnnl_engine_create: { parameters: [B, "i32", "usize"], result: "i32" },
  dnnl_stream_create: { parameters: [B, P, "u32"], result: "i32" },
  dnnl_memory_desc_init_by_tag: { parameters: [B, "i32", B, "i32", "i32"], result: "i32" },
  dnnl_convolution_forward_desc_init: {
    parameters: [B, "i32", "i32", B, B, P, B, B, B, B],
    result: "i32",
  },
  dnnl_convolution_backward_data_desc_init: {
    parameters: [B, "i32", B, B, B, B, B, B],
    result: "i32",
  },
  dnnl_convolution_backward_weights_desc_init: {
    parameters: [B, "i32", B, B, P, B, B, B, B],
    result: "i32",
  },
  dnnl_primitive_attr_create: { parameters: [B], result: "i32" },
  dnnl_post_ops_create: { parameters: [B], result: "i32" },
  dnnl_post_ops_append_eltwise: { parameters: [P, "f32", "i32", "f32", "f32"], result: "i32" },
  dnnl_primitive_attr_set_post_ops: { parameters: [P, P], result: "i32" },
  dnnl_primitive_desc_create: { parameters: [B, B, P, P, P], result: "i32" },
  dnnl_reorder_primitive_desc_create: { parameters: [B, P, P, P, P, P], result: "i32" },
  dnnl_primitive_desc_query_md: { parameters: [P, "i32", "i32"], result: P },
  dnnl_primitive_create: { parameters: [B, P], result: "i32" },
  dnnl_memory_desc_equal: { parameters: [P, P], result: "i32" },
  dnnl_memory_desc_get_size: { parameters: [P], result: "usize" },
  dnnl_memory_create: { parameters: [B, P, P, P], result: "i32" },
  dnnl_memory_set_data_handle: { parameters: [P, P], result: "i32" },
  dnnl_primitive_execute: { parameters: [P, P, "i32", B], result: "i32" },
  dnnl_stream_wait: { parameters: [P], result: "i32" },
  dnnl_primitive_destroy: { parameters: [P], result: "i32" },
  dnnl_memory_destroy: { parameters: [P], result: "i32" },
} as const;

type Symbols = Deno.DynamicLibrary<typeof SYMBOLS>["symbols"];
type Runtime = { dnnl: Symbols; engine: Deno.PointerValue; stream: Deno.PointerValue };

/** A memory object (created without data) and the argument it is passed as. */
type Slot = { arg: number; memory: Deno.PointerValue };

/** One primitive ready to run: its arguments, and the filter reorder it needs first, if any. */
type Plan = {
  primitive: Deno.PointerValue;
  slots: Slot[];
  /** The filter between tfjs's hwio and the primitive's layout (in or out), via `scratch`. */
  reorder?: { primitive: Deno.PointerValue; hwio: Slot; blocked: Slot; scratch: Float32Array };
};

let runtime: Runtime | null | undefined;
const plans = new Map<string, Plan>();
/** Plans kept at most (one per shape and kind; inference over many batch sizes makes more). */
const MAX_PLANS = 64;

function check(status: number, what: string): void {
  if (status !== DNNL.success) throw new Error(`oneDNN ${what} failed with status ${status}`);
}

/** Reads the dnnl_*_t handle an out-parameter received. */
function handle(out: BigUint64Array): Deno.PointerValue {
  return Deno.UnsafePointer.create(out[0]);
}

function start(): Runtime | null {
  const file = oneDnnLibrary();
  if (file === null) return null;
  let dnnl: Symbols;
  try {
    dnnl = Deno.dlopen(file, SYMBOLS).symbols;
  } catch (error) {
    console.log(
      `oneDNN convolution primitives unavailable (${file}: ${
        (error instanceof Error ? error.message : String(error)).split("\n")[0]
      }); convolutions use matrix products`,
    );
    return null;
  }
  const version = new Deno.UnsafePointerView(dnnl.dnnl_version()!);
  const major = version.getInt32(0);
  if (major !== 2) {
    const release = `${major}.${version.getInt32(4)}.${version.getInt32(8)}`;
    console.log(
      `oneDNN ${release}: its convolution primitives are used with 2.x only; ` +
        "convolutions stay on XNNPACK (matrix products on oneDNN)",
    );
    return null;
  }
  const out = new BigUint64Array(1);
  check(dnnl.dnnl_engine_create(out, DNNL.cpu, 0n), "engine_create");
  const engine = handle(out);
  check(dnnl.dnnl_stream_create(out, engine, DNNL.streamDefault), "stream_create");
  return { dnnl, engine, stream: handle(out) };
}

function memoryDesc(rt: Runtime, dims: number[], tag: number): Uint8Array<ArrayBuffer> {
  const desc = new Uint8Array(MEMORY_DESC_BYTES);
  const status = rt.dnnl.dnnl_memory_desc_init_by_tag(
    desc,
    dims.length,
    BigInt64Array.from(dims.map(BigInt)),
    DNNL.f32,
    tag,
  );
  check(status, "memory_desc_init_by_tag");
  return desc;
}

function dims2(a: number, b: number): BigInt64Array<ArrayBuffer> {
  return BigInt64Array.of(BigInt(a), BigInt(b));
}

function slot(rt: Runtime, arg: number, desc: Deno.PointerValue): Slot {
  const out = new BigUint64Array(1);
  check(rt.dnnl.dnnl_memory_create(out, desc, rt.engine, null), "memory_create");
  return { arg, memory: handle(out) };
}

function primitiveDesc(
  rt: Runtime,
  opDesc: Uint8Array<ArrayBuffer>,
  attr: Deno.PointerValue,
  hint: Deno.PointerValue,
): Deno.PointerValue {
  const out = new BigUint64Array(1);
  check(
    rt.dnnl.dnnl_primitive_desc_create(out, opDesc, attr, rt.engine, hint),
    "primitive_desc_create",
  );
  return handle(out);
}

function primitive(rt: Runtime, pd: Deno.PointerValue): Deno.PointerValue {
  const out = new BigUint64Array(1);
  check(rt.dnnl.dnnl_primitive_create(out, pd), "primitive_create");
  return handle(out);
}

/** A reorder of the filter between hwio and the layout `blocked` (direction by `toBlocked`). */
function filterReorder(
  rt: Runtime,
  hwio: Uint8Array<ArrayBuffer>,
  blocked: Deno.PointerValue,
  toBlocked: boolean,
): Plan["reorder"] {
  const hwioPointer = Deno.UnsafePointer.of(hwio);
  if (rt.dnnl.dnnl_memory_desc_equal(hwioPointer, blocked) === 1) return undefined;
  const [from, to] = toBlocked ? [hwioPointer, blocked] : [blocked, hwioPointer];
  const out = new BigUint64Array(1);
  check(
    rt.dnnl.dnnl_reorder_primitive_desc_create(out, from, rt.engine, to, rt.engine, null),
    "reorder_primitive_desc_create",
  );
  const bytes = Number(rt.dnnl.dnnl_memory_desc_get_size(blocked));
  return {
    primitive: primitive(rt, handle(out)),
    hwio: slot(rt, toBlocked ? DNNL.argSrc : DNNL.argDst, hwioPointer),
    blocked: slot(rt, toBlocked ? DNNL.argDst : DNNL.argSrc, blocked),
    scratch: new Float32Array(Math.ceil(bytes / 4)),
  };
}

/** oneDNN's logical dims: src/dst [N, C, H, W], weights [O, I, kH, kW]. */
function descriptors(rt: Runtime, conv: tf.backend_util.Conv2DInfo) {
  const { batchSize: n, inChannels: c, outChannels: o } = conv;
  const weights = [o, c, conv.filterHeight, conv.filterWidth];
  return {
    src: memoryDesc(rt, [n, c, conv.inHeight, conv.inWidth], DNNL.tagNhwc),
    dst: memoryDesc(rt, [n, o, conv.outHeight, conv.outWidth], DNNL.tagNhwc),
    hwio: memoryDesc(rt, weights, DNNL.tagHwio),
    anyWeights: memoryDesc(rt, weights, DNNL.tagAny),
    bias: memoryDesc(rt, [o], DNNL.tagA),
    strides: dims2(conv.strideHeight, conv.strideWidth),
    padLeft: dims2(conv.padInfo.top, conv.padInfo.left),
    padRight: dims2(conv.padInfo.bottom, conv.padInfo.right),
  };
}

type Descriptors = ReturnType<typeof descriptors>;

function forwardDesc(
  rt: Runtime,
  d: Descriptors,
  prop: number,
  bias: boolean,
): Uint8Array<ArrayBuffer> {
  const desc = new Uint8Array(CONV_DESC_BYTES);
  check(
    rt.dnnl.dnnl_convolution_forward_desc_init(
      desc,
      prop,
      DNNL.convolutionDirect,
      d.src,
      d.anyWeights,
      bias ? Deno.UnsafePointer.of(d.bias) : null,
      d.dst,
      d.strides,
      d.padLeft,
      d.padRight,
    ),
    "convolution_forward_desc_init",
  );
  return desc;
}

type Kind = "forward" | "forward+bias" | "forward+bias+relu" | "data" | "weights";

function buildPlan(rt: Runtime, conv: tf.backend_util.Conv2DInfo, kind: Kind): Plan {
  const d = descriptors(rt, conv);
  const pointerOf = (desc: Uint8Array<ArrayBuffer>) => Deno.UnsafePointer.of(desc);
  const query = (pd: Deno.PointerValue, what: number) =>
    rt.dnnl.dnnl_primitive_desc_query_md(pd, what, 0);
  if (kind.startsWith("forward")) {
    const bias = kind !== "forward";
    let attr: Deno.PointerValue = null;
    if (kind === "forward+bias+relu") {
      const out = new BigUint64Array(1);
      check(rt.dnnl.dnnl_primitive_attr_create(out), "primitive_attr_create");
      attr = handle(out);
      check(rt.dnnl.dnnl_post_ops_create(out), "post_ops_create");
      const postOps = handle(out);
      check(
        rt.dnnl.dnnl_post_ops_append_eltwise(postOps, 1, DNNL.eltwiseRelu, 0, 0),
        "post_ops_append_eltwise",
      );
      check(rt.dnnl.dnnl_primitive_attr_set_post_ops(attr, postOps), "attr_set_post_ops");
    }
    const pd = primitiveDesc(rt, forwardDesc(rt, d, DNNL.forwardInference, bias), attr, null);
    const weights = query(pd, DNNL.queryWeights);
    const slots = [
      slot(rt, DNNL.argSrc, pointerOf(d.src)),
      slot(rt, DNNL.argWeights, weights),
      slot(rt, DNNL.argDst, pointerOf(d.dst)),
    ];
    if (bias) slots.push(slot(rt, DNNL.argBias, pointerOf(d.bias)));
    return {
      primitive: primitive(rt, pd),
      slots,
      reorder: filterReorder(rt, d.hwio, weights, true),
    };
  }
  // the gradients' primitives are chosen with the training forward one as a hint
  const hint = primitiveDesc(rt, forwardDesc(rt, d, DNNL.forwardTraining, false), null, null);
  const desc = new Uint8Array(CONV_DESC_BYTES);
  if (kind === "data") {
    check(
      rt.dnnl.dnnl_convolution_backward_data_desc_init(
        desc,
        DNNL.convolutionDirect,
        d.src,
        d.anyWeights,
        d.dst,
        d.strides,
        d.padLeft,
        d.padRight,
      ),
      "convolution_backward_data_desc_init",
    );
    const pd = primitiveDesc(rt, desc, null, hint);
    const weights = query(pd, DNNL.queryWeights);
    return {
      primitive: primitive(rt, pd),
      slots: [
        slot(rt, DNNL.argDiffDst, pointerOf(d.dst)),
        slot(rt, DNNL.argWeights, weights),
        slot(rt, DNNL.argDiffSrc, pointerOf(d.src)),
      ],
      reorder: filterReorder(rt, d.hwio, weights, true),
    };
  }
  check(
    rt.dnnl.dnnl_convolution_backward_weights_desc_init(
      desc,
      DNNL.convolutionDirect,
      d.src,
      d.anyWeights,
      null,
      d.dst,
      d.strides,
      d.padLeft,
      d.padRight,
    ),
    "convolution_backward_weights_desc_init",
  );
  const pd = primitiveDesc(rt, desc, null, hint);
  const weights = query(pd, DNNL.queryDiffWeights);
  return {
    primitive: primitive(rt, pd),
    slots: [
      slot(rt, DNNL.argSrc, pointerOf(d.src)),
      slot(rt, DNNL.argDiffDst, pointerOf(d.dst)),
      slot(rt, DNNL.argDiffWeights, weights),
    ],
    reorder: filterReorder(rt, d.hwio, weights, false),
  };
}

function execute(rt: Runtime, primitive: Deno.PointerValue, slots: Slot[]): void {
  const args = new DataView(new ArrayBuffer(16 * slots.length));
  slots.forEach((s, i) => {
    args.setInt32(16 * i, s.arg, true);
    args.setBigUint64(16 * i + 8, Deno.UnsafePointer.value(s.memory), true);
  });
  check(
    rt.dnnl.dnnl_primitive_execute(primitive, rt.stream, slots.length, new Uint8Array(args.buffer)),
    "primitive_execute",
  );
  check(rt.dnnl.dnnl_stream_wait(rt.stream), "stream_wait");
}

/** Tensor data (or a scratch array) for each argument of one call. */
type Bindings = Map<number, Deno.PointerValue>;

function run(rt: Runtime, plan: Plan, data: Bindings, filterArg: number): void {
  const bind = (s: Slot, pointer: Deno.PointerValue) =>
    check(rt.dnnl.dnnl_memory_set_data_handle(s.memory, pointer), "memory_set_data_handle");
  const reorder = plan.reorder;
  const scratch = reorder ? Deno.UnsafePointer.of(reorder.scratch) : null;
  const forward = filterArg !== DNNL.argDiffWeights;
  if (reorder && forward) {
    bind(reorder.hwio, data.get(filterArg)!);
    bind(reorder.blocked, scratch);
    execute(rt, reorder.primitive, [reorder.hwio, reorder.blocked]);
  }
  for (const s of plan.slots) {
    bind(s, reorder && s.arg === filterArg ? scratch : data.get(s.arg)!);
  }
  execute(rt, plan.primitive, plan.slots);
  if (reorder && !forward) {
    bind(reorder.blocked, scratch);
    bind(reorder.hwio, data.get(filterArg)!);
    execute(rt, reorder.primitive, [reorder.blocked, reorder.hwio]);
  }
}

/** Frees every kept plan's primitives and memory objects. */
function dropPlans(rt: Runtime): void {
  for (const plan of plans.values()) {
    const reorder = plan.reorder ? [plan.reorder] : [];
    for (const p of [plan, ...reorder]) rt.dnnl.dnnl_primitive_destroy(p.primitive);
    const slots = [...plan.slots, ...reorder.flatMap((r) => [r.hwio, r.blocked])];
    for (const s of slots) rt.dnnl.dnnl_memory_destroy(s.memory);
  }
  plans.clear();
}

/**
 * Whether the convolution primitives can run here (oneDNN 2.x loaded and not turned off).
 *
 * @example
 * ```ts ignore
 * if (oneDnnConvolutions()) console.log("convolutions on oneDNN");
 * ```
 */
export function oneDnnConvolutions(): boolean {
  if (oneDnnLibrary() === null) return false;
  if (runtime === undefined) runtime = start();
  return runtime !== null;
}

/** The runtime and this shape's plan, or null where the primitives cannot be used. */
function prepare(
  conv: tf.backend_util.Conv2DInfo,
  kind: Kind,
  inputs: tf.TensorInfo[],
): [Runtime, Plan] | null {
  if (conv.dilationHeight !== 1 || conv.dilationWidth !== 1) return null;
  if (inputs.some((t) => t.dtype !== "float32") || !oneDnnConvolutions()) return null;
  if (runtime == null) return null;
  const key = [
    kind,
    conv.inShape,
    conv.filterHeight,
    conv.filterWidth,
    conv.outShape,
    conv.strideHeight,
    conv.strideWidth,
    conv.padInfo.top,
    conv.padInfo.left,
    conv.padInfo.bottom,
    conv.padInfo.right,
  ].join("|");
  let plan = plans.get(key);
  if (plan === undefined) {
    if (plans.size >= MAX_PLANS) dropPlans(runtime);
    plan = buildPlan(runtime, conv, kind);
    plans.set(key, plan);
  }
  return [runtime, plan];
}

/**
 * Runs this shape's `kind` primitive on `inputs` (argument -> tensor) into a new tensor of
 * `outShape` passed as `outArg`; null where the primitives cannot run.
 */
function runOn(
  wasm: BackendWasm,
  conv: tf.backend_util.Conv2DInfo,
  kind: Kind,
  inputs: [number, tf.TensorInfo][],
  [outArg, outShape]: [number, number[]],
): tf.TensorInfo | null {
  const ready = prepare(conv, kind, inputs.map(([, tensor]) => tensor));
  if (ready === null) return null;
  const out = wasm.makeOutput(outShape, "float32");
  const data: Bindings = new Map([
    ...inputs.map(([arg, tensor]): [number, Deno.PointerValue] => [
      arg,
      heapPointer(wasm, tensor),
    ]),
    [outArg, heapPointer(wasm, out)],
  ]);
  const filterArg = kind === "weights" ? DNNL.argDiffWeights : DNNL.argWeights;
  run(ready[0], ready[1], data, filterArg);
  return out;
}

/**
 * y [batch, outH, outW, outC] = conv(x, filter) (+ bias [outC], then ReLU when `relu`), or null
 * where the primitives cannot run (the caller then takes another path).
 *
 * @example
 * ```ts ignore
 * const conv = tf.backend_util.computeConv2DInfo(x.shape, filter.shape, 2, 1, "same");
 * const y = oneDnnConv2d(backend, x, filter, conv, bias, true);
 * ```
 */
export function oneDnnConv2d(
  wasm: BackendWasm,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  conv: tf.backend_util.Conv2DInfo,
  bias: tf.TensorInfo | undefined,
  relu: boolean,
): tf.TensorInfo | null {
  if (relu && bias === undefined) return null;
  const kind: Kind = bias === undefined ? "forward" : relu ? "forward+bias+relu" : "forward+bias";
  const inputs: [number, tf.TensorInfo][] = [[DNNL.argSrc, x], [DNNL.argWeights, filter]];
  if (bias !== undefined) inputs.push([DNNL.argBias, bias]);
  return runOn(wasm, conv, kind, inputs, [DNNL.argDst, conv.outShape]);
}

/**
 * dW [kH, kW, inC, outC] from x [batch, inH, inW, inC] and dy [batch, outH, outW, outC], or
 * null where the primitives cannot run.
 *
 * @example
 * ```ts ignore
 * const dw = oneDnnConv2dBackpropFilter(backend, x, dy, conv);
 * ```
 */
export function oneDnnConv2dBackpropFilter(
  wasm: BackendWasm,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  conv: tf.backend_util.Conv2DInfo,
): tf.TensorInfo | null {
  const filterShape = [conv.filterHeight, conv.filterWidth, conv.inChannels, conv.outChannels];
  const inputs: [number, tf.TensorInfo][] = [[DNNL.argSrc, x], [DNNL.argDiffDst, dy]];
  return runOn(wasm, conv, "weights", inputs, [DNNL.argDiffWeights, filterShape]);
}

/**
 * dx [batch, inH, inW, inC] from dy [batch, outH, outW, outC] and the filter, or null where the
 * primitives cannot run.
 *
 * @example
 * ```ts ignore
 * const dx = oneDnnConv2dBackpropInput(backend, dy, filter, conv);
 * ```
 */
export function oneDnnConv2dBackpropInput(
  wasm: BackendWasm,
  dy: tf.TensorInfo,
  filter: tf.TensorInfo,
  conv: tf.backend_util.Conv2DInfo,
): tf.TensorInfo | null {
  const inputs: [number, tf.TensorInfo][] = [[DNNL.argDiffDst, dy], [DNNL.argWeights, filter]];
  return runOn(wasm, conv, "data", inputs, [DNNL.argDiffSrc, conv.inShape]);
}
