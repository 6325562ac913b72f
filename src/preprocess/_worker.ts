/**
 * Worker entry of the preprocess pool: receives `{ job, settings }`, prepares the exam and
 * posts back its {@link JobOutcome}.
 *
 * @example
 * ```ts ignore
 * const worker = new Worker(new URL("./_worker.ts", import.meta.url), { type: "module" });
 * ```
 */
import { type JobSettings, runExamJob } from "./job.ts";
import type { ExamJob } from "./manifest.ts";

const scope = self as unknown as {
  onmessage: (event: MessageEvent<{ job: ExamJob; settings: JobSettings }>) => void;
  postMessage: (message: unknown) => void;
};

scope.onmessage = async (event) => {
  scope.postMessage(await runExamJob(event.data.job, event.data.settings));
};
