/**
 * The operating threshold for "detected" in the explainability check: Youden's J on the public
 * test split of one run's own predictions (as the evaluation chooses it), or a fallback when
 * the run has no usable public predictions (no file, no rows, one class only).
 *
 * @example
 * ```ts ignore
 * import { runThreshold } from "./threshold.ts";
 * const t = runThreshold("runs/demo/fraction-27.5/fold-0/predictions.csv");
 * console.log(t.threshold, t.source); // 0.41 "Youden's J on 120 public exams"
 * ```
 */
import { existsSync } from "node:fs";
import { operatingPoints } from "../predict/operating_point.ts";
import { readPredictions, type Split } from "../train/predictions_table.ts";

/** A threshold and where it came from. */
export interface RunThreshold {
  threshold: number;
  source: string;
}

/**
 * Youden's threshold on the `split` rows of a run's predictions file (one label fraction), as
 * `operatingPoints` chooses it for the evaluation; `fallback` (with the reason in `source`) when
 * that is impossible.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runThreshold } from "./threshold.ts";
 * assert.equal(runThreshold("missing.csv").source, "fallback 0.5: missing.csv does not exist");
 * ```
 */
export function runThreshold(path: string, split: Split = "public", fallback = 0.5): RunThreshold {
  const use = (reason: string) => ({
    threshold: fallback,
    source: `fallback ${fallback}: ${reason}`,
  });
  if (!existsSync(path)) return use(`${path} does not exist`);
  const points = operatingPoints(readPredictions(path), { split });
  if (points.length > 1) {
    return use(`${path} holds ${points.length} label fractions on ${split}, one expected`);
  }
  const point = points[0];
  if (point?.threshold == null) return use(`${path} has no ${split} exams of both classes`);
  if (!Number.isFinite(point.threshold)) {
    return use(`Youden's J on ${split} gave ${point.threshold}`);
  }
  return { threshold: point.threshold, source: `Youden's J on ${point.exams} ${split} exams` };
}
