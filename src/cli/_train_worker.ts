/**
 * Worker entry of {@link workerTrainRunner}: receives one run (its configuration, the cache
 * folder, the run folder, the backend), opens its own backend and exam source, trains, and
 * posts `progress`, `epoch` and finally `result` (or `error`) messages back.
 *
 * @example
 * ```ts ignore
 * const worker = new Worker(new URL("./_train_worker.ts", import.meta.url), { type: "module" });
 * ```
 */
import { type BackendPreference, selectBackend } from "../model/backend.ts";
import { cacheExamSource, type TrainConfig, trainRun } from "../train/mod.ts";
import { errorMessage } from "../io/errors.ts";

/** What the runner sends: one run to train. */
export interface TrainWorkerJob {
  config: TrainConfig;
  cacheDir: string;
  runDir: string;
  backend: BackendPreference;
  /** wasm threads of this worker. */
  threads: number;
  command: string;
}

const scope = self as unknown as {
  onmessage: (event: MessageEvent<TrainWorkerJob>) => void;
  postMessage: (message: unknown) => void;
};

scope.onmessage = async (event) => {
  const job = event.data;
  try {
    const backend = await selectBackend(job.backend, { wasmThreads: job.threads });
    const result = await trainRun({
      config: job.config,
      source: await cacheExamSource(job.cacheDir),
      runDir: job.runDir,
      backend: backend.name,
      command: job.command,
      onProgress: (done, total) => scope.postMessage({ type: "progress", done, total }),
      onEpoch: (log) => scope.postMessage({ type: "epoch", log }),
    });
    scope.postMessage({ type: "result", result });
  } catch (error) {
    scope.postMessage({
      type: "error",
      message: errorMessage(error),
    });
  }
};
