/**
 * The evaluation of fold-averaged predictions (method.md, Evaluation): per label fraction a
 * Youden threshold picked on the threshold split (subset "all") and applied unchanged to every
 * split and subset; per (split, subset, fraction) the DeLong AUC with its CI, the confusion
 * counts at that threshold, accuracy / sensitivity / specificity / PPV / NPV with binomial CIs,
 * and the paired DeLong p-value against the reference fraction, Holm-adjusted over the
 * fractions of the same split and subset.
 *
 * Subsets: `all`; `central` = central positives + all negatives; `peripheral` likewise.
 *
 * @example
 * ```ts
 * import { readPredictions } from "../train/predictions_table.ts";
 * import { averageFolds } from "../predict/fold_average.ts";
 * import { evaluateSplits } from "./evaluation.ts";
 * const splits = averageFolds(readPredictions("data-manifests/example-predictions.csv"));
 * const result = evaluateSplits(splits, {
 *   thresholdSplit: "public", referenceFraction: 100, ciMethod: "wilson",
 * });
 * result.metrics.rows[0].auc; // AUC of the first (split, subset, fraction)
 * ```
 */
import { z } from "zod";
import {
  CI_METHODS,
  type CiMethod,
  confusionCounts,
  delongAuc,
  delongPairedTest,
  diagnosticMetrics,
  holmAdjust,
  youdenThreshold,
} from "../stats/mod.ts";
import type { SplitScores } from "../predict/fold_average.ts";
import { PredictionsError, type Split, SPLITS } from "../train/predictions_table.ts";

/** Evaluation subsets. */
export const SUBSETS = ["all", "central", "peripheral"] as const;
/** An evaluation subset. */
export type Subset = (typeof SUBSETS)[number];

const nullableNumber = z.number().nullable();

/** One row of metrics.json / metrics.csv: a (split, subset, fraction). */
export const metricsRowSchema = z.object({
  split: z.enum(SPLITS),
  subset: z.enum(SUBSETS),
  fraction: z.number(),
  n: z.number().int(),
  n_pos: z.number().int(),
  auc: z.number(),
  auc_ci_low: nullableNumber,
  auc_ci_high: nullableNumber,
  auc_var: nullableNumber,
  threshold: nullableNumber,
  tp: z.number().int(),
  fp: z.number().int(),
  tn: z.number().int(),
  fn: z.number().int(),
  accuracy: nullableNumber,
  accuracy_ci_low: nullableNumber,
  accuracy_ci_high: nullableNumber,
  sensitivity: nullableNumber,
  sensitivity_ci_low: nullableNumber,
  sensitivity_ci_high: nullableNumber,
  specificity: nullableNumber,
  specificity_ci_low: nullableNumber,
  specificity_ci_high: nullableNumber,
  ppv: nullableNumber,
  ppv_ci_low: nullableNumber,
  ppv_ci_high: nullableNumber,
  npv: nullableNumber,
  npv_ci_low: nullableNumber,
  npv_ci_high: nullableNumber,
  p_vs_reference: nullableNumber,
  p_vs_reference_holm: nullableNumber,
});
/**
 * One metrics row. Values that are undefined are null: PPV with no positive call, CIs with
 * fewer than 2 exams of a class, p for the reference fraction itself, an infinite threshold.
 */
export type MetricsRow = z.infer<typeof metricsRowSchema>;

/** The metrics.json file. */
export const metricsFileSchema = z.object({
  threshold_split: z.enum(SPLITS),
  reference_fraction: z.number(),
  ci_method: z.enum(CI_METHODS),
  rows: z.array(metricsRowSchema),
});
/** The content of metrics.json. */
export type MetricsFile = z.infer<typeof metricsFileSchema>;

/** The column order of metrics.csv (and the keys of every row). */
export const METRICS_COLUMNS = Object.keys(metricsRowSchema.shape) as (keyof MetricsRow)[];

/** What to evaluate and how. */
export interface EvaluationConfig {
  thresholdSplit: Split;
  referenceFraction: number;
  ciMethod: CiMethod;
  /** Confidence level of every interval (default 0.95). */
  level?: number;
  /** The predictions file, named in error messages. */
  source?: string;
}

