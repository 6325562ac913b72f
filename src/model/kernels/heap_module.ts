/**
 * Loader of the WebAssembly loops compiled from this folder's C files (build_loops.sh): each is
 * instantiated on the wasm backend's own heap (imported memory), so it reads and writes tensor
 * data in place. NAME.wasm serves the single-threaded build, NAME_shared.wasm the shared heap
 * of the threaded build.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";

const loaded = new WeakMap<WebAssembly.Memory, Map<string, unknown>>();
const warned = new Set<string>();

/**
 * The exports of NAME.wasm bound to this backend's heap, or null (with one warning per module
 * naming the cause) when it cannot be loaded; callers then use their fallback.
 *
 * @example
 * ```ts ignore
 * const loops = heapModule<{ col2im(col: number, dx: number, ...dims: number[]): void }>(
 *   tf.backend() as BackendWasm,
 *   "patch_loops",
 *   "JavaScript loops",
 * );
 * ```
 */
export function heapModule<T>(backend: BackendWasm, name: string, fallback: string): T | null {
  const runtime = backend.wasm as unknown as {
    wasmMemory?: WebAssembly.Memory;
    asm?: { memory?: WebAssembly.Memory };
  };
  const memory = runtime.wasmMemory ?? runtime.asm?.memory;
  if (memory === undefined) {
    return warnOnce(name, fallback, "the wasm backend's memory is not exposed");
  }
  const modules = loaded.get(memory) ?? new Map<string, unknown>();
  loaded.set(memory, modules);
  if (modules.has(name)) return modules.get(name) as T | null;
  const shared = memory.buffer instanceof SharedArrayBuffer;
  const file = new URL(`./${name}${shared ? "_shared" : ""}.wasm`, import.meta.url);
  let exports: T | null;
  try {
    const module = new WebAssembly.Module(Deno.readFileSync(file));
    exports = new WebAssembly.Instance(module, { env: { memory } }).exports as T;
  } catch (error) {
    exports = warnOnce(
      name,
      fallback,
      `${file.pathname}: ${error instanceof Error ? error.message : error}`,
    );
  }
  modules.set(name, exports);
  return exports;
}

/**
 * The exports of NAME.wasm for a kernel that cannot run without them (callers check
 * `heapKernelReady` first); throws naming the kernel and the module otherwise.
 *
 * @example
 * ```ts ignore
 * const loops = requiredHeapModule<Exports>(backend, "recurrence_loops", "LstmRecurrence");
 * ```
 */
export function requiredHeapModule<T>(backend: BackendWasm, name: string, kernel: string): T {
  const exports = heapModule<T>(backend, name, "tfjs ops");
  if (exports === null) throw new Error(`${kernel} needs ${name}.wasm`);
  return exports;
}

/**
 * Whether a kernel built on NAME.wasm can run now: wasm is the active backend, `kernel` is
 * registered for it, and the module loads on its heap.
 *
 * @example
 * ```ts ignore
 * const fused = heapKernelReady("LstmRecurrence", "recurrence_loops"); // false on cpu
 * ```
 */
export function heapKernelReady(kernel: string, name: string): boolean {
  if (tf.getBackend() !== "wasm" || tf.getKernel(kernel, "wasm") === undefined) return false;
  return heapModule(tf.backend() as BackendWasm, name, "tfjs ops") !== null;
}

function warnOnce(name: string, fallback: string, cause: string): null {
  if (!warned.has(name)) console.warn(`compiled ${name} unavailable (${cause}); using ${fallback}`);
  warned.add(name);
  return null;
}
