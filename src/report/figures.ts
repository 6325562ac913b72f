/**
 * Figure specs from plain data (pure functions; styling from style.ts): AUC against the label
 * fraction with its 95 % CI band, one panel per evaluation split and subset (paper Fig. 1), and
 * ROC curves per fraction with each AUC in the legend (paper Fig. 2).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { aucFractionFigure } from "./figures.ts";
 * const figure = aucFractionFigure([{
 *   split: "private", subset: "all",
 *   points: [{ fraction: 0, auc: 0.68, low: 0.65, high: 0.71 },
 *            { fraction: 100, auc: 0.93, low: 0.91, high: 0.95 }],
 * }]);
 * assert.equal(figure.data.length, 2); // the CI band and the AUC line
 * ```
 */
import type { PlotlyFigure } from "./export.ts";
import {
  axisStyle,
  baseLayout,
  FIGURE_STYLE,
  formatFraction,
  fractionColour,
  SPLIT_NAMES,
  SUBSET_NAMES,
} from "./style.ts";

/** One point of an AUC-vs-fraction curve. */
export interface AucPoint {
  fraction: number;
  auc: number;
  /** CI bounds; null when undefined (fewer than 2 exams of a class): drawn at the AUC. */
  low: number | null;
  high: number | null;
}

/** One panel: a split and subset with its AUC points. */
export interface AucPanel {
  split: string;
  subset: string;
  points: AucPoint[];
}

/** One ROC curve of a label fraction. */
export interface RocSeries {
  fraction: number;
  auc: number;
  /** [point] false-positive rates, ascending from 0 to 1. */
  fpr: ArrayLike<number>;
  /** [point] true-positive rates matching `fpr`. */
  tpr: ArrayLike<number>;
}

/**
 * The title of a split/subset panel, e.g. "Private test, central PE".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(panelTitle("private", "central"), "Private test, central PE");
 * ```
 */
export function panelTitle(split: string, subset: string): string {
  return `${SPLIT_NAMES[split] ?? split}, ${SUBSET_NAMES[subset] ?? subset}`;
}

/**
 * AUC against slice-label fraction with the 95 % CI as a shaded band, one panel per entry of
 * `panels` (laid out in a grid, a shared AUC axis so panels compare).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const figure = aucFractionFigure([{ split: "external", subset: "all",
 *   points: [{ fraction: 0, auc: 0.66, low: 0.52, high: 0.79 }] }]);
 * assert.equal(figure.data.length, 2);
 * ```
 */
export function aucFractionFigure(panels: readonly AucPanel[]): PlotlyFigure {
  const lowest = Math.min(0.5, ...panels.flatMap((p) => p.points.map((q) => q.low ?? q.auc)));
  const { data, layout, axes } = fractionPanels(
    "AUC by slice-label fraction (95 % CI, DeLong)",
    panels,
    lowest,
  );
  panels.forEach((panel, k) => {
    const { suffix } = axes[k];
    const points = [...panel.points].sort((a, b) => a.fraction - b.fraction);
    const fractions = points.map((p) => p.fraction);
    data.push({
      type: "scatter",
      mode: "lines", // the band's outline only: no markers at its corners
      name: "95 % CI",
      legendgroup: "ci",
      showlegend: k === 0,
      x: [...fractions, ...[...fractions].reverse()],
      y: [...points.map((p) => p.high ?? p.auc), ...points.map((p) => p.low ?? p.auc).reverse()],
      fill: "toself",
      fillcolor: FIGURE_STYLE.band,
      line: { width: 0 },
      hoverinfo: "skip",
      xaxis: `x${suffix}`,
      yaxis: `y${suffix}`,
    });
    data.push({
      type: "scatter",
      mode: "lines+markers",
      name: "AUC",
      legendgroup: "auc",
      showlegend: k === 0,
      x: fractions,
      y: points.map((p) => p.auc),
      customdata: points.map((p) => [p.low, p.high]),
      hovertemplate: "%{x} %: AUC %{y:.3f} (%{customdata[0]:.3f}, %{customdata[1]:.3f})" +
        "<extra></extra>",
      line: { color: FIGURE_STYLE.line, width: 2 },
      marker: { color: FIGURE_STYLE.line, size: 6 },
      xaxis: `x${suffix}`,
      yaxis: `y${suffix}`,
    });
  });
  return { data, layout };
}

