/**
 * Prepare every included exam of a cleaning manifest into a prepared-exam cache with a pool of
 * Deno Workers: exams already prepared with the same settings are skipped (a rerun resumes),
 * exams of a cache made with other settings are rebuilt, a failing exam is recorded with its
 * reason (index.json, failures.csv) and the rest go on. Writes the index and run.json.
 *
 * @example
 * ```ts ignore
 * import { preprocessManifest } from "./run.ts";
 * const summary = await preprocessManifest({
 *   manifest: "data-manifests/tiny", data: "/tmp/tiny/train", out: "cache/tiny",
 *   size: [32, 64, 64], workers: 2,
 * }, { onProgress: (done, total) => console.log(done, total) });
 * console.log(summary.prepared, summary.skipped, summary.failed);
 * ```
 */
import { join } from "node:path";
import { z } from "zod";
import { pathExists, runRecord, writeJsonAtomic } from "../io/mod.ts";
import {
  type CacheEntry,
  type CacheFailure,
  currentEntry,
  initCache,
  writeCacheIndex,
} from "./cache.ts";
import { type JobOutcome, type JobSettings, maskPath, runExamJob } from "./job.ts";
import { type ExamJob, readPreprocessJobs } from "./manifest.ts";
import { type PreprocessConfig, preprocessConfigSchema } from "./prepare.ts";

/** Options of a preprocessing run (the CLI's flags). */
export const preprocessRunSchema = z.object({
  /** Manifest folder holding exams.csv and slices.csv. */
  manifest: z.string().min(1),
  /** Folder holding <study_uid>/<series_uid>/*.dcm. */
  data: z.string().min(1),
  /** Cache folder to write. */
  out: z.string().min(1),
  /** Output [D, H, W] (default 184 x 256 x 256, as in preprocessing's settings). */
  size: preprocessConfigSchema.shape.size,
  /** Worker count (0 = prepare in this thread). */
  workers: z.number().int().min(0).max(64).default(1),
  /** Write each exam's lung mask as NIfTI under <out>/masks/. */
  saveMasks: z.boolean().default(false),
  /** Lung-mask in-plane stride (0 = automatic; see lung_mask.ts). */
  maskStride: z.number().int().min(0).max(8).default(0),
});
/** Options of a preprocessing run. */
export type PreprocessRun = z.input<typeof preprocessRunSchema>;

/** What a run did. */
export interface PreprocessSummary {
  total: number;
  prepared: number;
  skipped: number;
  failed: number;
  /** The cache held exams of other settings (they were rebuilt). */
  configChanged: boolean;
  /** Prepared exams with positive source slices outside their lung VOI. */
  examsWithPositivesOutsideVoi: number;
  excludedInManifest: Record<string, number>;
  failures: CacheFailure[];
  seconds: number;
}

/**
 * Run preprocessing for a manifest; see the module comment.
 *
 * @example
 * ```ts ignore
 * import { preprocessManifest } from "./run.ts";
 * await preprocessManifest({ manifest: "m", data: "d", out: "cache/x", workers: 0 });
 * ```
 */
export async function preprocessManifest(
  options: PreprocessRun,
  hooks: { onProgress?: (done: number, total: number) => void } = {},
): Promise<PreprocessSummary> {
  const start = performance.now();
  const run = preprocessRunSchema.parse(options);
  const config: PreprocessConfig = preprocessConfigSchema.parse({
    size: run.size,
    mask: { stride: run.maskStride },
  });
  const { jobs, excluded } = readPreprocessJobs(run.manifest, run.data);
  const cache = await initCache(run.out, config);
  const settings: JobSettings = {
    cacheDir: run.out,
    config,
    configHash: cache.manifest.configHash,
    saveMasks: run.saveMasks,
  };

  const entries: CacheEntry[] = [];
  const todo: ExamJob[] = [];
  for (const job of jobs) {
    const entry = await currentEntry(run.out, job.facts.examId, settings.configHash);
    const maskMissing = run.saveMasks && !(await pathExists(maskPath(run.out, job.facts.examId)));
    if (entry && !maskMissing) entries.push(entry);
    else todo.push(job);
  }
  const skipped = entries.length;
  const failures: CacheFailure[] = [];
  let done = skipped;
  hooks.onProgress?.(done, jobs.length);
  const collect = (outcome: JobOutcome) => {
    const { seconds: _, ...rest } = outcome;
    if ("reason" in rest) failures.push(rest);
    else entries.push(rest);
    hooks.onProgress?.(++done, jobs.length);
  };
  if (run.workers === 0) {
    for (const job of todo) collect(await runExamJob(job, settings));
  } else {
    await runPool(todo, settings, Math.min(run.workers, Math.max(1, todo.length)), collect);
  }

  entries.sort((a, b) => a.examId.localeCompare(b.examId));
  failures.sort((a, b) => a.examId.localeCompare(b.examId));
  await writeCacheIndex(run.out, { configHash: settings.configHash, exams: entries, failures });
  const summary: PreprocessSummary = {
    total: jobs.length,
    prepared: entries.length - skipped,
    skipped,
    failed: failures.length,
    configChanged: cache.configChanged,
    examsWithPositivesOutsideVoi: entries.filter((e) => e.positivesOutsideVoi > 0).length,
    excludedInManifest: excluded,
    failures,
    seconds: (performance.now() - start) / 1000,
  };
  await writeJsonAtomic(join(run.out, "run.json"), {
    ...runRecord("preprocess", { run, config, configHash: settings.configHash }, null),
    summary: { ...summary, failures: undefined },
  });
  return summary;
}

/** Run jobs on `size` workers; a crashed worker fails its exam and is replaced. */
async function runPool(
  jobs: ExamJob[],
  settings: JobSettings,
  size: number,
  collect: (outcome: JobOutcome) => void,
): Promise<void> {
  if (jobs.length === 0) return;
  let next = 0;
  await new Promise<void>((resolve) => {
    let active = 0;
    const start = () => {
      if (next >= jobs.length) {
        if (active === 0) resolve();
        return;
      }
      const job = jobs[next++];
      const worker = new Worker(new URL("./_worker.ts", import.meta.url), { type: "module" });
      active++;
      let jobStart = performance.now();
      let current: ExamJob | null = job;
      const finish = (outcome: JobOutcome) => {
        collect(outcome);
        current = null;
        if (next < jobs.length) {
          current = jobs[next++];
          jobStart = performance.now();
          worker.postMessage({ job: current, settings });
        } else {
          worker.terminate();
          active--;
          if (active === 0) resolve();
        }
      };
      worker.onmessage = (event: MessageEvent<JobOutcome>) => finish(event.data);
      worker.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        worker.terminate();
        active--;
        if (current) {
          collect({
            examId: current.facts.examId,
            seriesId: current.facts.seriesId,
            reason: "worker-crashed",
            detail: event.message,
            seconds: (performance.now() - jobStart) / 1000,
          });
        }
        start();
      };
      worker.postMessage({ job, settings });
    };
    for (let i = 0; i < size; i++) start();
  });
}
