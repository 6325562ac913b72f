/**
 * The plain data behind the figures: AUC-vs-fraction panels from the metrics rows, and ROC
 * curves per fraction from the fold-averaged scores.
 *
 * @example
 * ```ts
 * import { aucPanels, rocSeries } from "./curves.ts";
 * // evaluation = evaluateSplits(...), splits = averageFolds(...)
 * // aucFractionFigure(aucPanels(evaluation.metrics));
 * // rocFigure(rocSeries(splits[1], "all") as RocSeries[], "private", "all");
 * ```
 */
import { auc, rocCurve } from "../stats/mod.ts";
import { type MetricsFile, pick, type Subset, subsetIndices } from "./evaluation.ts";
import type { AucPanel, RocSeries } from "./figures.ts";
import type { SplitScores } from "../predict/fold_average.ts";
import { type Split, SPLITS } from "../train/predictions_table.ts";

/**
 * The splits shown in evaluation figures: every split but the threshold split, or the
 * threshold split alone when it is the only one.
 *
 * @example
 * ```ts
 * // evaluationSplits(metrics) -> ["private", "external"] when the threshold split is public
 * ```
 */
export function evaluationSplits(metrics: MetricsFile): Split[] {
  const present = SPLITS.filter((s) => metrics.rows.some((r) => r.split === s));
  const others = present.filter((s) => s !== metrics.threshold_split);
  return others.length > 0 ? others : present;
}

/**
 * One AUC panel per (split, subset) of `splits` with rows, in split then subset order.
 *
 * @example
 * ```ts
 * // aucFractionFigure(aucPanels(evaluation.metrics))
 * ```
 */
export function aucPanels(
  metrics: MetricsFile,
  splits: readonly Split[] = evaluationSplits(metrics),
): AucPanel[] {
  const panels: AucPanel[] = [];
  for (const split of splits) {
    for (const subset of ["all", "central", "peripheral"] as const) {
      const rows = metrics.rows.filter((r) => r.split === split && r.subset === subset);
      if (rows.length === 0) continue;
      panels.push({
        split,
        subset,
        points: rows.map((r) => ({
          fraction: r.fraction,
          auc: r.auc,
          low: r.auc_ci_low,
          high: r.auc_ci_high,
        })),
      });
    }
  }
  return panels;
}

/**
 * ROC curves of every fraction of `split` on `subset`, or the reason the subset is empty.
 *
 * @example
 * ```ts
 * // const series = rocSeries(split, "all");
 * // if (typeof series !== "string") rocFigure(series, split.split, "all");
 * ```
 */
export function rocSeries(split: SplitScores, subset: Subset): RocSeries[] | string {
  const indices = subsetIndices(split, subset);
  if (typeof indices === "string") return indices;
  const labels = pick(split.labels, indices);
  return split.fractions.map((fraction) => {
    const scores = pick(split.scores.get(fraction)!, indices);
    const curve = rocCurve(scores, labels);
    return { fraction, auc: auc(scores, labels), fpr: curve.fpr, tpr: curve.tpr };
  });
}
