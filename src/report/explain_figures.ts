/**
 * Figures and tables of where the model looks (the paper's Fig. 3), from plain data: a source
 * slice with the clot outline beside the same slice with the Grad-CAM overlay; a strip of the
 * slices with the most attention; and the share of attention mass inside the (dilated) clot
 * mask per label fraction, against the share a uniform map would get.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { camPairFigure } from "./explain_figures.ts";
 * const panel = { slice: 3, hu: [[0, 40], [40, 300]], cam: [[0, 0.2], [0.4, 1]],
 *   outline: { x: [1], y: [1] }, mass: 0.3 };
 * assert.equal(camPairFigure("Central PE, exam 1.2.3", panel).data.length, 5);
 * ```
 */
import type { CamPanel } from "../explain/phantom_truth.ts";
import { type MassLevel, type MassPoint, summariseMass } from "../explain/mass_summary.ts";
import type { PlotlyFigure } from "./export.ts";
import { axisStyle, baseLayout, FIGURE_STYLE, formatFraction } from "./style.ts";
import { renderTable, type TableText } from "./tables.ts";

const LEVEL_TEXT: Record<MassLevel, { title: string; axis: string; caption: string }> = {
  voxel: {
    title: "Share of Grad-CAM mass on the clot (dilated mask), detected positive exams",
    axis: "attention mass inside the clot mask",
    caption: "Share of Grad-CAM mass inside the dilated clot mask (detected positive exams)",
  },
  slice: {
    title: "Share of Grad-CAM mass on the clot's slices, detected positive exams",
    axis: "attention mass on slices with clot",
    caption: "Share of Grad-CAM mass on the slices the dilated clot mask reaches " +
      "(detected positive exams)",
  },
};

const HU_WINDOW = { zmin: -250, zmax: 450 };
const HEAT_SCALE = [
  [0, "rgba(255, 255, 0, 0)"],
  [0.15, "rgba(255, 230, 0, 0)"],
  [0.4, "rgba(255, 150, 0, 0.45)"],
  [1, "rgba(215, 0, 0, 0.85)"],
];
const OUTLINE_COLOUR = "#00c8ff";

/** Traces of one slice on axes `axis` ("" = the first); `keys` adds the colour bar and legend. */
function sliceTraces(
  panel: CamPanel,
  axis: string,
  overlay: boolean,
  keys: boolean,
): Record<string, unknown>[] {
  const xaxis = `x${axis}`, yaxis = `y${axis}`;
  const traces: Record<string, unknown>[] = [{
    type: "heatmap",
    z: panel.hu,
    colorscale: "Greys",
    reversescale: true,
    ...HU_WINDOW,
    showscale: false,
    hoverinfo: "skip",
    xaxis,
    yaxis,
  }];
  if (overlay) {
    traces.push({
      type: "heatmap",
      z: panel.cam,
      zmin: 0,
      zmax: 1,
      colorscale: HEAT_SCALE,
      showscale: keys,
      colorbar: { title: { text: "Grad-CAM" }, len: 0.8 },
      name: "Grad-CAM",
      xaxis,
      yaxis,
    });
  }
  traces.push({
    type: "scatter",
    mode: "markers",
    x: panel.outline.x,
    y: panel.outline.y,
    marker: { color: OUTLINE_COLOUR, size: 3, symbol: "square" },
    name: "clot (truth)",
    showlegend: keys,
    hoverinfo: "skip",
    xaxis,
    yaxis,
  });
  return traces;
}

function imageAxes(n: number, gap = 0.04): Record<string, unknown> {
  const layout: Record<string, unknown> = {};
  const width = (1 - gap * (n - 1)) / n;
  for (let i = 0; i < n; i++) {
    const suffix = i === 0 ? "" : String(i + 1);
    const ref = i === 0 ? "x" : `x${i + 1}`;
    layout[`xaxis${suffix}`] = {
      domain: [i * (width + gap), i * (width + gap) + width],
      showticklabels: false,
      showgrid: false,
      zeroline: false,
      ticks: "",
      constrain: "domain",
    };
    layout[`yaxis${suffix}`] = {
      autorange: "reversed",
      scaleanchor: ref,
      showticklabels: false,
      showgrid: false,
      zeroline: false,
      ticks: "",
      constrain: "domain",
    };
  }
  return layout;
}

/**
 * A source slice with the clot outline (left) and the same slice with the Grad-CAM overlay
 * (right), as in the paper's Fig. 3.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { camPairFigure } from "./explain_figures.ts";
 * const panel = { slice: 0, hu: [[0]], cam: [[1]], outline: { x: [], y: [] }, mass: 1 };
 * assert.equal(camPairFigure("Peripheral PE", panel).layout.width, 900);
 * ```
 */
export function camPairFigure(title: string, panel: CamPanel): PlotlyFigure {
  return {
    data: [...sliceTraces(panel, "", false, false), ...sliceTraces(panel, "2", true, true)],
    layout: {
      ...baseLayout(title),
      ...imageAxes(2),
      height: 500,
      legend: { orientation: "h", y: -0.05 },
      annotations: [
        caption(0.23, `slice ${panel.slice}: truth outline`),
        caption(0.77, `Grad-CAM (${(100 * panel.mass).toFixed(1)} % of the exam's attention)`),
      ],
    },
  };
}

function caption(x: number, text: string): Record<string, unknown> {
  return {
    text,
    x,
    y: 1.02,
    xref: "paper",
    yref: "paper",
    xanchor: "center",
    yanchor: "bottom",
    showarrow: false,
    font: { size: 12 },
  };
}

