/**
 * Backend choice for TensorFlow.js: the fastest backend that really works on this machine,
 * chosen once at start and logged with the reason.
 *
 * Order for "auto": tensorflow (tfjs-node-gpu, then tfjs-node; only where the native addon
 * loads), webgpu (only on a hardware adapter; software adapters such as llvmpipe are slower
 * than wasm), wasm (with the training kernels it lacks registered), cpu.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import os from "node:os";
import { z } from "zod";
import { getThreadsCount } from "@tensorflow/tfjs-backend-wasm";
import {
  compiledKernels,
  initThreadedWasm,
  oneDnnConvolutions,
  oneDnnLibrary,
  registerWasmTrainingKernels,
  setOneDnnThreads,
} from "./kernels/mod.ts";

/** Backend names a caller may ask for; "auto" picks the fastest one that works. */
export const backendPreferenceSchema = z.enum(["auto", "tensorflow", "webgpu", "wasm", "cpu"]);

/** A backend preference (see {@link backendPreferenceSchema}). */
export type BackendPreference = z.infer<typeof backendPreferenceSchema>;

/** The backend in use and why it was chosen (or why faster ones were skipped). */
export type BackendChoice = { name: string; reason: string };

/** Outcome of trying one backend: in use, or skipped with the cause. */
type Attempt = { ok: true; detail: string } | { ok: false; detail: string };

/** Minimal view of the WebGPU adapter API (Deno ships it; the lib types may not be loaded). */
type GpuAdapterLike = {
  isFallbackAdapter?: boolean;
  info?: { description?: string; vendor?: string; device?: string; isFallbackAdapter?: boolean };
};
type GpuLike = { requestAdapter(): Promise<GpuAdapterLike | null> };

const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|softpipe|software|warp/i;

/** First line of an error, without the stack, cut to a readable length. */
function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/tfjs_binding\.node\) can not be found/.test(text)) {
    return "native addon tfjs_binding.node not found (its install script did not run)";
  }
  const line = text.split("\n")[0].trim();
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

/**
 * Imports an npm module whose import may register tfjs kernels a second time (tfjs-node and
 * tfjs-node-gpu share kernel names), keeping the console free of those repeated warnings.
 */
async function importQuietly(specifier: string): Promise<unknown> {
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!String(args[0]).includes("is already registered")) warn(...args);
  };
  try {
    return await import(specifier);
  } finally {
    console.warn = warn;
  }
}

/** tfjs-node-gpu, then tfjs-node: both register the "tensorflow" backend if the addon loads. */
async function tryTensorflow(): Promise<Attempt> {
  const causes: string[] = [];
  for (const pkg of ["@tensorflow/tfjs-node-gpu", "@tensorflow/tfjs-node"]) {
    try {
      await importQuietly(pkg);
      if (await tf.setBackend("tensorflow")) return { ok: true, detail: `${pkg} native addon` };
      causes.push(`${pkg}: imported but the "tensorflow" backend did not initialise`);
    } catch (error) {
      causes.push(`${pkg}: ${firstLine(error)}`);
    }
  }
  return { ok: false, detail: causes.join("; ") };
}

/** WebGPU on a hardware adapter; a software one only when asked for explicitly. */
async function tryWebgpu(allowSoftware: boolean): Promise<Attempt> {
  const gpu = (globalThis.navigator as unknown as { gpu?: GpuLike } | undefined)?.gpu;
  if (gpu === undefined) return { ok: false, detail: "webgpu: navigator.gpu is absent" };
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch (error) {
    return { ok: false, detail: `webgpu: requestAdapter failed: ${firstLine(error)}` };
  }
  if (adapter === null) return { ok: false, detail: "webgpu: no adapter" };
  const description = adapter.info?.description || adapter.info?.device || "unknown adapter";
  const fallback = adapter.isFallbackAdapter === true || adapter.info?.isFallbackAdapter === true;
  const software = fallback || SOFTWARE_ADAPTER.test(description);
  if (software && !allowSoftware) {
    return { ok: false, detail: `webgpu: only a software adapter (${description})` };
  }
  try {
    await import("@tensorflow/tfjs-backend-webgpu");
    if (await tf.setBackend("webgpu")) {
      const kind = software ? "software adapter, slower than wasm" : "hardware adapter";
      return { ok: true, detail: `webgpu on ${description} (${kind})` };
    }
    return { ok: false, detail: `webgpu: backend did not initialise on ${description}` };
  } catch (error) {
    return { ok: false, detail: `webgpu: ${firstLine(error)}` };
  }
}

/**
 * XNNPACK threads when none are asked for: all cores on an idle machine, fewer as the 1-minute
 * load average rises (threads that wait for each other on a busy machine are slower than one:
 * measured with bench/train_throughput.ts at load 7-11 on 2 cores, 1 thread trained ~1.3x
 * faster than 2). Returns the count and, when reduced, why.
 */
function defaultWasmThreads(): { threads: number; why: string } {
  const cores = navigator.hardwareConcurrency ?? 1;
  const load = os.loadavg()[0];
  const threads = Math.max(1, Math.min(cores, Math.round(cores - load + 1)));
  const why = threads < cores
    ? `; ${threads} of ${cores} cores: load average ${load.toFixed(1)}`
    : "";
  return { threads, why };
}

