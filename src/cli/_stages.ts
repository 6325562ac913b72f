/**
 * Resumable stages of a multi-stage command (the demo): a stage whose marker records the same
 * settings and whose output exists is skipped; a stage that runs (or whose marker is missing or
 * different) reruns every stage after it. Each stage reports progress as a fraction, which feeds
 * one job-wide bar whose ETA follows the measured speed; each marker keeps the settings and the
 * seconds of the run that made the stage's outputs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { join } from "node:path";
 * import { runStages } from "./_stages.ts";
 * const dir = await Deno.makeTempDir();
 * const stage = {
 *   name: "hello", key: { n: 1 }, output: join(dir, "hello.txt"), estimate: 1,
 *   run: async () => { await Deno.writeTextFile(join(dir, "hello.txt"), "hi"); return "wrote it"; },
 * };
 * const options = { markerDir: join(dir, "markers"), log: async (_line: string) => {} };
 * assert.equal((await runStages([stage], options))[0].status, "ran");
 * assert.equal((await runStages([stage], options))[0].status, "complete"); // skipped
 * ```
 */
import { join } from "node:path";
import { z } from "zod";
import { pathExists, readJson, writeJsonAtomic } from "../io/mod.ts";
import { type ProgressBar, progressBar } from "../ui/progress.ts";
import type { StageTiming } from "../report/study_report.ts";

/** A stage's marker: the settings its outputs were made with, and how long that took. */
const stageMarkerSchema = z.object({
  stage: z.string(),
  key: z.string(),
  seconds: z.number(),
  finishedAt: z.string(),
  detail: z.string(),
});
type StageMarker = z.infer<typeof stageMarkerSchema>;

/** Progress of a running stage. */
export interface StageProgress {
  /** Progress of the stage as a fraction in [0, 1] (for the job's ETA). */
  fraction(value: number): void;
  /** A bar with an ETA for a part of the stage. */
  bar(label: string, total: number): ProgressBar;
}

/** One stage: settings that define its outputs, a file that proves them, and the work. */
export interface Stage {
  name: string;
  /** Settings that define the outputs (compared as JSON). */
  key: unknown;
  /** A file that exists once the stage has finished. */
  output: string;
  /** Estimated seconds (weights the stage in the job's progress). */
  estimate: number;
  /** Do the work (resuming whatever is there); returns what was done, in a few words. */
  run(progress: StageProgress, before: readonly StageRecord[]): Promise<string>;
}

/** A stage's timing, plus the seconds it took in this invocation (0 when skipped). */
export interface StageRecord extends StageTiming {
  thisRunSeconds: number;
}

/** Run (or skip) `stages` in order; returns one record per stage. */
export async function runStages(
  stages: readonly Stage[],
  options: { markerDir: string; log: (line: string) => Promise<void> },
): Promise<StageRecord[]> {
  const markerPath = (stage: Stage) => join(options.markerDir, `${stage.name}.json`);
  const markers = new Map<string, StageMarker | null>();
  const pending = new Set<string>();
  for (const stage of stages) {
    const marker = await readMarker(markerPath(stage));
    markers.set(stage.name, marker);
    const current = pending.size === 0 && marker?.key === JSON.stringify(stage.key) &&
      await pathExists(stage.output);
    if (!current) pending.add(stage.name);
  }
  const total = stages.filter((s) => pending.has(s.name)).reduce((t, s) => t + s.estimate, 0);
  if (pending.size > 0) {
    await options.log(
      `stages to run: ${[...pending].join(", ")} (first estimate ${formatMinutes(total)}; ` +
        "the job bar's ETA follows the measured speed)",
    );
  }
  const jobBar = pending.size > 0 ? progressBar("job", Math.max(1, Math.round(total))) : null;
  let doneEstimate = 0;
  const records: StageRecord[] = [];
  for (const [index, stage] of stages.entries()) {
    const title = `stage ${index + 1}/${stages.length} ${stage.name}`;
    const marker = markers.get(stage.name);
    if (!pending.has(stage.name) && marker) {
      await options.log(
        `${title}: complete, skipped (made ${marker.finishedAt} in ${marker.seconds} s)`,
      );
      records.push({
        stage: stage.name,
        status: "complete",
        seconds: marker.seconds,
        detail: marker.detail,
        thisRunSeconds: 0,
      });
      continue;
    }
    await options.log(`${title}: running`);
    const started = performance.now();
    const detail = await stage.run({
      fraction: (value) =>
        jobBar?.update(Math.round(doneEstimate + stage.estimate * Math.min(1, value))),
      bar: (label, barTotal) => progressBar(label, barTotal),
    }, records);
    const seconds = Number(((performance.now() - started) / 1000).toFixed(1));
    doneEstimate += stage.estimate;
    jobBar?.update(Math.round(doneEstimate), `${stage.name} done`);
    await writeJsonAtomic(
      markerPath(stage),
      {
        stage: stage.name,
        key: JSON.stringify(stage.key),
        seconds,
        finishedAt: new Date().toISOString(),
        detail,
      } satisfies StageMarker,
    );
    await options.log(`${title}: done in ${seconds} s: ${detail}`);
    records.push({ stage: stage.name, status: "ran", seconds, detail, thisRunSeconds: seconds });
  }
  jobBar?.done();
  return records;
}

/** A marker, or null when absent or unreadable (the stage then reruns). */
function readMarker(path: string): Promise<StageMarker | null> {
  return readJson(path, stageMarkerSchema, "the stage reruns").catch(() => null);
}

function formatMinutes(seconds: number): string {
  return seconds < 90 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`;
}