/**
 * A strip of slices (e.g. those with the most attention, in slice order), each with the
 * Grad-CAM overlay, the clot outline, its index and its share of the exam's attention.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { camStripFigure } from "./explain_figures.ts";
 * const p = (slice: number) => ({ slice, hu: [[0]], cam: [[1]], outline: { x: [], y: [] }, mass: 0.5 });
 * assert.equal(camStripFigure("Top slices", [p(2), p(3)]).data.length, 6);
 * ```
 */
export function camStripFigure(title: string, panels: readonly CamPanel[]): PlotlyFigure {
  const n = Math.max(1, panels.length);
  const gap = 0.015;
  const width = (1 - gap * (n - 1)) / n;
  return {
    data: panels.flatMap((p, i) => sliceTraces(p, i === 0 ? "" : String(i + 1), true, i === 0)),
    layout: {
      ...baseLayout(title),
      ...imageAxes(n, gap),
      width: Math.max(FIGURE_STYLE.width, 170 * n),
      height: 300,
      showlegend: false,
      annotations: panels.map((p, i) =>
        caption(i * (width + gap) + width / 2, `${p.slice}: ${(100 * p.mass).toFixed(1)} %`)
      ),
    },
  };
}

/**
 * Share of attention inside the dilated clot mask (or, `level` "slice", on the slices it
 * reaches) against the label fraction: each exam as a point (by subtype), the mean with its
 * 95 % CI, and the chance level (uniform map) dashed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { massFractionFigure } from "./explain_figures.ts";
 * const figure = massFractionFigure([{ fraction: 0, examId: "a", subtype: "peripheral",
 *   massInside: 0.2, chance: 0.05 }]);
 * assert.equal(figure.data.length, 4);
 * ```
 */
export function massFractionFigure(
  points: readonly MassPoint[],
  level: MassLevel = "voxel",
): PlotlyFigure {
  const summary = summariseMass(points);
  const fractions = summary.map((s) => s.fraction);
  // fractions sit at evenly spaced categories so 0, 2.5 and 5 % stay apart
  const position = (f: number) => fractions.indexOf(f);
  const jitter = (i: number) => ((i * 0.618034) % 1 - 0.5) * 0.3;
  const subtypeTrace = (subtype: "central" | "peripheral", colour: string) => {
    const rows = points.filter((p) => p.subtype === subtype && p.massInside !== null);
    return {
      type: "scatter",
      mode: "markers",
      name: `${subtype} PE exams`,
      x: rows.map((p, i) => position(p.fraction) + jitter(i)),
      y: rows.map((p) => p.massInside),
      text: rows.map((p) => p.examId),
      marker: { color: colour, size: 6, opacity: 0.6 },
    };
  };
  return {
    data: [
      subtypeTrace("central", "#b2182b"),
      subtypeTrace("peripheral", "#2166ac"),
      {
        type: "scatter",
        mode: "lines+markers",
        name: "mean (95 % CI)",
        x: summary.map((s) => position(s.fraction)),
        y: summary.map((s) => s.mean),
        error_y: {
          type: "data",
          symmetric: false,
          array: summary.map((s) => (s.high !== null && s.mean !== null ? s.high - s.mean : 0)),
          arrayminus: summary.map((s) => (s.low !== null && s.mean !== null ? s.mean - s.low : 0)),
          color: FIGURE_STYLE.line,
        },
        line: { color: FIGURE_STYLE.line, width: 2 },
        marker: { size: 9 },
      },
      {
        type: "scatter",
        mode: "lines",
        name: "uniform map (chance)",
        x: summary.map((s) => position(s.fraction)),
        y: summary.map((s) => s.chance),
        line: { color: FIGURE_STYLE.chance, dash: "dash" },
      },
    ],
    layout: {
      ...baseLayout(LEVEL_TEXT[level].title),
      xaxis: axisStyle("slice labels", {
        tickmode: "array",
        tickvals: fractions.map(position),
        ticktext: fractions.map(formatFraction),
        range: [-0.5, Math.max(0.5, fractions.length - 0.5)],
      }),
      yaxis: axisStyle(LEVEL_TEXT[level].axis, {
        rangemode: "tozero",
        tickformat: ".2~%",
      }),
      legend: { orientation: "h", y: -0.18 },
    },
  };
}

/**
 * The per-fraction summary as a table (Markdown and HTML), for voxel- or slice-level shares.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { massFractionTable } from "./explain_figures.ts";
 * const table = massFractionTable([{ fraction: 0, examId: "a", subtype: "central",
 *   massInside: 0.4, chance: 0.1 }]);
 * assert.ok(table.markdown.includes("0 %"));
 * ```
 */
export function massFractionTable(
  points: readonly MassPoint[],
  level: MassLevel = "voxel",
): TableText {
  // three significant digits: small clots give shares of a few thousandths
  const f = (v: number | null) => (v === null ? "—" : v.toPrecision(3));
  return renderTable(
    [
      "Slice labels",
      "Exams",
      "Mass inside (mean)",
      "95 % CI",
      "Median",
      "Chance",
      "Mass / chance",
      "Above chance",
    ],
    summariseMass(points).map((s) => [
      formatFraction(s.fraction),
      String(s.exams),
      f(s.mean),
      s.low === null ? "—" : `${f(s.low)}-${f(s.high)}`,
      f(s.median),
      f(s.chance),
      s.lift === null ? "—" : s.lift.toFixed(2),
      `${s.aboveChance}/${s.exams}`,
    ]),
    LEVEL_TEXT[level].caption,
  );
}