/** The metrics plus the per-fraction thresholds and the (split, subset) pairs left out. */
export interface Evaluation {
  metrics: MetricsFile;
  /** fraction -> Youden threshold chosen on the threshold split. */
  thresholds: Map<number, number>;
  /** Subsets not evaluated, each with its reason. */
  skipped: string[];
  /** Paired DeLong p-values between every two fractions, per evaluated split and subset. */
  pairwise: PairwiseDelong[];
  /** [row] F1 score of `metrics.rows[row]` (for the tables; null when undefined). */
  f1: (number | null)[];
}

/** Raw two-sided paired DeLong p-values between the fractions of one split and subset. */
export interface PairwiseDelong {
  split: Split;
  subset: Subset;
  /** Fractions, ascending. */
  fractions: number[];
  /** [fraction, fraction] symmetric p-values; null on the diagonal and where undefined. */
  p: (number | null)[][];
}

/**
 * The exam indices of `subset` within a split, or a reason why the subset cannot be formed.
 *
 * @example
 * ```ts
 * // split = averageFolds(table)[0]
 * // subsetIndices(split, "central"): Int32Array of central positives + all negatives
 * ```
 */
export function subsetIndices(split: SplitScores, subset: Subset): Int32Array | string {
  if (subset !== "all" && !split.subtypesKnown) {
    return `split ${split.split}: no subtype for its positive exams, so no ${subset} subset`;
  }
  const keep: number[] = [];
  for (let e = 0; e < split.examIds.length; e++) {
    if (subset === "all" || split.labels[e] === 0 || split.subtypes[e] === subset) keep.push(e);
  }
  let positives = 0;
  for (const e of keep) positives += split.labels[e];
  if (positives === 0 || positives === keep.length) {
    return `split ${split.split}, subset ${subset}: only ${
      positives === 0 ? "negative" : "positive"
    } exams (${keep.length}), so no AUC`;
  }
  return Int32Array.from(keep);
}

/**
 * Gather `values` at `indices` into a new array: [indices.length].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(Array.from(pick([10, 20, 30], Int32Array.of(2, 0))), [30, 10]);
 * ```
 */
export function pick(values: ArrayLike<number>, indices: Int32Array): Float64Array {
  const out = new Float64Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = values[indices[i]];
  return out;
}

/**
 * Evaluate every split, subset and fraction. Throws a `PredictionsError` when the threshold
 * split is missing, a split lacks the reference fraction, or a fraction has no threshold.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { averageFolds } from "../predict/fold_average.ts";
 * import { readPredictions } from "../train/predictions_table.ts";
 * const splits = averageFolds(readPredictions("tests/testdata/report/small_predictions.csv"));
 * const { metrics } = evaluateSplits(splits, {
 *   thresholdSplit: "public", referenceFraction: 100, ciMethod: "wilson",
 * });
 * assert.equal(metrics.rows.length, 18); // 2 splits x 3 subsets x 3 fractions
 * ```
 */
export function evaluateSplits(
  splits: readonly SplitScores[],
  config: EvaluationConfig,
): Evaluation {
  const level = config.level ?? 0.95;
  const { thresholdSplit, referenceFraction, ciMethod } = config;
  const fail = (message: string) =>
    new PredictionsError(config.source ? `${config.source}: ${message}` : message);
  const byName = new Map(splits.map((s) => [s.split, s]));
  const tuning = byName.get(thresholdSplit);
  if (!tuning) {
    throw fail(
      `threshold split '${thresholdSplit}' has no rows (splits present: ${
        splits.map((s) => s.split).join(", ")
      }); fix: add its predictions or pass --threshold-split with one of those`,
    );
  }
  for (const split of splits) {
    if (!split.scores.has(referenceFraction)) {
      throw fail(
        `split ${split.split} has no rows at the reference fraction ${referenceFraction} (its fractions: ${
          split.fractions.join(", ")
        }), so its fractions have nothing to be compared against; fix: pass --reference-fraction with one of those or add the reference fraction's predictions`,
      );
    }
    for (const fraction of split.fractions) {
      if (!tuning.scores.has(fraction)) {
        throw fail(
          `fraction ${fraction} has rows on split ${split.split} but none on the threshold split ${thresholdSplit}, so it has no threshold; fix: add its ${thresholdSplit} predictions or drop the fraction`,
        );
      }
    }
  }
  const tuningAll = subsetIndices(tuning, "all");
  if (typeof tuningAll === "string") {
    throw fail(`${tuningAll}; fix: the threshold split needs both classes`);
  }
  const thresholds = new Map<number, number>();
  for (const fraction of tuning.fractions) {
    thresholds.set(
      fraction,
      youdenThreshold(tuning.scores.get(fraction)!, tuning.labels).threshold,
    );
  }
  const rows: MetricsRow[] = [];
  const f1: (number | null)[] = [];
  const skipped: string[] = [];
  const pairwise: PairwiseDelong[] = [];
  for (const split of splits) {
    for (const subset of SUBSETS) {
      const indices = subsetIndices(split, subset);
      if (typeof indices === "string") {
        skipped.push(indices);
        continue;
      }
      const evaluated = evaluateSubset(split, subset, indices, thresholds, config, level);
      rows.push(...evaluated.rows);
      f1.push(...evaluated.f1);
      pairwise.push(pairwiseDelong(split, subset, indices));
    }
  }
  return {
    metrics: {
      threshold_split: thresholdSplit,
      reference_fraction: referenceFraction,
      ci_method: ciMethod,
      rows,
    },
    thresholds,
    skipped,
    pairwise,
    f1,
  };
}