/**
 * Where oneDNN loads (kernels/onednn.ts): one thread for it, and a note for the backend's reason;
 * else where the compiled kernels build (kernels/compiled_kernels.ts), a note saying so.
 *
 * One thread, whatever XNNPACK's count: oneDNN's sums depend on its thread count (a tiny run's
 * scores moved by ~0.01 between 1 and 2 threads), so a result would depend on the load average
 * at start and on the machine's cores. On 2 cores a second thread did not speed a demo step up
 * (bench/train_step.ts: 118 ms on 1 thread, 117 ms on 2) and sped the larger benchmark model
 * trained alone by about 7 % (docs/backends.md). Sweeps use the cores by training runs side by
 * side.
 */
function nativeNote(): string {
  const library = oneDnnLibrary();
  if (library === null) {
    const compiled = compiledKernels();
    return compiled === null
      ? ""
      : `; convolutions and matrix products on kernels compiled here (${compiled.library}), 1 thread`;
  }
  setOneDnnThreads(1);
  const what = oneDnnConvolutions() ? "convolutions and matrix products" : "matrix products";
  return `; ${what} on oneDNN (${library}), 1 thread`;
}

/**
 * wasm with the training kernels tfjs lacks, multithreaded when `threads` > 1 and the threaded
 * build loads (it can only be chosen before the wasm backend first initialises).
 */
async function tryWasm(requested: number | undefined): Promise<Attempt> {
  try {
    registerWasmTrainingKernels();
    const { threads, why } = requested === undefined
      ? defaultWasmThreads()
      : { threads: requested, why: "" };
    let note = why;
    // (tf.findBackend would start initialising the single-threaded build: read the registry)
    const initialised = (tf.engine() as unknown as { registry: Record<string, unknown> })
      .registry.wasm !== undefined;
    if (threads > 1 && !initialised) {
      try {
        const count = await initThreadedWasm(threads);
        const native = nativeNote();
        return {
          ok: true,
          detail: `wasm (XNNPACK, threaded SIMD build, ${count} threads${why}${native})`,
        };
      } catch (error) {
        note = `; threaded build failed, single-threaded: ${firstLine(error)}`;
      }
    }
    if (await tf.setBackend("wasm")) {
      const native = nativeNote();
      return { ok: true, detail: `wasm (XNNPACK, ${getThreadsCount()} thread(s)${note}${native})` };
    }
    return { ok: false, detail: `wasm: backend did not initialise${note}` };
  } catch (error) {
    return { ok: false, detail: `wasm: ${firstLine(error)}` };
  }
}

/** Pure-JS cpu backend: always works, far too slow to train real models. */
async function tryCpu(): Promise<Attempt> {
  if (await tf.setBackend("cpu")) return { ok: true, detail: "cpu (pure JS)" };
  return { ok: false, detail: "cpu: backend did not initialise" };
}

/** Options of {@link selectBackend}. */
export type BackendOptions = {
  /**
   * XNNPACK threads on wasm; 1 = single-threaded build. Default: all cores, fewer when the
   * 1-minute load average says the machine is busy.
   */
  wasmThreads?: number;
};

function attempt(
  name: Exclude<BackendPreference, "auto">,
  options: BackendOptions,
  explicit: boolean,
) {
  switch (name) {
    case "tensorflow":
      return tryTensorflow();
    case "webgpu":
      return tryWebgpu(explicit);
    case "wasm":
      return tryWasm(options.wasmThreads);
    case "cpu":
      return tryCpu();
  }
}

/**
 * Chooses and activates the TensorFlow.js backend, logs the choice with its reason and returns
 * both. "auto" tries tensorflow, webgpu (hardware adapters only), wasm, cpu in that order; an
 * explicit preference uses that backend (webgpu then also on a software adapter) or throws
 * saying why it is unavailable.
 *
 * @example
 * ```ts
 * const { name, reason } = await selectBackend("auto");
 * // name = "wasm", reason = "wasm (XNNPACK); skipped: @tensorflow/tfjs-node-gpu: ..."
 * ```
 */
export async function selectBackend(
  preference: BackendPreference = "auto",
  options: BackendOptions = {},
): Promise<BackendChoice> {
  const wanted = backendPreferenceSchema.parse(preference);
  const order = wanted === "auto" ? (["tensorflow", "webgpu", "wasm", "cpu"] as const) : [wanted];
  const skipped: string[] = [];
  for (const name of order) {
    const result = await attempt(name, options, wanted !== "auto");
    if (result.ok) {
      await tf.ready();
      const reason = skipped.length === 0
        ? `${result.detail}${wanted === "auto" ? "" : " (requested)"}`
        : `${result.detail}; skipped: ${skipped.join("; ")}`;
      console.log(`tfjs backend: ${tf.getBackend()} (${reason})`);
      return { name: tf.getBackend(), reason };
    }
    skipped.push(result.detail);
  }
  throw new Error(
    `backend "${wanted}" is unavailable: ${skipped.join("; ")}. ` +
      `Fix: pass --backend auto (or another backend), or install what is missing.`,
  );
}
