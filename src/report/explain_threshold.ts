/**
 * The operating threshold for "detected" in the explainability check: Youden's J on the public
 * test split of one run's own predictions (as the evaluation chooses it), or a fallback when
 * the run has no usable public predictions (no file, no rows, one class only).
 *
 * @example
 * ```ts
 * import { runThreshold } from "./explain_threshold.ts";
 * const t = runThreshold("runs/demo/fraction-27.5/fold-0/predictions.csv");
 * console.log(t.threshold, t.source); // 0.41 "Youden's J on 120 public exams"
 * ```
 */
import { existsSync } from "node:fs";
import { youdenThreshold } from "../stats/mod.ts";
import { readPredictions } from "./predictions.ts";

/** A threshold and where it came from. */
export interface RunThreshold {
  threshold: number;
  source: string;
}

/**
 * Youden's threshold on the `split` rows of a predictions file; `fallback` (with the reason in
 * `source`) when that is impossible.
 *
 * @example
 * ```ts
 * import { runThreshold } from "./explain_threshold.ts";
 * runThreshold("missing.csv").source; // "fallback 0.5: missing.csv does not exist"
 * ```
 */
export function runThreshold(path: string, split = "public", fallback = 0.5): RunThreshold {
  const use = (reason: string) => ({
    threshold: fallback,
    source: `fallback ${fallback}: ${reason}`,
  });
  if (!existsSync(path)) return use(`${path} does not exist`);
  const rows = readPredictions(path).rows.filter((r) => r.split === split);
  const positives = rows.filter((r) => r.label === 1).length;
  if (positives === 0 || positives === rows.length) {
    return use(`${path} has no ${split} exams of both classes`);
  }
  const { threshold } = youdenThreshold(rows.map((r) => r.score), rows.map((r) => r.label));
  if (!Number.isFinite(threshold)) return use(`Youden's J on ${split} gave ${threshold}`);
  return { threshold, source: `Youden's J on ${rows.length} ${split} exams` };
}
