/**
 * The operating point of a trained run per label fraction, from its own predictions on the
 * threshold split (public test set by default, method.md Evaluation): the fold-averaged AUC and
 * Youden's threshold (positive when score >= threshold), over exactly the folds an ensemble
 * uses. `chooseOperatingPoint` picks the fraction with the best AUC.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPredictions } from "../train/predictions_table.ts";
 * import { chooseOperatingPoint, operatingPoints } from "./operating_point.ts";
 * const points = operatingPoints(readPredictions("data-manifests/example-predictions.csv"));
 * const best = chooseOperatingPoint(points); // highest public AUC
 * assert.ok(points.every((p) => p.auc! <= best.auc!));
 * ```
 */
import { auc, youdenThreshold } from "../stats/mod.ts";
import { averageFolds } from "./fold_average.ts";
import type { PredictionsTable, Split } from "../train/predictions_table.ts";
import type { PredictThreshold } from "./output.ts";

/** AUC and Youden threshold of one label fraction on the threshold split. */
export interface OperatingPoint {
  fractionPercent: number;
  /** The split the numbers come from (public by default). */
  split: Split;
  /** Folds averaged per exam. */
  folds: number[];
  exams: number;
  positives: number;
  /** Fold-averaged AUC; null when the split lacks a class. */
  auc: number | null;
  /** Youden threshold; null when the split lacks a class. */
  threshold: number | null;
  sensitivity: number | null;
  specificity: number | null;
  /** Why the numbers are null, else null. */
  note: string | null;
}

/**
 * One operating point per fraction present in `table` on `split` (default public), averaging
 * the `folds` given (default: every fold present). Throws a `PredictionsError` when exams of a
 * fraction carry different folds.
 *
 * @example
 * ```ts
 * import { parsePredictions } from "../train/predictions_table.ts";
 * import { operatingPoints } from "./operating_point.ts";
 * const table = parsePredictions({
 *   exam_id: ["a", "b", "c", "d"], split: ["public", "public", "public", "public"],
 *   label: ["0", "0", "1", "1"], fraction: ["0", "0", "0", "0"], fold: ["0", "0", "0", "0"],
 *   score: ["0.1", "0.4", "0.35", "0.8"],
 * }, 4, "inline.csv");
 * operatingPoints(table)[0]; // { fractionPercent: 0, auc: 0.75, threshold: 0.225, ... }
 * ```
 */
export function operatingPoints(
  table: PredictionsTable,
  options: { split?: Split; folds?: readonly number[] } = {},
): OperatingPoint[] {
  const split = options.split ?? "public";
  const folds = options.folds;
  const rows = table.rows.filter((row) =>
    row.split === split && (folds === undefined || folds.includes(row.fold))
  );
  const scores = averageFolds({ ...table, rows }).find((s) => s.split === split);
  if (!scores) return [];
  return scores.fractions.map((fractionPercent) => {
    const values = scores.scores.get(fractionPercent)!;
    const positives = scores.labels.reduce((a, b) => a + b, 0);
    const base = {
      fractionPercent,
      split,
      folds: scores.folds.get(fractionPercent)!,
      exams: values.length,
      positives,
    };
    if (positives === 0 || positives === values.length) {
      return {
        ...base,
        auc: null,
        threshold: null,
        sensitivity: null,
        specificity: null,
        note: `the ${split} split holds ${
          positives === 0 ? "no positive" : "no negative"
        } exam: no AUC and no threshold`,
      };
    }
    const youden = youdenThreshold(values, scores.labels);
    return {
      ...base,
      auc: auc(values, scores.labels),
      threshold: youden.threshold,
      sensitivity: youden.sensitivity,
      specificity: youden.specificity,
      note: null,
    };
  });
}

/**
 * The operating point with the highest AUC (ties: the smaller fraction, fewer labels). Throws
 * when no point has an AUC.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseOperatingPoint, type OperatingPoint } from "./operating_point.ts";
 * const point = (fractionPercent: number, auc: number): OperatingPoint => ({
 *   fractionPercent, split: "public", folds: [0], exams: 10, positives: 4, auc, threshold: 0.5,
 *   sensitivity: 0.75, specificity: 0.8, note: null,
 * });
 * assert.equal(chooseOperatingPoint([point(0, 0.8), point(27.5, 0.9), point(100, 0.9)]).fractionPercent, 27.5);
 * ```
 */
export function chooseOperatingPoint(points: readonly OperatingPoint[]): OperatingPoint {
  const scored = points.filter((p) => p.auc !== null);
  if (scored.length === 0) {
    throw new Error(
      `no fraction has an AUC on the threshold split (${
        points.map((p) => p.note).find((n) => n) ?? "no predictions on it"
      }); fix: pass --fraction to choose one`,
    );
  }
  return scored.reduce((best, p) =>
    p.auc! > best.auc! || (p.auc === best.auc && p.fractionPercent < best.fractionPercent)
      ? p
      : best
  );
}

/**
 * The threshold a fold ensemble calls with: Youden's threshold of its fraction over exactly its
 * folds, from the run's operating points (`points`, or the reason there are none); null with
 * the reason in `note` when there is none (no predictions for those folds, a split with one
 * class, or Youden's J of 0: no threshold beats chance).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { ensembleThreshold } from "./operating_point.ts";
 * const none = ensembleThreshold("runs/x/predictions.csv is missing", 27.5, [0]);
 * assert.deepEqual(none, { threshold: null, note: "runs/x/predictions.csv is missing" });
 * ```
 */
export function ensembleThreshold(
  points: readonly OperatingPoint[] | string,
  fractionPercent: number,
  folds: readonly number[],
): { threshold: PredictThreshold | null; note: string | null } {
  if (typeof points === "string") return { threshold: null, note: points };
  const point = points.find((p) => p.fractionPercent === fractionPercent);
  if (point === undefined) {
    return {
      threshold: null,
      note: `no public predictions for fraction ${fractionPercent} % and folds ${folds.join(", ")}`,
    };
  }
  // Youden's J = 0 (no threshold beats chance) gives -Infinity: no usable threshold.
  if (point.threshold === null || !Number.isFinite(point.threshold)) {
    return {
      threshold: null,
      note: point.note ??
        `Youden's J is 0 on the ${point.split} split (no threshold beats chance): no call`,
    };
  }
  return {
    threshold: {
      value: point.threshold,
      split: point.split,
      folds: point.folds,
      auc: point.auc!,
      sensitivity: point.sensitivity!,
      specificity: point.specificity!,
    },
    note: null,
  };
}
