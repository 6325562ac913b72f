/**
 * Fold averaging: each exam's probability at a label fraction is the mean over the
 * cross-validation folds' probabilities (method.md, Training). The result holds, per split, the
 * exams in one fixed order (sorted by `exam_id`) so the score arrays of different fractions are
 * paired exam by exam, as the paired DeLong test needs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPredictions } from "../train/predictions_table.ts";
 * import { averageFolds } from "./fold_average.ts";
 * const splits = averageFolds(readPredictions("data-manifests/example-predictions.csv"));
 * const scores = splits.find((s) => s.split === "private")?.scores.get(27.5); // [exam]
 * assert.ok(scores instanceof Float64Array);
 * ```
 */
import {
  PredictionsError,
  type PredictionsTable,
  type Split,
  SPLITS,
  type Subtype,
} from "../train/predictions_table.ts";

/** The fold-averaged scores of one split. */
export interface SplitScores {
  split: Split;
  /** [exam] sorted identifiers. */
  examIds: string[];
  /** [exam] exam label, 0 or 1. */
  labels: Float64Array;
  /** [exam] PE subtype of a positive exam, null for negatives (and when unknown). */
  subtypes: (Subtype | null)[];
  /** True when every positive exam of the split has a subtype (central/peripheral subsets). */
  subtypesKnown: boolean;
  /** Label fractions present, ascending. */
  fractions: number[];
  /** fraction -> [exam] mean probability over folds. */
  scores: Map<number, Float64Array>;
  /**
   * fraction -> the folds averaged (the same for every exam); in the train split, where each
   * exam is predicted out of fold by the run that held its fold out, every fold present.
   */
  folds: Map<number, number[]>;
}

/**
 * Average the folds of every (exam, fraction). Throws a `PredictionsError` when an exam lacks a
 * fraction that others in its split have, when exams of one fraction of a test split have
 * different folds (train-split exams each have their own validation fold), or when only some
 * positives of a split carry a subtype.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPredictions } from "../train/predictions_table.ts";
 * const splits = averageFolds(readPredictions("tests/testdata/report/small_predictions.csv"));
 * assert.deepEqual(splits.map((s) => s.split), ["public", "private"]);
 * ```
 */
export function averageFolds(table: PredictionsTable): SplitScores[] {
  const { rows, file } = table;
  const bySplit = new Map<Split, number[]>();
  for (let i = 0; i < rows.length; i++) {
    const list = bySplit.get(rows[i].split) ?? [];
    list.push(i);
    bySplit.set(rows[i].split, list);
  }
  const result: SplitScores[] = [];
  for (const split of SPLITS) {
    const rowIndices = bySplit.get(split);
    if (!rowIndices) continue;
    const firstRow = new Map<string, number>();
    for (const i of rowIndices) {
      if (!firstRow.has(rows[i].exam_id)) firstRow.set(rows[i].exam_id, i);
    }
    const examIds = [...firstRow.keys()].sort();
    const examIndex = new Map(examIds.map((id, e) => [id, e]));
    const n = examIds.length;
    const sums = new Map<number, Float64Array>();
    const foldLists = new Map<number, number[][]>();
    const rowOf = new Map<number, Int32Array>();
    for (const i of rowIndices) {
      const row = rows[i];
      const e = examIndex.get(row.exam_id)!;
      if (!sums.has(row.fraction)) {
        sums.set(row.fraction, new Float64Array(n));
        foldLists.set(row.fraction, Array.from({ length: n }, () => []));
        rowOf.set(row.fraction, new Int32Array(n).fill(-1));
      }
      sums.get(row.fraction)![e] += row.score;
      foldLists.get(row.fraction)![e].push(row.fold);
      rowOf.get(row.fraction)![e] = i;
    }
    const fractions = [...sums.keys()].sort((a, b) => a - b);
    const scores = new Map<number, Float64Array>();
    const folds = new Map<number, number[]>();
    for (const fraction of fractions) {
      const lists = foldLists.get(fraction)!;
      const anyExam = lists.findIndex((l) => l.length > 0);
      const outOfFold = split === "train";
      const reference = outOfFold
        ? [...new Set(lists.flat())].sort((a, b) => a - b)
        : [...lists[anyExam]].sort((a, b) => a - b);
      const mean = sums.get(fraction)!;
      for (let e = 0; e < n; e++) {
        if (lists[e].length === 0) {
          throw new PredictionsError(
            `${file}: exam '${examIds[e]}' (split ${split}, first at row ${
              firstRow.get(examIds[e])! + 1
            }) has no rows for fraction ${fraction}, which other exams of the split have; fix: give every exam of a split a prediction for every fraction, or drop fraction ${fraction}`,
          );
        }
        const sorted = [...lists[e]].sort((a, b) => a - b);
        if (!outOfFold && sorted.join(",") !== reference.join(",")) {
          throw new PredictionsError(
            `${file}: row ${rowOf.get(fraction)![e] + 1}, column 'fold': exam '${
              examIds[e]
            }' (split ${split}, fraction ${fraction}) has folds ${sorted.join(", ")} but exam '${
              examIds[anyExam]
            }' has folds ${reference.join(", ")}; fix: give every exam the same folds`,
          );
        }
        mean[e] /= lists[e].length;
      }
      scores.set(fraction, mean);
      folds.set(fraction, reference);
    }
    const labels = new Float64Array(n);
    const subtypes: (Subtype | null)[] = new Array(n);
    let positives = 0;
    let typed = 0;
    for (let e = 0; e < n; e++) {
      const row = rows[firstRow.get(examIds[e])!];
      labels[e] = row.label;
      subtypes[e] = row.subtype;
      if (row.label === 1) {
        positives++;
        if (row.subtype !== null) typed++;
      }
    }
    if (typed > 0 && typed < positives) {
      const e = examIds.findIndex((_, k) => labels[k] === 1 && subtypes[k] === null);
      throw new PredictionsError(
        `${file}: row ${firstRow.get(examIds[e])! + 1}, column 'subtype': positive exam '${
          examIds[e]
        }' (split ${split}) has no subtype while ${typed} of ${positives} positives of the split do; fix: give every positive exam of the split central or peripheral, or none of them`,
      );
    }
    result.push({
      split,
      examIds,
      labels,
      subtypes,
      subtypesKnown: positives > 0 && typed === positives,
      fractions,
      scores,
      folds,
    });
  }
  return result;
}
