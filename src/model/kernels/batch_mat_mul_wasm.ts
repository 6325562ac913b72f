/**
 * BatchMatMul for the wasm backend that keeps XNNPACK's fast path for transposed operands.
 *
 * tfjs-backend-wasm 4.22.0 multiplies with transposeA or transposeB in a scalar loop about 10x
 * slower than its XNNPACK path, and every matMul gradient asks for a transposed operand
 * (dA = dC @ B^T, dB = A^T @ dC). Transposing the operand first (a memory pass) and then
 * multiplying without transposes is much faster for large products and for small ones whose
 * transposed operand is small (an LSTM step's h^T @ dGates: ~0.1 instead of ~0.9 ms); where the
 * copy and a new XNNPACK operator (which packs b) cost more, e.g. dGates @ W^T with a large W,
 * tfjs's loop is kept.
 * Batched products (batch > 1) stay on tfjs's scalar loop (~0.5 ms for a [2, 4, 64] x
 * [2, 64, 256] product): keep hot-path matMuls rank 2.
 * Where oneDNN loads (onednn.ts), every product whose batches broadcast
 * whole (each operand's batch is 1 or the output's) runs there instead, transposes included.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import {
  disposeAll,
  originalWasmKernel,
  replaceWasmKernel,
  viewAs,
  wasmKernel,
} from "./_wasm_ops.ts";
import { type NativeGemm, nativeGemm } from "./native_gemm.ts";

/** x [..., r, c] -> [batch, c, r] (batch = product of the leading dims). */
function transposeInner(backend: BackendWasm, x: tf.TensorInfo): tf.TensorInfo {
  const rank = x.shape.length;
  const rows = x.shape[rank - 2];
  const cols = x.shape[rank - 1];
  const batch = x.shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return wasmKernel("Transpose")({
    inputs: { x: viewAs(x, [batch, rows, cols]) },
    backend,
    attrs: { perm: [0, 2, 1] },
  }) as tf.TensorInfo;
}

/** Transposed products from this many multiply-adds up are always transposed first. */
const TRANSPOSE_FIRST_MACS = 1 << 21;

/**
 * The product on the native library: c [...lead, m, n], one call per output batch; null when
 * an operand's batch neither equals the output's nor is 1 (e.g. [2, 1] against [1, 2]).
 */
function nativeBatchMatMul(
  native: NativeGemm,
  wasm: BackendWasm,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): tf.TensorInfo | null {
  const count = (shape: number[]) => shape.reduce((p, q) => p * q, 1);
  const leadA = a.shape.slice(0, -2);
  const leadB = b.shape.slice(0, -2);
  const lead = tf.broadcast_util.assertAndGetBroadcastShape(leadA, leadB);
  const batch = count(lead);
  if (![count(leadA), count(leadB)].every((size) => size === 1 || size === batch)) return null;
  const [m, k] = transposeA
    ? [a.shape.at(-1)!, a.shape.at(-2)!]
    : [a.shape.at(-2)!, a.shape.at(-1)!];
  const n = transposeB ? b.shape.at(-2)! : b.shape.at(-1)!;
  const c = wasm.makeOutput([...lead, m, n], "float32");
  const step = (size: number, per: number) => (size === 1 ? 0 : per);
  const stepA = step(count(leadA), m * k);
  const stepB = step(count(leadB), k * n);
  for (let i = 0; i < batch; i++) {
    native.gemm(
      m,
      n,
      k,
      { tensor: a, transposed: transposeA, offset: i * stepA },
      { tensor: b, transposed: transposeB, offset: i * stepB },
      { tensor: c, transposed: false, offset: i * m * n },
    );
  }
  return c;
}

function batchMatMul({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const wasm = backend as BackendWasm;
  const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const { transposeA, transposeB } = attrs as unknown as {
    transposeA: boolean;
    transposeB: boolean;
  };
  const native = nativeGemm(wasm);
  if (native !== null && a.dtype === "float32" && b.dtype === "float32") {
    const product = nativeBatchMatMul(native, wasm, a, b, transposeA, transposeB);
    if (product !== null) return product;
  }
  const original = originalWasmKernel("BatchMatMul");
  const [m, k] = transposeA
    ? [a.shape.at(-1)!, a.shape.at(-2)!]
    : [a.shape.at(-2)!, a.shape.at(-1)!];
  const n = transposeB ? b.shape.at(-2)! : b.shape.at(-1)!;
  const batch = Math.max(...[a, b].map((x) => x.shape.slice(0, -2).reduce((p, q) => p * q, 1)));
  // The transpose and a fresh XNNPACK operator (which packs b) cost about as much as 16
  // multiply-adds per element moved; below that the scalar loop is faster (measured).
  const size = (x: tf.TensorInfo) => x.shape.reduce((p, q) => p * q, 1);
  const moved = (transposeA ? size(a) : 0) + (transposeB ? size(b) : 0) + size(b);
  const macs = batch * m * k * n;
  if ((!transposeA && !transposeB) || (macs < TRANSPOSE_FIRST_MACS && 16 * moved > macs)) {
    return original({ inputs, backend, attrs }) as tf.TensorInfo;
  }
  const made: tf.TensorInfo[] = [];
  const aPlain = transposeA ? transposeInner(wasm, a) : a;
  const bPlain = transposeB ? transposeInner(wasm, b) : b;
  if (transposeA) made.push(aPlain);
  if (transposeB) made.push(bPlain);
  // Keep the callers' leading (broadcast) dims: [..., m, k] and [..., k, n].
  const lead = (x: tf.TensorInfo) => x.shape.slice(0, -2);
  const aView = viewAs(aPlain, [...lead(a), aPlain.shape.at(-2)!, aPlain.shape.at(-1)!]);
  const bView = viewAs(bPlain, [...lead(b), bPlain.shape.at(-2)!, bPlain.shape.at(-1)!]);
  const out = original({
    inputs: { a: aView, b: bView },
    backend,
    attrs: { ...attrs, transposeA: false, transposeB: false },
  }) as tf.TensorInfo;
  disposeAll(wasm, made);
  return out;
}

/**
 * Replaces the wasm backend's BatchMatMul with one that transposes operands before calling
 * XNNPACK (idempotent). Call before `tf.setBackend("wasm")`.
 *
 * @example
 * ```ts ignore
 * registerWasmBatchMatMul();
 * await tf.setBackend("wasm");
 * tf.matMul(a, b, true, false); // a^T @ b on XNNPACK
 * ```
 */
export function registerWasmBatchMatMul(): void {
  replaceWasmKernel("BatchMatMul", batchMatMul);
}
