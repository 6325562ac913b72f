/**
 * Tables in the paper's layout (Tables 1-2): per split and subset one row per label fraction
 * with AUC (95 % CI), the paired DeLong p-value against the reference fraction (raw and
 * Holm-adjusted), accuracy, F1, sensitivity, specificity, PPV and NPV with their CIs. Rendered
 * as Markdown and as HTML; `evaluationReport` assembles the whole report.
 *
 * @example
 * ```ts
 * import { metricsTable } from "./tables.ts";
 * // metrics = evaluateSplits(...).metrics
 * // metricsTable(evaluation, "private", "all").markdown
 * // "| Slice labels | AUC (95 % CI) | ... |"
 * ```
 */
import type { Evaluation, MetricsRow, PairwiseDelong } from "./evaluation.ts";
import { escapeHtml } from "./export.ts";
import { panelTitle } from "./figures.ts";
import { formatFraction } from "./style.ts";
import { SPLITS } from "../train/predictions_table.ts";

/** A table or document as Markdown and as HTML. */
export interface TableText {
  markdown: string;
  html: string;
}

/**
 * `0.682 (0.652, 0.711)`; an em dash when the value is undefined.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(formatWithCi(0.6824, 0.6524, 0.7111), "0.682 (0.652, 0.711)");
 * ```
 */
export function formatWithCi(
  estimate: number | null,
  low: number | null,
  high: number | null,
  digits = 3,
): string {
  if (estimate === null) return "—";
  const ci = low === null || high === null
    ? ""
    : ` (${low.toFixed(digits)}, ${high.toFixed(digits)})`;
  return `${estimate.toFixed(digits)}${ci}`;
}

/**
 * A p-value as `0.187`, `< 0.001`, or an em dash for the reference / undefined.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(formatP(0.0004), "< 0.001");
 * ```
 */
export function formatP(p: number | null): string {
  if (p === null) return "—";
  return p < 0.001 ? "< 0.001" : p.toFixed(3);
}

const HEADER = [
  "Slice labels",
  "AUC (95 % CI)",
  "p vs reference",
  "p (Holm)",
  "Accuracy (95 % CI)",
  "F1",
  "Sensitivity (95 % CI)",
  "Specificity (95 % CI)",
  "PPV (95 % CI)",
  "NPV (95 % CI)",
  "Threshold",
];

/** The cells of one metrics row in table order. */
function tableCells(row: MetricsRow, f1: number | null, referenceFraction: number): string[] {
  return [
    formatFraction(row.fraction) + (row.fraction === referenceFraction ? " (ref.)" : ""),
    formatWithCi(row.auc, row.auc_ci_low, row.auc_ci_high),
    formatP(row.p_vs_reference),
    formatP(row.p_vs_reference_holm),
    formatWithCi(row.accuracy, row.accuracy_ci_low, row.accuracy_ci_high),
    f1 === null ? "—" : f1.toFixed(3),
    formatWithCi(row.sensitivity, row.sensitivity_ci_low, row.sensitivity_ci_high),
    formatWithCi(row.specificity, row.specificity_ci_low, row.specificity_ci_high),
    formatWithCi(row.ppv, row.ppv_ci_low, row.ppv_ci_high),
    formatWithCi(row.npv, row.npv_ci_low, row.npv_ci_high),
    row.threshold === null ? "—" : row.threshold.toFixed(4),
  ];
}

/**
 * The table of one split and subset, fractions ascending, with its caption.
 *
 * @example
 * ```ts
 * // metricsTable(evaluation, "private", "all").html -> "<table ...>"
 * ```
 */
export function metricsTable(evaluation: Evaluation, split: string, subset: string): TableText {
  const { metrics } = evaluation;
  const indices = metrics.rows
    .map((_, i) => i)
    .filter((i) => metrics.rows[i].split === split && metrics.rows[i].subset === subset)
    .sort((a, b) => metrics.rows[a].fraction - metrics.rows[b].fraction);
  const first = metrics.rows[indices[0]];
  const caption =
    `${panelTitle(split, subset)}: ${first?.n ?? 0} exams (${
      first?.n_pos ?? 0
    } with PE). Threshold: Youden's J per fraction on the ${metrics.threshold_split} split. ` +
    `CIs: DeLong (AUC), ${metrics.ci_method} (proportions). ` +
    `p: paired DeLong vs ${formatFraction(metrics.reference_fraction)}; Holm over the fractions.`;
  const cells = indices.map((i) =>
    tableCells(metrics.rows[i], evaluation.f1[i], metrics.reference_fraction)
  );
  return renderTable(HEADER, cells, caption);
}

/**
 * Markdown and HTML of a header, rows of cells and a caption.
 *
 * @example
 * ```ts
 * renderTable(["a", "b"], [["1", "2"]], "caption").markdown;
 * // "*caption*\n\n| a | b |\n| --- | ---: |\n| 1 | 2 |\n"
 * ```
 */
