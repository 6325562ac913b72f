/**
 * Train each run of a sweep in its own Deno Worker (its own TensorFlow.js backend), so that
 * several runs train at once: on a CPU the wasm backend gains less from a second thread than a
 * second run gains from a second core.
 *
 * @example
 * ```ts
 * import { workerTrainRunner } from "./_worker_runner.ts";
 * // await runSweep({ ..., parallel: 2,
 * //   trainRunner: workerTrainRunner({ cacheDir: "cache/demo", backend: "wasm", threads: 1 }) });
 * ```
 */
import type { BackendPreference } from "../model/backend.ts";
import type { EpochLog, TrainRunOptions, TrainRunResult } from "../train/mod.ts";
import type { TrainWorkerJob } from "./_train_worker.ts";

type WorkerMessage =
  | { type: "progress"; done: number; total: number }
  | { type: "epoch"; log: EpochLog }
  | { type: "result"; result: TrainRunResult }
  | { type: "error"; message: string };

/** A `trainRunner` for `runSweep` reading exams from the cache at `cacheDir`. */
export function workerTrainRunner(
  settings: { cacheDir: string; backend: BackendPreference; threads: number },
): (options: TrainRunOptions) => Promise<TrainRunResult> {
  return (options) =>
    new Promise((resolve, reject) => {
      const worker = new Worker(new URL("./_train_worker.ts", import.meta.url), {
        type: "module",
      });
      const finish = (settle: () => void) => {
        worker.terminate();
        settle();
      };
      worker.onmessage = (event: MessageEvent<WorkerMessage>) => {
        const message = event.data;
        if (message.type === "progress") options.onProgress?.(message.done, message.total);
        else if (message.type === "epoch") options.onEpoch?.(message.log);
        else if (message.type === "result") finish(() => resolve(message.result));
        else finish(() => reject(new Error(message.message)));
      };
      worker.onerror = (event) => {
        event.preventDefault();
        finish(() =>
          reject(new Error(`${options.runDir}: training worker failed: ${event.message}`))
        );
      };
      const job: TrainWorkerJob = {
        config: options.config,
        cacheDir: settings.cacheDir,
        runDir: options.runDir,
        backend: settings.backend,
        threads: settings.threads,
        command: options.command ?? "sweep",
        useAuc: options.validationAuc !== undefined,
      };
      worker.postMessage(job);
    });
}
