/**
 * Worker entry of the dataset generator: receives `{ seed, profile, plan, out }`, generates and
 * writes that exam and its progress record, and answers `{ index }` or `{ index, error }`.
 *
 * @example
 * ```ts ignore
 * const worker = new Worker(new URL("./exam_worker.ts", import.meta.url).href, { type: "module" });
 * ```
 */
/// <reference lib="deno.worker" />
import { phantomProfile, type ProfileName } from "./profile.ts";
import type { ExamPlan } from "./schedule.ts";
import { produceExam } from "./produce.ts";
import { errorMessage } from "../../io/errors.ts";

/** One job of the worker. */
export interface ExamJob {
  seed: number;
  profile: ProfileName;
  plan: ExamPlan;
  out: string;
  /** Leave the clots out of the image (SynthSettings.eraseClots). */
  eraseClots: boolean;
}

self.onmessage = async (event: MessageEvent<ExamJob>) => {
  const job = event.data;
  try {
    await produceExam(job.out, job.seed, phantomProfile(job.profile), job.plan, job.eraseClots);
    self.postMessage({ index: job.plan.index });
  } catch (error) {
    self.postMessage({
      index: job.plan.index,
      error: errorMessage(error),
    });
  }
};
