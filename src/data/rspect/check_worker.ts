/**
 * Worker body of the DICOM check pool: receives `{ id, dir }`, answers `{ id, check }` with
 * the result of `checkDicomSeries` (header scan, geometry checks, decode of every slice), or
 * `{ id, error }` when the folder cannot be read at all.
 *
 * @example
 * ```ts ignore
 * const worker = new Worker(new URL("./check_worker.ts", import.meta.url), { type: "module" });
 * worker.postMessage({ id: 0, dir: "train/1.2/1.2.3" });
 * ```
 */
import { checkDicomSeries, errorMessage } from "../../io/mod.ts";

/** A job sent to the worker. */
export interface CheckJob {
  id: number;
  dir: string;
}

/** The worker global scope, typed for what this worker uses. */
const scope = self as unknown as {
  onmessage: (event: MessageEvent<CheckJob>) => void;
  postMessage(message: unknown): void;
};

scope.onmessage = async (event) => {
  const { id, dir } = event.data;
  try {
    scope.postMessage({ id, check: await checkDicomSeries(dir) });
  } catch (error) {
    scope.postMessage({ id, error: errorMessage(error) });
  }
};