/**
 * Paired DeLong p-values between every two fractions of `split` on the exams `indices`.
 *
 * @example
 * ```ts
 * // pairwiseDelong(split, "all", subsetIndices(split, "all") as Int32Array).p[0][1]
 * // = paired DeLong p of the first two fractions
 * ```
 */
export function pairwiseDelong(
  split: SplitScores,
  subset: Subset,
  indices: Int32Array,
): PairwiseDelong {
  const labels = pick(split.labels, indices);
  const scores = split.fractions.map((f) => pick(split.scores.get(f)!, indices));
  const k = split.fractions.length;
  const p: (number | null)[][] = Array.from({ length: k }, () => new Array(k).fill(null));
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      p[a][b] = p[b][a] = finite(delongPairedTest(scores[a], scores[b], labels).p);
    }
  }
  return { split: split.split, subset, fractions: [...split.fractions], p };
}

function evaluateSubset(
  split: SplitScores,
  subset: Subset,
  indices: Int32Array,
  thresholds: Map<number, number>,
  config: EvaluationConfig,
  level: number,
): { rows: MetricsRow[]; f1: (number | null)[] } {
  const labels = pick(split.labels, indices);
  let nPos = 0;
  for (const label of labels) nPos += label;
  const reference = pick(split.scores.get(config.referenceFraction)!, indices);
  const rows: MetricsRow[] = [];
  const f1: (number | null)[] = [];
  for (const fraction of split.fractions) {
    const scores = pick(split.scores.get(fraction)!, indices);
    const roc = delongAuc(scores, labels, { level, clip: true });
    const threshold = thresholds.get(fraction)!;
    const counts = confusionCounts(scores, labels, threshold);
    const m = diagnosticMetrics(counts, config.ciMethod, level);
    f1.push(finite(m.f1));
    const p = fraction === config.referenceFraction
      ? null
      : delongPairedTest(scores, reference, labels).p;
    rows.push({
      split: split.split,
      subset,
      fraction,
      n: labels.length,
      n_pos: nPos,
      auc: roc.auc,
      auc_ci_low: finite(roc.low),
      auc_ci_high: finite(roc.high),
      auc_var: finite(roc.variance),
      threshold: finite(threshold),
      tp: counts.tp,
      fp: counts.fp,
      tn: counts.tn,
      fn: counts.fn,
      accuracy: finite(m.accuracy.estimate),
      accuracy_ci_low: finite(m.accuracy.low),
      accuracy_ci_high: finite(m.accuracy.high),
      sensitivity: finite(m.sensitivity.estimate),
      sensitivity_ci_low: finite(m.sensitivity.low),
      sensitivity_ci_high: finite(m.sensitivity.high),
      specificity: finite(m.specificity.estimate),
      specificity_ci_low: finite(m.specificity.low),
      specificity_ci_high: finite(m.specificity.high),
      ppv: finite(m.ppv.estimate),
      ppv_ci_low: finite(m.ppv.low),
      ppv_ci_high: finite(m.ppv.high),
      npv: finite(m.npv.estimate),
      npv_ci_low: finite(m.npv.low),
      npv_ci_high: finite(m.npv.high),
      p_vs_reference: p === null ? null : finite(p),
      p_vs_reference_holm: null,
    });
  }
  // Holm over this split+subset's family of comparisons; undefined p-values stay null.
  const adjusted = holmAdjust(rows.map((r) => r.p_vs_reference));
  rows.forEach((r, i) => (r.p_vs_reference_holm = finite(adjusted[i])));
  return { rows, f1 };
}

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
