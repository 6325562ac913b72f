/**
 * Figures and tables of training (notebook 03): the annotation cost of each label fraction,
 * the training curves of a sweep (loss, validation loss and validation AUC per epoch, one
 * colour per fraction), and a Grad-CAM map on the model's grid beside the prepared slice.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { annotationCostTable } from "./training_figures.ts";
 * const table = annotationCostTable([
 *   { fractionPercent: 2.5, meanSlices: 4.5, minSlices: 4, maxSlices: 5, exams: 2 },
 * ]);
 * assert.match(table.markdown, /\| 2\.5 % \| 4\.5 \| 4-5 \| 2 \|/);
 * ```
 */
import type { AnnotationCostRow } from "../labels/annotation_cost.ts";
import type { EpochLog } from "../train/run_folder.ts";
import type { PlotlyFigure } from "./export.ts";
import { gridImage } from "./image_grids.ts";
import { axisStyle, baseLayout, formatFraction, fractionColour } from "./style.ts";
import { renderTable, type TableText } from "./tables.ts";

/**
 * The labelled slices per exam that each label fraction costs, as a table.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { annotationCostTable } from "./training_figures.ts";
 * assert.match(annotationCostTable([]).markdown, /slice labels/);
 * ```
 */
export function annotationCostTable(rows: readonly AnnotationCostRow[]): TableText {
  return renderTable(
    ["slice labels", "labelled slices per exam, mean", "range", "exams"],
    rows.map((r) => [
      formatFraction(r.fractionPercent),
      r.meanSlices.toFixed(1),
      `${r.minSlices}-${r.maxSlices}`,
      String(r.exams),
    ]),
    "Annotation cost: slice labels kept per exam at each label fraction",
  );
}

/**
 * Training curves: per label fraction (the map's keys), training and validation loss (left) and
 * validation AUC (right) per epoch.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { trainingCurvesFigure } from "./training_figures.ts";
 * const log = { epoch: 1, loss: 0.7, valLoss: 0.6, valAuc: 0.8, learningRate: 1e-3, seconds: 1,
 *   examsPerSecond: 10 };
 * const figure = trainingCurvesFigure(new Map([[0, [log]], [100, [log]]]));
 * assert.equal(figure.data.length, 6); // three curves per fraction
 * ```
 */
export function trainingCurvesFigure(
  curves: ReadonlyMap<number, readonly EpochLog[]>,
): PlotlyFigure {
  const fractions = [...curves.keys()].sort((a, b) => a - b);
  const data = fractions.flatMap((fraction) => {
    const logs = curves.get(fraction)!;
    const color = fractionColour(fraction, fractions);
    const x = logs.map((l) => l.epoch);
    const line = (name: string, y: (number | null)[], dash?: string, right = false) => ({
      type: "scatter",
      mode: "lines+markers",
      name: `${fraction} % ${name}`,
      x,
      y,
      line: dash ? { color, dash } : { color },
      ...(right ? { xaxis: "x2", yaxis: "y2" } : {}),
    });
    return [
      line("loss", logs.map((l) => l.loss)),
      line("val loss", logs.map((l) => l.valLoss), "dot"),
      line("val AUC", logs.map((l) => l.valAuc), undefined, true),
    ];
  });
  return {
    data,
    layout: {
      ...baseLayout("Training curves per label fraction"),
      grid: { rows: 1, columns: 2, pattern: "independent" },
      xaxis: axisStyle("epoch"),
      yaxis: axisStyle("loss"),
      xaxis2: axisStyle("epoch"),
      yaxis2: axisStyle("validation AUC", { range: [0, 1.02] }),
    },
  };
}

/**
 * Slice `slice` of a prepared exam (voxels [D, H, W], uint8) beside its Grad-CAM map on the
 * model's grid (values in [0, 1]).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { gridCamFigure } from "./training_figures.ts";
 * const exam = { dims: [1, 2, 2] as [number, number, number], voxels: new Uint8Array([0, 255, 0, 255]) };
 * const figure = gridCamFigure(exam, new Float32Array([0, 1, 0, 0.5]), 0, "Grad-CAM");
 * assert.deepEqual(figure.data[1].z, [[0, 1], [0, 0.5]]);
 * ```
 */
export function gridCamFigure(
  exam: { dims: readonly [number, number, number]; voxels: ArrayLike<number> },
  cam: ArrayLike<number>,
  slice: number,
  title: string,
): PlotlyFigure {
  return {
    data: [
      {
        type: "heatmap",
        z: gridImage(exam.voxels, exam.dims, slice, { scale: 1 / 255 }),
        colorscale: "Greys",
        showscale: false,
        xaxis: "x",
        yaxis: "y",
      },
      {
        type: "heatmap",
        z: gridImage(cam, exam.dims, slice),
        colorscale: "Hot",
        zmin: 0,
        zmax: 1,
        xaxis: "x2",
        yaxis: "y2",
      },
    ],
    layout: {
      ...baseLayout(title),
      grid: { rows: 1, columns: 2, pattern: "independent" },
      xaxis: axisStyle("x"),
      yaxis: axisStyle("y", { autorange: "reversed", scaleanchor: "x" }),
      xaxis2: axisStyle("x"),
      yaxis2: axisStyle("y", { autorange: "reversed", scaleanchor: "x2" }),
    },
  };
}
