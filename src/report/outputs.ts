/**
 * Writing an evaluation to a folder: `metrics.json`, `metrics.csv`, `report.md`,
 * `report.html`, and the figures under `figures/` (interactive HTML, PNG, SVG).
 *
 * @example
 * ```ts
 * import { writeEvaluation } from "./outputs.ts";
 * // evaluation = evaluateSplits(splits, config)
 * // const written = await writeEvaluation(evaluation, splits, "out", { source: "preds.csv" });
 * ```
 */
import { join } from "node:path";
import { writeJsonAtomic, writeTextAtomic } from "../io/atomic.ts";
import { aucPanels, evaluationSplits, rocSeries } from "./curves.ts";
import { type Evaluation, METRICS_COLUMNS, type MetricsFile, SUBSETS } from "./evaluation.ts";
import { exportFigures, type ImageFormat, type NamedFigure } from "./export.ts";
import { aucFractionFigure, rocFigure } from "./figures.ts";
import type { SplitScores } from "../predict/fold_average.ts";
import { evaluationReport } from "./tables.ts";

/**
 * metrics.csv: a header of `METRICS_COLUMNS`, one line per row, empty cells for null.
 *
 * @example
 * ```ts
 * // metricsCsv(evaluation.metrics).split("\n")[0] -> "split,subset,fraction,n,..."
 * ```
 */
export function metricsCsv(metrics: MetricsFile): string {
  const lines = [METRICS_COLUMNS.join(",")];
  for (const row of metrics.rows) {
    lines.push(METRICS_COLUMNS.map((c) => (row[c] === null ? "" : String(row[c]))).join(","));
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The evaluation's figures: `auc_by_fraction` (every evaluation split and subset) and
 * `roc_<split>_<subset>` for each of them.
 *
 * @example
 * ```ts
 * // evaluationFigures(evaluation, splits).map((f) => f.name)
 * // -> ["auc_by_fraction", "roc_private_all", ...]
 * ```
 */
export function evaluationFigures(
  evaluation: Evaluation,
  splits: readonly SplitScores[],
): NamedFigure[] {
  const shown = evaluationSplits(evaluation.metrics);
  const figures: NamedFigure[] = [{
    name: "auc_by_fraction",
    figure: aucFractionFigure(aucPanels(evaluation.metrics, shown)),
  }];
  for (const split of splits.filter((s) => shown.includes(s.split))) {
    for (const subset of SUBSETS) {
      const series = rocSeries(split, subset);
      if (typeof series === "string") continue;
      figures.push({
        name: `roc_${split.split}_${subset}`,
        figure: rocFigure(series, split.split, subset),
      });
    }
  }
  return figures;
}

/** What `writeEvaluation` wrote, and why static figures are missing if they are. */
export interface WrittenEvaluation {
  files: string[];
  figureError: string | null;
}

/**
 * Write metrics, report and (unless `figureFormats` is empty and `figures` false) figures into
 * `dir`. `source` names the predictions file in the report.
 *
 * @example
 * ```ts
 * // await writeEvaluation(evaluation, splits, "out", { source: "preds.csv", figures: false });
 * ```
 */
export async function writeEvaluation(
  evaluation: Evaluation,
  splits: readonly SplitScores[],
  dir: string,
  options: { source: string; figures?: boolean; figureFormats?: readonly ImageFormat[] },
): Promise<WrittenEvaluation> {
  const files: string[] = [];
  const put = async (name: string, text: string) => {
    await writeTextAtomic(join(dir, name), text);
    files.push(join(dir, name));
  };
  await writeJsonAtomic(join(dir, "metrics.json"), evaluation.metrics);
  files.push(join(dir, "metrics.json"));
  await put("metrics.csv", metricsCsv(evaluation.metrics));
  const report = evaluationReport(evaluation, options.source);
  await put("report.md", report.markdown);
  await put("report.html", report.html);
  if (options.figures === false) return { files, figureError: null };
  const exported = await exportFigures(
    evaluationFigures(evaluation, splits),
    join(dir, "figures"),
    {
      formats: options.figureFormats,
    },
  );
  return { files: [...files, ...exported.written], figureError: exported.staticError };
}