/**
 * The grid of AUC-vs-fraction panels (one per split and subset, a shared AUC axis from
 * `lowest` rounded down to 1.01): the layout with every panel's axes and title, an empty trace
 * list, and each panel's axis suffix for its traces.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const { layout, axes } = fractionPanels("AUC", [{ split: "private", subset: "all" }], 0.6);
 * assert.equal(axes[0].suffix, ""); // the first panel uses xaxis / yaxis
 * ```
 */
export function fractionPanels(
  title: string,
  panels: readonly Pick<AucPanel, "split" | "subset">[],
  lowest: number,
): {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
  axes: { suffix: string }[];
} {
  const n = panels.length;
  const cols = n === 4 ? 2 : Math.min(3, Math.max(1, n));
  const rows = Math.max(1, Math.ceil(n / cols));
  const yRange = [Math.floor(Math.min(0.5, lowest) * 20) / 20, 1.01];
  const gapX = 0.08;
  const gapY = rows > 1 ? 0.16 : 0;
  const panelW = (1 - gapX * (cols - 1)) / cols;
  const panelH = (1 - gapY * (rows - 1)) / rows;
  const annotations: Record<string, unknown>[] = [];
  const layout: Record<string, unknown> = {
    ...baseLayout(title),
    width: Math.max(FIGURE_STYLE.width, cols * 360),
    height: 120 + rows * 340,
    showlegend: true,
    legend: { orientation: "h", x: 1, xanchor: "right", y: 1.02, yanchor: "bottom" },
    annotations,
  };
  const axes = panels.map((panel, k) => {
    const suffix = k === 0 ? "" : String(k + 1);
    const x0 = (k % cols) * (panelW + gapX);
    const y1 = 1 - Math.floor(k / cols) * (panelH + gapY);
    layout[`xaxis${suffix}`] = axisStyle("Slice-label fraction (%)", {
      domain: [x0, x0 + panelW],
      anchor: `y${suffix}`,
      range: [-3, 103],
      tickvals: [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
    });
    layout[`yaxis${suffix}`] = axisStyle("AUC", {
      domain: [y1 - panelH, y1],
      anchor: `x${suffix}`,
      range: yRange,
    });
    annotations.push({
      text: `<b>${panelTitle(panel.split, panel.subset)}</b>`,
      xref: "paper",
      yref: "paper",
      x: x0 + panelW / 2,
      y: y1,
      xanchor: "center",
      yanchor: "bottom",
      yshift: 6,
      showarrow: false,
    });
    return { suffix };
  });
  return { data: [], layout, axes };
}

/**
 * ROC curves, one per fraction, labelled with the fraction and its AUC, plus the chance line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const figure = rocFigure(
 *   [{ fraction: 2.5, auc: 0.86, fpr: [0, 0.2, 1], tpr: [0, 0.8, 1] }], "private", "all",
 * );
 * assert.equal(figure.data[0].name, "2.5 % (AUC 0.860)");
 * ```
 */
export function rocFigure(
  series: readonly RocSeries[],
  split: string,
  subset: string,
): PlotlyFigure {
  const fractions = series.map((s) => s.fraction);
  const data: Record<string, unknown>[] = [...series]
    .sort((a, b) => a.fraction - b.fraction)
    .map((s) => ({
      type: "scatter",
      mode: "lines",
      name: `${formatFraction(s.fraction)} (AUC ${s.auc.toFixed(3)})`,
      x: Array.from(s.fpr),
      y: Array.from(s.tpr),
      line: { color: fractionColour(s.fraction, fractions), width: 1.8, shape: "linear" },
      hovertemplate: "FPR %{x:.3f}, TPR %{y:.3f}<extra>" + formatFraction(s.fraction) +
        "</extra>",
    }));
  data.push({
    type: "scatter",
    mode: "lines",
    name: "chance",
    x: [0, 1],
    y: [0, 1],
    line: { color: FIGURE_STYLE.chance, width: 1, dash: "dash" },
    hoverinfo: "skip",
  });
  return {
    data,
    layout: {
      ...baseLayout(`ROC curves by slice-label fraction: ${panelTitle(split, subset)}`),
      width: 820,
      height: 600,
      xaxis: axisStyle("1 - specificity (false-positive rate)", {
        range: [0, 1],
        constrain: "domain",
      }),
      yaxis: axisStyle("Sensitivity (true-positive rate)", {
        range: [0, 1],
        scaleanchor: "x",
        scaleratio: 1,
        constrain: "domain",
      }),
      legend: { title: { text: "Slice-label fraction" }, x: 1.02, y: 0, yanchor: "bottom" },
    },
  };
}
