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
import type { ProgressBar } from "../ui/progress.ts";
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
      };
      worker.postMessage(job);
    });
}

/**
 * How a sweep's runs train: on the wasm backend with two or more cores, one run more than cores
 * at a time (so that no core idles in the last wave: 5 runs on 2 cores train 3 + 2, not
 * 2 + 2 + 1), each in its own worker with cores / runs threads (at least 1); elsewhere one at a
 * time in this process. `requested` (the `--parallel-runs` flag) sets the count; above 1 it
 * needs the wasm backend.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sweepParallelism } from "./_worker_runner.ts";
 * const { parallel, trainRunner } = sweepParallelism({
 *   backend: "wasm", runs: 5, cacheDir: "cache/demo", cores: 2,
 * });
 * assert.equal(parallel, 3); // each run in a worker with 1 thread
 * assert.ok(trainRunner !== undefined);
 * ```
 */
export function sweepParallelism(settings: {
  requested?: number;
  backend: string;
  runs: number;
  cacheDir: string;
  cores: number;
}): {
  parallel: number;
  trainRunner?: (options: TrainRunOptions) => Promise<TrainRunResult>;
} {
  const { requested, backend, runs, cores } = settings;
  if (requested !== undefined && requested > 1 && backend !== "wasm") {
    throw new Error(
      `--parallel-runs ${requested}: runs train at once only on the wasm backend (here ` +
        `${backend}); fix: drop --parallel-runs, or pass --backend wasm`,
    );
  }
  const parallel = Math.max(
    1,
    Math.min(runs, requested ?? (backend === "wasm" && cores >= 2 ? cores + 1 : 1)),
  );
  if (parallel === 1) return { parallel };
  const threads = Math.max(1, Math.floor(cores / parallel));
  return {
    parallel,
    trainRunner: workerTrainRunner({ cacheDir: settings.cacheDir, backend: "wasm", threads }),
  };
}

/**
 * One progress bar over all runs of a sweep, several of which may train at once: the sum of
 * every run's exam-steps, noted with the runs training now. The bar is made at the first report,
 * sized as that run's exam-steps times the number of runs.
 *
 * @example
 * ```ts
 * import { progressBar } from "../ui/progress.ts";
 * import { sweepProgress } from "./_worker_runner.ts";
 * const progress = sweepProgress((total) => progressBar("sweep (5 runs)", total), 5);
 * // runSweep({ ..., onRun: progress.onRun, onProgress: progress.onProgress });
 * progress.finish();
 * ```
 */
export function sweepProgress(
  makeBar: (total: number) => ProgressBar,
  runs: number,
  onFraction?: (fraction: number) => void,
): {
  onRun: (run: { fractionPercent: number; fold: number; index: number }) => void;
  onProgress: (done: number, total: number, run: { index: number }) => void;
  finish: () => void;
} {
  let bar: ProgressBar | null = null;
  let barTotal = 0;
  const doneByRun = new Map<number, number>();
  const training = new Map<number, string>();
  return {
    onRun: ({ fractionPercent, fold, index }) =>
      training.set(index, `${fractionPercent} % fold ${fold}`),
    onProgress: (done, total, { index }) => {
      barTotal ||= runs * total;
      bar ??= makeBar(barTotal);
      doneByRun.set(index, done);
      const sum = [...doneByRun.values()].reduce((a, b) => a + b, 0);
      bar.update(sum, `training ${[...training.values()].join(", ")}`);
      onFraction?.(Math.min(1, sum / barTotal));
      if (done === total) training.delete(index);
    },
    finish: () => bar?.done(),
  };
}
