/**
 * Which slices each label-allocation strategy labels on a few exams: one row per exam and
 * strategy (and one for the exam's clot slices), the slices along x, each cell unlabelled,
 * labelled without clot or labelled on a clot.
 *
 * @module
 */
import type { PlotlyFigure } from "./export.ts";
import { axisStyle, baseLayout, FIGURE_STYLE } from "./style.ts";

/** One exam of the map: its slice labels [D] and each strategy's labelled-slice mask [D]. */
export interface AllocationMapExam {
  title: string;
  sliceLabels: Uint8Array;
  masks: { strategy: string; mask: Uint8Array }[];
}

/** Cell values: 0 unlabelled, 1 labelled (no clot), 2 labelled on a clot, 3 a clot (truth row). */
const COLOURS: [number, string][] = [
  [0, "#f2f2f2"],
  [0.25, "#f2f2f2"],
  [0.25, "#1f5fa8"],
  [0.5, "#1f5fa8"],
  [0.5, "#d62728"],
  [0.75, "#d62728"],
  [0.75, "#7f7f7f"],
  [1, "#7f7f7f"],
];

/**
 * The map as one heat map: per exam, a row of its clot slices (grey), then one row per strategy
 * (blue: a labelled slice without clot, red: a labelled clot slice). *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { allocationMapFigure } from "./allocation_map.ts";
 * const figure = allocationMapFigure([{
 *   title: "peripheral PE",
 *   sliceLabels: Uint8Array.of(0, 1, 1, 0),
 *   masks: [{ strategy: "even", mask: Uint8Array.of(1, 0, 0, 0) }],
 * }]);
 * assert.deepEqual((figure.data[0].z as number[][])[1], [1, 0, 0, 0]); // even: one negative slice
 * ```
 */
export function allocationMapFigure(exams: readonly AllocationMapExam[]): PlotlyFigure {
  const rows: { name: string; values: number[] }[] = [];
  for (const exam of exams) {
    rows.push({
      name: `${exam.title}: clot slices`,
      values: Array.from(exam.sliceLabels, (label) => (label ? 3 : 0)),
    });
    for (const { strategy, mask } of exam.masks) {
      rows.push({
        name: `${exam.title}: ${strategy}`,
        values: Array.from(mask, (labelled, z) => (labelled ? 1 + exam.sliceLabels[z] : 0)),
      });
    }
  }
  const width = Math.max(...rows.map((row) => row.values.length));
  return {
    data: [{
      type: "heatmap",
      z: rows.map((row) => row.values),
      y: rows.map((row) => row.name),
      x: Array.from({ length: width }, (_, z) => z),
      zmin: 0,
      zmax: 3,
      colorscale: COLOURS,
      showscale: false,
      xgap: 1,
      ygap: 1,
      hovertemplate: "%{y}, slice %{x}<extra></extra>",
    }],
    layout: {
      ...baseLayout(
        "Slices labelled by each strategy (blue: labelled, red: labelled clot, grey: clot)",
      ),
      xaxis: axisStyle("resampled slice (z)"),
      yaxis: { autorange: "reversed", automargin: true },
      height: Math.max(FIGURE_STYLE.height / 2, 28 * rows.length + 120),
    },
  };
}
