/**
 * `explain.json`, the record of an explainability check over several label fractions, written by
 * `deno task explain` and notebook 05 alike: the settings, the per-fraction summaries at voxel
 * and slice level, and per fraction its run, threshold, every positive exam's numbers, the
 * exams left out and the positives not detected (with the reason).
 *
 * @example
 * ```ts ignore
 * import { writeJsonAtomic } from "../io/mod.ts";
 * import { explainFile } from "./explain_file.ts";
 * await writeJsonAtomic("out/explain.json", explainFile({ fold: 0 }, checked));
 * ```
 */
import { type MassLevel, type MassPoint, massPoints, summariseMass } from "./mass_summary.ts";
import type { ExplainRunResult } from "./phantom_truth.ts";
import type { RunThreshold } from "./threshold.ts";

/** One label fraction's check: its run's result and the threshold "detected" used. */
export interface ExplainedFraction {
  fraction: number;
  threshold: RunThreshold;
  result: ExplainRunResult;
}

/**
 * The points of every fraction's detected exams at `level`, fraction by fraction.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { explainedPoints } from "./explain_file.ts";
 * assert.deepEqual(explainedPoints([], "voxel"), []);
 * ```
 */
export function explainedPoints(
  fractions: readonly ExplainedFraction[],
  level: MassLevel,
): MassPoint[] {
  return fractions.flatMap(({ fraction, result }) => massPoints(fraction, result.exams, level));
}

/**
 * The content of `explain.json` for `fractions`, with `settings` recorded as given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { explainFile } from "./explain_file.ts";
 * const file = explainFile({ fold: 0 }, []);
 * assert.deepEqual(Object.keys(file), ["settings", "summary", "sliceSummary", "fractions"]);
 * ```
 */
export function explainFile(settings: unknown, fractions: readonly ExplainedFraction[]) {
  return {
    settings,
    summary: summariseMass(explainedPoints(fractions, "voxel")),
    sliceSummary: summariseMass(explainedPoints(fractions, "slice")),
    fractions: fractions.map(({ fraction, threshold, result }) => ({
      fraction,
      runDir: result.runDir,
      epoch: result.epoch,
      threshold,
      exams: result.exams,
      excluded: result.excluded,
      notDetected: result.exams.filter((e) => !e.detected).map((e) => ({
        examId: e.examId,
        reason: `score ${e.score.toFixed(3)} below the threshold ${threshold.threshold.toFixed(3)}`,
      })),
    })),
  };
}
