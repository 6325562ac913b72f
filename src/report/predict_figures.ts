/**
 * The figure of one predicted study (notebook 06): the slice probabilities along z, for the
 * source slices (maximum over the resampled slices covering each) and for the resampled slices
 * (fold mean), the truth's positive slices where known, and a few slices of the study below,
 * their positions marked on the curve.
 *
 * @example
 * ```ts ignore
 * import { readDicomSeries } from "../io/mod.ts";
 * import { sliceProbabilityFigure } from "./predict_figures.ts";
 * const volume = await readDicomSeries(prediction.seriesDir);
 * const figure = sliceProbabilityFigure(prediction, volume, new Set(truthSopUids));
 * ```
 */
import type { Volume } from "../io/volume.ts";
import type { SeriesPrediction } from "../predict/series.ts";
import type { PlotlyFigure } from "./export.ts";
import { axialImage, displayStep } from "./image_grids.ts";

/** Largest side, in pixels, a slice of the study is shown with. */
const SLICE_SIDE = 128;

/**
 * Up to four source slices to show: the most probable one and three spread over the slices with
 * a probability (the lung VOI), in slice order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { slicesToShow } from "./predict_figures.ts";
 * const probabilities = [null, 0.1, 0.2, 0.9, 0.3, 0.2, 0.1, 0.1, 0.1, 0.1, null];
 * assert.deepEqual(slicesToShow(probabilities), [2, 3, 5, 8]);
 * ```
 */
export function slicesToShow(probabilities: readonly (number | null)[]): number[] {
  const inVoi = probabilities.flatMap((p, i) => (p === null ? [] : [i]));
  const top = inVoi.reduce((a, b) => (probabilities[b]! > probabilities[a]! ? b : a));
  const at = (share: number) => inVoi[Math.floor(inVoi.length * share)];
  return [...new Set([at(0.2), top, at(0.5), at(0.8)])].sort((a, b) => a - b).slice(0, 4);
}

/**
 * The slice-probability curve of `prediction` above the slices `slicesToShow` picks from
 * `volume` (its source series); `truthSopUids` marks the slices with PE in a known truth.
 *
 * @example
 * ```ts ignore
 * import { sliceProbabilityFigure } from "./predict_figures.ts";
 * const figure = sliceProbabilityFigure(prediction, volume, new Set());
 * ```
 */
export function sliceProbabilityFigure(
  prediction: Pick<
    SeriesPrediction,
    "sourceSlices" | "sliceProbabilities" | "examProbability" | "record"
  >,
  volume: Pick<Volume, "dims" | "hu">,
  truthSopUids: ReadonlySet<string>,
): PlotlyFigure {
  const slices = prediction.sourceSlices;
  const picks = slicesToShow(slices.map((s) => s.probability));
  const step = displayStep(volume.dims, SLICE_SIDE);
  const z = slices.map((s) => s.zPosition);
  const truthZ = slices.filter((s) => truthSopUids.has(s.sopInstanceUid)).map((s) => s.zPosition);
  const columns = picks.length;
  const data: Record<string, unknown>[] = [
    {
      type: "scatter",
      mode: "lines+markers",
      x: z,
      y: slices.map((s) => s.probability),
      name: "source slices (max of covering)",
      line: { color: "#d62728" },
      xaxis: "x",
      yaxis: "y",
    },
    {
      type: "scatter",
      mode: "lines",
      x: prediction.record.sourceSlices.map(([a, b]) => (z[a] + z[b]) / 2),
      y: prediction.sliceProbabilities,
      name: "resampled slices (fold mean)",
      line: { color: "#1f77b4", dash: "dot" },
      xaxis: "x",
      yaxis: "y",
    },
    ...(truthZ.length
      ? [{
        type: "scatter",
        mode: "markers",
        x: truthZ,
        y: truthZ.map(() => 1.02),
        name: "PE in the truth",
        marker: { color: "black", symbol: "triangle-down" },
        xaxis: "x",
        yaxis: "y",
      }]
      : []),
    ...picks.map((i, k) => ({
      type: "heatmap",
      z: axialImage(volume, i, step),
      colorscale: "Greys",
      reversescale: false,
      zmin: -250,
      zmax: 450,
      showscale: false,
      xaxis: `x${k + 2}`,
      yaxis: `y${k + 2}`,
    })),
  ];
  const gap = 0.02, width = (1 - gap * (columns - 1)) / columns;
  const layout: Record<string, unknown> = {
    title: {
      text: `Slice probability along z (exam ${
        prediction.examProbability.toFixed(3)
      }) and ${columns} slices`,
    },
    width: 1000,
    height: 620,
    showlegend: true,
    legend: { orientation: "h", y: 1.08 },
    xaxis: {
      domain: [0, 1],
      anchor: "y",
      range: [Math.min(...z) - 5, Math.max(...z) + 5],
      zeroline: false,
      title: { text: "z position (mm)" },
    },
    yaxis: { domain: [0.52, 1], anchor: "x", range: [0, 1.05], title: { text: "probability" } },
    shapes: picks.map((i) => ({
      type: "line",
      xref: "x",
      yref: "y",
      x0: z[i],
      x1: z[i],
      y0: 0,
      y1: 1,
      line: { color: "grey", dash: "dash" },
    })),
    annotations: picks.map((i, k) => ({
      xref: "paper",
      yref: "paper",
      x: k * (width + gap) + width / 2,
      y: 0.37,
      showarrow: false,
      text: `z ${z[i].toFixed(0)} mm: p ${slices[i].probability!.toFixed(3)}`,
    })),
  };
  picks.forEach((_, k) => {
    const x0 = k * (width + gap);
    layout[`xaxis${k + 2}`] = { domain: [x0, x0 + width], anchor: `y${k + 2}`, visible: false };
    layout[`yaxis${k + 2}`] = {
      domain: [0, 0.34],
      anchor: `x${k + 2}`,
      autorange: "reversed",
      visible: false,
      scaleanchor: `x${k + 2}`,
    };
  });
  return { data, layout };
}
