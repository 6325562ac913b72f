/**
 * oneDNN (Intel's deep-learning primitives library, the one PyTorch's CPU path is built on),
 * loaded through Deno's FFI and run on the wasm backend's heap in place, so tensors stay where
 * tfjs-backend-wasm keeps them and nothing is copied. This module loads it, sets its OpenMP
 * threads and offers its single-precision matrix product (`dnnl_sgemm`, AVX2/AVX-512 FMA);
 * onednn_conv.ts builds its convolution primitives. On a 2-core AVX-512 machine the products
 * run 5-7x faster than XNNPACK's 128-bit WebAssembly SIMD (bench/README.md).
 *
 * Optional: where the library cannot be loaded (not installed, another OS, no --allow-ffi) the
 * kernels use the project's compiled kernels (compiled_kernels.ts) or tfjs's own XNNPACK path,
 * with one log line naming the cause. Debian/Ubuntu
 * install it with `apt-get install libdnnl2` (PyTorch's Debian package already depends on it);
 * `PE_DNNL_LIBRARY=/path/to/libdnnl.so` names another copy, `PE_ONEDNN=off` turns it off.
 *
 * @module
 */
import type { Sgemm } from "./native_gemm.ts";
import { SGEMM_SIGNATURE } from "./sgemm_abi.ts";

/** Library file names tried in order when PE_DNNL_LIBRARY is not set. */
const DNNL_NAMES = ["libdnnl.so.2", "libdnnl.so.3", "libdnnl.so", "libdnnl.dylib", "dnnl.dll"];
/** OpenMP runtimes whose thread count a oneDNN build may follow. */
const OPENMP_NAMES = ["libgomp.so.1", "libomp.so", "libiomp5.so", "libomp.dylib"];

const DNNL_SYMBOLS = {
  dnnl_sgemm: SGEMM_SIGNATURE,
} as const;

const OPENMP_SYMBOLS = { omp_set_num_threads: { parameters: ["i32"], result: "void" } } as const;

type Loaded = { sgemm: Sgemm; library: string } | { sgemm: null; cause: string };
let loaded: Loaded | undefined;
let enabled = Deno.env.get("PE_ONEDNN")?.toLowerCase() !== "off";
let openmp: { symbols: { omp_set_num_threads(n: number): void } } | null | undefined;

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

/** OpenMP threads that spin between calls would starve tfjs's own threads: let them sleep. */
function preferPassiveOpenmp(): void {
  if (Deno.env.get("OMP_WAIT_POLICY") === undefined) Deno.env.set("OMP_WAIT_POLICY", "passive");
}

function load(): Loaded {
  const override = Deno.env.get("PE_DNNL_LIBRARY");
  const names = override ? [override] : DNNL_NAMES;
  const causes: string[] = [];
  try {
    preferPassiveOpenmp();
  } catch (error) {
    causes.push(`environment: ${errorText(error)}`);
  }
  for (const name of names) {
    try {
      const library = Deno.dlopen(name, DNNL_SYMBOLS);
      return { sgemm: library.symbols.dnnl_sgemm as Sgemm, library: name };
    } catch (error) {
      causes.push(`${name}: ${errorText(error)}`);
      if (
        error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied
      ) {
        break; // no --allow-ffi: every other name fails the same way
      }
    }
  }
  return { sgemm: null, cause: causes.join("; ") };
}

/**
 * The oneDNN library file that loaded, or null when it is off or could not be loaded (the
 * cause is logged once).
 *
 * @example
 * ```ts
 * const file = oneDnnLibrary(); // "libdnnl.so.2"
 * ```
 */
export function oneDnnLibrary(): string | null {
  if (!enabled) return null;
  if (loaded === undefined) {
    loaded = load();
    if (loaded.sgemm === null) {
      console.log(`oneDNN unavailable (${loaded.cause})`);
    }
  }
  return loaded.sgemm === null ? null : loaded.library;
}

/**
 * oneDNN's `dnnl_sgemm`, or null when it is off or cannot be loaded (the cause is logged once).
 *
 * @example
 * ```ts
 * const onednn = oneDnnSgemm(); // { sgemm, library: "libdnnl.so.2" }
 * ```
 */
export function oneDnnSgemm(): { sgemm: Sgemm; library: string } | null {
  if (oneDnnLibrary() === null || loaded?.sgemm == null) return null;
  return loaded;
}

/**
 * Turns oneDNN on or off in this JavaScript thread (tests compare both paths; PE_ONEDNN=off in
 * the environment turns it off for a whole run). Returns the previous setting.
 *
 * @example
 * ```ts
 * const before = useOneDnn(false); // XNNPACK only
 * useOneDnn(before);
 * ```
 */
export function useOneDnn(on: boolean): boolean {
  const before = enabled;
  enabled = on;
  return before;
}

/**
 * Sets how many OpenMP threads oneDNN's products and convolutions called from this JavaScript
 * thread use (the backend sets 1 in every worker: oneDNN's sums depend on the count, see
 * backend.ts). Returns false where no OpenMP runtime could be found (the library then uses its
 * default).
 *
 * @example
 * ```ts
 * setOneDnnThreads(1); // results that do not depend on the machine's cores
 * ```
 */
export function setOneDnnThreads(threads: number): boolean {
  if (openmp === undefined) {
    openmp = null;
    for (const name of OPENMP_NAMES) {
      try {
        openmp = Deno.dlopen(name, OPENMP_SYMBOLS);
        break;
      } catch {
        // try the next runtime
      }
    }
  }
  if (openmp === null) return false;
  openmp.symbols.omp_set_num_threads(Math.max(1, Math.floor(threads)));
  return true;
}
