/**
 * Multithreaded wasm backend under Deno.
 *
 * tfjs-backend-wasm 4.22.0 loads its single-threaded build under Deno: its feature check sees
 * Node (`process.versions.node`) and turns threads off, and when forced on, the Emscripten
 * runtime asks `node:worker_threads` for a Worker at a `blob:` URL, which Deno rejects
 * (ERR_WORKER_PATH). This module makes the threaded build (XNNPACK with a pthreadpool) load:
 * - the pthread worker script tfjs ships as a string is written to a temporary `.cjs` file and
 *   `node:worker_threads`' Worker is wrapped to start that file instead of the `blob:` URL;
 * - the worker's "load" message gets the threaded factory's file path instead of a Blob;
 * - the worker script's `location` assignment (read-only in Deno workers) is dropped;
 * - workers are unref'd so a finished program exits (they only sleep between kernels); a timer
 *   keeps the event loop alive while they load;
 * - XNNPACK sizes its pool from `os.cpus().length / 2` (it assumes 2 hyperthreads per core), so
 *   `os.cpus` reports twice the wanted thread count while the backend initialises.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { type BackendWasm, getThreadsCount, setThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import os from "node:os";
import workerThreads from "node:worker_threads";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);

/** Folder of the Emscripten outputs of the installed tfjs-backend-wasm. */
function wasmOutDir(): string {
  const main = require.resolve("@tensorflow/tfjs-backend-wasm"); // .../dist/tf-backend-wasm.node.js
  return join(dirname(main), "..", "wasm-out");
}

type NodeWorkerClass = typeof workerThreads.Worker;

/** The parts of the threaded Emscripten module this loader touches. */
type EmscriptenThreads = {
  PThread?: { unusedWorkers: { loaded?: boolean }[] };
  tfjs: { initWithThreadsCount(threads: number): void; getThreadsCount(): number };
};

/**
 * Initialises the wasm backend with its threaded SIMD build and `threads` XNNPACK threads.
 * Returns the thread count XNNPACK reports, or throws with the cause (the caller then falls
 * back to the single-threaded build). Must run before any other `tf.setBackend("wasm")`.
 *
 * @example
 * ```ts
 * const threads = await initThreadedWasm(2); // 2
 * ```
 */
export async function initThreadedWasm(threads: number): Promise<number> {
  const outDir = wasmOutDir();
  const { wasmWorkerContents } = require(join(outDir, "tfjs-backend-wasm-threaded-simd.worker.js"));
  const factoryFile = join(outDir, "tfjs-backend-wasm-threaded-simd.js");
  const workerDir = await Deno.makeTempDir({ prefix: "tfjs-wasm-threads-" });
  const workerFile = join(workerDir, "pthread-worker.cjs");
  // tfjs writes the same string into a Blob with "\n" escaped; the assignment to `location`
  // throws in Deno's worker scope and is not needed by the runtime.
  await Deno.writeTextFile(
    workerFile,
    String(wasmWorkerContents).replace(/\n/g, "\\n").replace("location:{href:__filename},", ""),
  );
  const NodeWorker: NodeWorkerClass = workerThreads.Worker;
  class PthreadWorker extends NodeWorker {
    constructor(_blobUrl: unknown, options?: ConstructorParameters<NodeWorkerClass>[1]) {
      super(workerFile, options);
      this.unref();
    }
    override ref(): void {}
    override postMessage(
      message: unknown,
      transfer?: Parameters<InstanceType<NodeWorkerClass>["postMessage"]>[1],
    ): void {
      const load = message as { cmd?: string; urlOrBlob?: unknown };
      if (load?.cmd === "load" && typeof load.urlOrBlob !== "string") {
        message = { ...load, urlOrBlob: factoryFile };
      }
      super.postMessage(message, transfer);
    }
  }
  const webWorker = globalThis.Worker;
  const cpus = os.cpus;
  (workerThreads as { Worker: NodeWorkerClass }).Worker = PthreadWorker as NodeWorkerClass;
  (os as { cpus: typeof os.cpus }).cpus = () =>
    Array.from({ length: 2 * threads }, () => cpus()[0]);
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
  setThreadsCount(threads);
  // The workers are unref'd; this timer keeps the event loop alive while they load.
  const keepAlive = setInterval(() => {}, 1000);
  try {
    if (!(await tf.setBackend("wasm"))) throw new Error("threaded wasm did not initialise");
    const runtime = (tf.backend() as BackendWasm).wasm as unknown as EmscriptenThreads;
    if (runtime.PThread === undefined) {
      throw new Error("the single-threaded build was already loading (initialise wasm here first)");
    }
    if (getThreadsCount() >= threads) return getThreadsCount();
    // The pool was sized before every pthread worker had loaded: wait for them, then size again.
    const workers = runtime.PThread?.unusedWorkers ?? [];
    for (let waited = 0; waited < 5000 && !workers.every((w) => w.loaded); waited += 10) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    runtime.tfjs.initWithThreadsCount(threads);
    return runtime.tfjs.getThreadsCount();
  } catch (error) {
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    throw error;
  } finally {
    clearInterval(keepAlive);
    (workerThreads as { Worker: NodeWorkerClass }).Worker = NodeWorker;
    (os as { cpus: typeof os.cpus }).cpus = cpus;
    // The Emscripten runtime sets globalThis.Worker to the Node worker class; Deno's is restored.
    globalThis.Worker = webWorker;
    await Deno.remove(workerDir, { recursive: true }).catch(() => {});
  }
}