export function renderTable(
  header: readonly string[],
  cells: readonly (readonly string[])[],
  caption: string,
): TableText {
  const line = (c: readonly string[]) => `| ${c.join(" | ")} |`;
  const markdown = [
    `*${caption}*`,
    "",
    line(header),
    line(header.map((_, i) => (i === 0 ? "---" : "---:"))),
    ...cells.map(line),
    "",
  ].join("\n");
  const html = [
    `<table class="pe-metrics">`,
    `<caption>${escapeHtml(caption)}</caption>`,
    `<thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead>`,
    "<tbody>",
    ...cells.map((c) => `<tr>${c.map((x) => `<td>${escapeHtml(x)}</td>`).join("")}</tr>`),
    "</tbody></table>",
    "",
  ].join("\n");
  return { markdown, html };
}

/**
 * The matrix of raw paired DeLong p-values between fractions of one split and subset.
 *
 * @example
 * ```ts
 * // pairwiseTable(evaluation.pairwise[0]).markdown
 * ```
 */
export function pairwiseTable(pairwise: PairwiseDelong): TableText {
  return renderTable(
    ["Slice labels", ...pairwise.fractions.map(formatFraction)],
    pairwise.fractions.map((f, a) => [formatFraction(f), ...pairwise.p[a].map(formatP)]),
    `${
      panelTitle(pairwise.split, pairwise.subset)
    }: paired DeLong p-values between fractions (two-sided, unadjusted)`,
  );
}

/**
 * The thresholds table: fraction -> Youden threshold on the threshold split.
 *
 * @example
 * ```ts
 * // thresholdsTable(evaluation).markdown: one line per fraction
 * ```
 */
export function thresholdsTable(evaluation: Evaluation): TableText {
  const fractions = [...evaluation.thresholds.keys()].sort((a, b) => a - b);
  return renderTable(
    ["Slice labels", "Threshold"],
    fractions.map((f) => [formatFraction(f), evaluation.thresholds.get(f)!.toFixed(4)]),
    `Youden thresholds chosen on the ${evaluation.metrics.threshold_split} split, applied unchanged to every split`,
  );
}

/**
 * The full report: settings, thresholds, one table per split and subset, skipped subsets.
 *
 * @example
 * ```ts
 * // const { markdown, html } = evaluationReport(evaluation, "preds.csv");
 * ```
 */
export function evaluationReport(evaluation: Evaluation, source: string): TableText {
  const { metrics } = evaluation;
  const sections: { title: string; tables: TableText[] }[] = [];
  for (const split of SPLITS) {
    for (const subset of ["all", "central", "peripheral"]) {
      if (!metrics.rows.some((r) => r.split === split && r.subset === subset)) continue;
      const tables = [metricsTable(evaluation, split, subset)];
      const pairwise = evaluation.pairwise.find((p) => p.split === split && p.subset === subset);
      if (pairwise) tables.push(pairwiseTable(pairwise));
      sections.push({ title: panelTitle(split, subset), tables });
    }
  }
  const settings = [
    `Predictions: ${source}`,
    `Threshold split: ${metrics.threshold_split}`,
    `Reference fraction: ${formatFraction(metrics.reference_fraction)}`,
    `Binomial CI method: ${metrics.ci_method}`,
  ];
  const thresholds = thresholdsTable(evaluation);
  const skipped = evaluation.skipped.length > 0 ? evaluation.skipped : ["none"];
  const markdown = [
    "# Evaluation report",
    "",
    ...settings.map((s) => `- ${s}`),
    "",
    "## Thresholds",
    "",
    thresholds.markdown,
    ...sections.flatMap((s) => [`## ${s.title}`, "", ...s.tables.map((t) => t.markdown)]),
    "## Subsets not evaluated",
    "",
    ...skipped.map((s) => `- ${s}`),
    "",
  ].join("\n");
  const html = [
    "<!DOCTYPE html>",
    `<html><head><meta charset="utf-8"><title>Evaluation report</title>`,
    "<style>body{font-family:DejaVu Sans,Arial,sans-serif;margin:2em;}",
    "table{border-collapse:collapse;margin:0.5em 0 2em;font-size:0.9em;}",
    "caption{text-align:left;font-style:italic;padding-bottom:0.4em;}",
    "th,td{border:1px solid #ccc;padding:0.25em 0.6em;text-align:right;white-space:nowrap;}",
    "th:first-child,td:first-child{text-align:left;}</style></head><body>",
    "<h1>Evaluation report</h1>",
    `<ul>${settings.map((s) => `<li>${escapeHtml(s)}</li>`).join("")}</ul>`,
    "<h2>Thresholds</h2>",
    thresholds.html,
    ...sections.flatMap((s) => [`<h2>${escapeHtml(s.title)}</h2>`, ...s.tables.map((t) => t.html)]),
    "<h2>Subsets not evaluated</h2>",
    `<ul>${skipped.map((s) => `<li>${escapeHtml(s)}</li>`).join("")}</ul>`,
    "</body></html>",
    "",
  ].join("\n");
  return { markdown, html };
}
