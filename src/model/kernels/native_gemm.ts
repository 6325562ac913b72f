/**
 * The native matrix product of the wasm backend, run on its heap in place: oneDNN's
 * `dnnl_sgemm` where oneDNN loads (onednn.ts), else the project's own product compiled on this
 * machine (compiled_kernels.ts), else none (callers then use XNNPACK).
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { compiledKernels } from "./compiled_kernels.ts";
import { oneDnnSgemm } from "./onednn.ts";

/**
 * A row-major single-precision product with dnnl_sgemm's signature:
 * c = alpha * op(a) @ op(b) + beta * c; returns 0 on success.
 */
export type Sgemm = (
  transA: number,
  transB: number,
  m: bigint,
  n: bigint,
  k: bigint,
  alpha: number,
  a: Deno.PointerValue,
  lda: bigint,
  b: Deno.PointerValue,
  ldb: bigint,
  beta: number,
  c: Deno.PointerValue,
  ldc: bigint,
) => number;

/** One operand: a tensor's data on the heap, optionally starting `offset` floats in. */
export type GemmOperand = { tensor: tf.TensorInfo; transposed: boolean; offset?: number };

/** The loaded library: what it is and how to multiply with it. */
export type NativeGemm = {
  /** File the library was loaded from, e.g. "libdnnl.so.2". */
  library: string;
  /**
   * c [m, n] = op(a) [m, k] @ op(b) [k, n], row-major, where op(x) = x^T when `transposed`
   * (then x is stored [k, m] or [n, k]); c's `transposed` is ignored.
   */
  gemm(m: number, n: number, k: number, a: GemmOperand, b: GemmOperand, c: GemmOperand): void;
};

const T = "T".charCodeAt(0);
const N = "N".charCodeAt(0);

function bind(sgemm: Sgemm, library: string, backend: BackendWasm): NativeGemm {
  return {
    library,
    gemm(m, n, k, a, b, c) {
      if (m === 0 || n === 0) return;
      const at = (x: GemmOperand) => heapPointer(backend, x.tensor, x.offset);
      const status = sgemm(
        a.transposed ? T : N,
        b.transposed ? T : N,
        BigInt(m),
        BigInt(n),
        BigInt(k),
        1,
        at(a),
        BigInt(a.transposed ? m : k),
        at(b),
        BigInt(b.transposed ? k : n),
        0,
        at(c),
        BigInt(n),
      );
      if (status !== 0) {
        throw new Error(`${library}: sgemm(${m}, ${n}, ${k}) failed with status ${status}`);
      }
    },
  };
}

/**
 * Address of a tensor's data on the wasm heap, `offset` floats in (valid until the heap grows:
 * take it right before the native call).
 *
 * @example
 * ```ts ignore
 * const y = heapPointer(backend, output);
 * ```
 */
export function heapPointer(
  backend: BackendWasm,
  tensor: tf.TensorInfo,
  offset = 0,
): Deno.PointerValue {
  // the heap's current view (a grown heap has a new buffer)
  const heap = (backend.wasm as unknown as { HEAPU8: Uint8Array<ArrayBuffer> }).HEAPU8;
  return Deno.UnsafePointer.offset(
    Deno.UnsafePointer.of(heap)!,
    backend.getMemoryOffset(tensor.dataId) + 4 * offset,
  );
}

/**
 * Which native product the wasm backend's kernels use now: oneDNN, the compiled one, or none.
 *
 * @example
 * ```ts ignore
 * nativeGemmSource()?.kind; // "onednn" where libdnnl.so.2 loads, "compiled" with PE_ONEDNN=off
 * ```
 */
export function nativeGemmSource():
  | { kind: "onednn" | "compiled"; sgemm: Sgemm; library: string }
  | null {
  const onednn = oneDnnSgemm();
  if (onednn !== null) return { kind: "onednn", ...onednn };
  const compiled = compiledKernels();
  return compiled === null
    ? null
    : { kind: "compiled", sgemm: compiled.sgemm, library: compiled.library };
}

const bound = new WeakMap<BackendWasm, Map<string, NativeGemm>>();

/**
 * The native product bound to this backend's heap, or null when neither library is available
 * (each cause is logged once); callers then use XNNPACK.
 *
 * @example
 * ```ts ignore
 * const native = nativeGemm(tf.backend() as BackendWasm);
 * native?.gemm(m, n, k, { tensor: colT, transposed: true }, { tensor: w, transposed: false },
 *   { tensor: y, transposed: false }); // y [m, n] = colT^T @ w
 * ```
 */
export function nativeGemm(backend: BackendWasm): NativeGemm | null {
  const source = nativeGemmSource();
  if (source === null) return null;
  const byLibrary = bound.get(backend) ?? new Map<string, NativeGemm>();
  bound.set(backend, byLibrary);
  let gemm = byLibrary.get(source.library);
  if (gemm === undefined) {
    gemm = bind(source.sgemm, source.library, backend);
    byLibrary.set(source.library, gemm);
  }
  return gemm;
}
