/**
 * Figures of what preprocessing does to one exam (notebook 02), from the source volume and the
 * result of `prepareVolume`: the lung mask with the VOI and the square crop on an axial slice,
 * the VOI's extent on a coronal reformat, intensities before and after windowing, a source
 * slice beside its output slice, the slice labels carried onto the output grid, and the three
 * input channels of an output slice.
 *
 * @example
 * ```ts ignore
 * import { readDicomSeries } from "../io/mod.ts";
 * import { prepareVolume, preprocessConfigSchema } from "../preprocess/mod.ts";
 * import { lungMaskFigure } from "./preprocess_figures.ts";
 * const volume = await readDicomSeries("data/demo/1.2.3/1.2.3.4");
 * const prepared = prepareVolume(volume, null, preprocessConfigSchema.parse({ size: [32, 64, 64] }));
 * const figure = lungMaskFigure(volume, prepared);
 * ```
 */
import type { Volume } from "../io/volume.ts";
import type { LungVoi } from "../preprocess/lung_mask.ts";
import type { PreparationRecord, PreparedVolume } from "../preprocess/prepare.ts";
import { windowUnit } from "../preprocess/window.ts";
import type { PlotlyFigure } from "./export.ts";
import { axialImage, coronalImage, displayStep, gridImage } from "./image_grids.ts";

/** Largest side, in pixels, a source slice is shown with. */
const SOURCE_SIDE = 256;

/** HU window of the source slices shown (lung and mediastinum). */
const SOURCE_WINDOW = { zmin: -1000, zmax: 600 };

/**
 * The middle slice of the lung VOI (the slice the figures show by default).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { voiMiddleSlice } from "./preprocess_figures.ts";
 * assert.equal(voiMiddleSlice({ z: [10, 20], y: [0, 9], x: [0, 9] }), 15);
 * ```
 */
export function voiMiddleSlice(voi: LungVoi): number {
  return Math.round((voi.z[0] + voi.z[1]) / 2);
}

/**
 * The output slice whose interval of source slices holds source slice `z` (the last output
 * slice when none does).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { outputSliceOf } from "./preprocess_figures.ts";
 * assert.equal(outputSliceOf({ sourceSlices: [[0, 1], [2, 3]] }, 3), 1);
 * ```
 */
export function outputSliceOf(record: Pick<PreparationRecord, "sourceSlices">, z: number): number {
  const d = record.sourceSlices.findIndex(([a, b]) => a <= z && z <= b);
  return Math.min(record.sourceSlices.length - 1, d);
}

function box(
  x0: number,
  x1: number,
  y0: number,
  y1: number,
  step: number,
  color: string,
  dash = "solid",
) {
  return {
    type: "rect",
    x0: x0 / step,
    x1: x1 / step,
    y0: y0 / step,
    y1: y1 / step,
    line: { color, width: 2, dash },
  };
}

/**
 * Axial slice `z` (default the VOI's middle) with the lung mask (right lung red, left blue), the
 * lung VOI (gold) and the square crop (orange, dashed).
 *
 * @example
 * ```ts ignore
 * import { lungMaskFigure } from "./preprocess_figures.ts";
 * const figure = lungMaskFigure(volume, prepared); // 2 heatmaps, 2 boxes
 * ```
 */
export function lungMaskFigure(
  volume: Volume,
  prepared: Pick<PreparedVolume, "record" | "mask">,
  z = voiMiddleSlice(prepared.record.voi),
): PlotlyFigure {
  const { voi, crop } = prepared.record;
  const { mask } = prepared;
  const [, R, C] = volume.dims;
  const step = displayStep(volume.dims, SOURCE_SIDE);
  const [, h, w] = mask.dims;
  const maskImage = Array.from(
    { length: Math.ceil(R / step) },
    (_, y) =>
      Array.from({ length: Math.ceil(C / step) }, (_, x) => {
        const my = Math.min(h - 1, Math.floor((y * step) / mask.stride));
        const mx = Math.min(w - 1, Math.floor((x * step) / mask.stride));
        const v = mask.labels[(z * h + my) * w + mx];
        return v === 0 ? null : v;
      }),
  );
  return {
    data: [
      {
        type: "heatmap",
        z: axialImage(volume, z, step),
        colorscale: "Greys",
        ...SOURCE_WINDOW,
        showscale: false,
      },
      {
        type: "heatmap",
        z: maskImage,
        colorscale: [[0, "rgba(220,40,40,0.45)"], [1, "rgba(40,90,220,0.45)"]],
        zmin: 1,
        zmax: 2,
        showscale: false,
      },
    ],
    layout: {
      title: { text: `Axial slice ${z}: lung mask, VOI and square crop` },
      width: 560,
      height: 560,
      yaxis: { autorange: "reversed", scaleanchor: "x", title: { text: "row" } },
      xaxis: { title: { text: "column" } },
      shapes: [
        box(voi.x[0], voi.x[1], voi.y[0], voi.y[1], step, "gold"),
        box(
          crop.col0,
          crop.col0 + crop.side - 1,
          crop.row0,
          crop.row0 + crop.side - 1,
          step,
          "orange",
          "dash",
        ),
      ],
    },
  };
}

/**
 * A coronal reformat through the VOI's middle row, with the VOI's extent (gold).
 *
 * @example
 * ```ts ignore
 * import { voiCoronalFigure } from "./preprocess_figures.ts";
 * const figure = voiCoronalFigure(volume, prepared.record.voi);
 * ```
 */
export function voiCoronalFigure(volume: Volume, voi: LungVoi): PlotlyFigure {
  const step = displayStep(volume.dims, SOURCE_SIDE);
  const row = Math.round((voi.y[0] + voi.y[1]) / 2);
  return {
    data: [{
      type: "heatmap",
      z: coronalImage(volume, row, step),
      colorscale: "Greys",
      ...SOURCE_WINDOW,
      showscale: false,
    }],
    layout: {
      title: { text: `Coronal reformat at row ${row}: VOI z ${voi.z.join("..")}` },
      width: 560,
      height: 420,
      xaxis: { title: { text: "column" } },
      yaxis: { title: { text: "slice (along the normal)" } },
      shapes: [{
        type: "rect",
        x0: voi.x[0] / step,
        x1: voi.x[1] / step,
        y0: voi.z[0],
        y1: voi.z[1],
        line: { color: "gold", width: 2 },
      }],
    },
  };
}

/**
 * HU values inside the lung VOI, sampled on about nine slices and every other display pixel.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { voiSamples } from "./preprocess_figures.ts";
 * const volume = { dims: [1, 3, 3] as [number, number, number], hu: Float32Array.from({ length: 9 }, (_, i) => i) };
 * assert.deepEqual(voiSamples(volume, { z: [0, 0], y: [0, 2], x: [0, 2] }, 1), [0, 2, 6, 8]);
 * ```
 */
export function voiSamples(
  volume: Pick<Volume, "dims" | "hu">,
  voi: LungVoi,
  step = displayStep(volume.dims, SOURCE_SIDE),
): number[] {
  const [, R, C] = volume.dims;
  const samples: number[] = [];
  for (let z = voi.z[0]; z <= voi.z[1]; z += Math.max(1, Math.floor((voi.z[1] - voi.z[0]) / 8))) {
    for (let y = voi.y[0]; y <= voi.y[1]; y += step * 2) {
      for (let x = voi.x[0]; x <= voi.x[1]; x += step * 2) {
        samples.push(volume.hu[(z * R + y) * C + x]);
      }
    }
  }
  return samples;
}

/**
 * Histograms of the VOI's HU values and of the same values windowed to [0, 1], with the
 * window's -250 and 450 HU marked.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { windowFigure } from "./preprocess_figures.ts";
 * const figure = windowFigure([-900, 40, 300]);
 * assert.equal(figure.data.length, 2);
 * ```
 */
export function windowFigure(samples: readonly number[]): PlotlyFigure {
  return {
    data: [
      { type: "histogram", x: samples, nbinsx: 80, name: "HU in the VOI", xaxis: "x", yaxis: "y" },
      {
        type: "histogram",
        x: samples.map((v) => windowUnit(v)),
        nbinsx: 50,
        name: "windowed [0, 1]",
        xaxis: "x2",
        yaxis: "y2",
      },
    ],
    layout: {
      title: { text: "Intensities before and after windowing" },
      width: 820,
      height: 340,
      grid: { rows: 1, columns: 2, pattern: "independent" },
      xaxis: { title: { text: "HU" } },
      xaxis2: { title: { text: "window value" } },
      shapes: [-250, 450].map((x) => ({
        type: "line",
        x0: x,
        x1: x,
        yref: "paper",
        y0: 0,
        y1: 1,
        line: { color: "gold", dash: "dash" },
      })),
    },
  };
}

/**
 * Source slice `z` (HU) beside the output slice that covers it (windowed, on the output grid).
 *
 * @example
 * ```ts ignore
 * import { preparedSliceFigure } from "./preprocess_figures.ts";
 * const figure = preparedSliceFigure(volume, prepared, [32, 64, 64]);
 * ```
 */
export function preparedSliceFigure(
  volume: Volume,
  prepared: Pick<PreparedVolume, "record" | "voxels">,
  size: readonly [number, number, number],
  z = voiMiddleSlice(prepared.record.voi),
): PlotlyFigure {
  const [, H, W] = size;
  const d = outputSliceOf(prepared.record, z);
  const step = displayStep(volume.dims, SOURCE_SIDE);
  return {
    data: [
      {
        type: "heatmap",
        z: axialImage(volume, z, step),
        colorscale: "Greys",
        zmin: -1000,
        zmax: 1000,
        showscale: false,
        xaxis: "x",
        yaxis: "y",
      },
      {
        type: "heatmap",
        z: gridImage(prepared.voxels, size, d, { scale: 1 / 255 }),
        colorscale: "Greys",
        zmin: 0,
        zmax: 1,
        showscale: false,
        xaxis: "x2",
        yaxis: "y2",
      },
    ],
    layout: {
      title: { text: `Source slice ${z} (HU) and output slice ${d} (windowed, ${H} x ${W})` },
      width: 820,
      height: 430,
      grid: { rows: 1, columns: 2, pattern: "independent" },
      yaxis: { autorange: "reversed", scaleanchor: "x" },
      yaxis2: { autorange: "reversed", scaleanchor: "x2" },
    },
  };
}

/**
 * The slice labels: each source slice's label (bars), and below it each output slice's interval
 * of source slices (red where the output slice is positive), with the VOI's slices shaded.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sliceLabelsFigure } from "./preprocess_figures.ts";
 * const figure = sliceLabelsFigure(
 *   { sourceLabels: [0, 1, 1, 0], sourceSlices: [[0, 1], [2, 3]], voi: { z: [0, 3], y: [0, 1], x: [0, 1] } },
 *   new Uint8Array([1, 1]),
 * );
 * assert.equal(figure.data.length, 3); // the bars and one segment per output slice
 * ```
 */
export function sliceLabelsFigure(
  record: Pick<PreparationRecord, "sourceLabels" | "sourceSlices" | "voi">,
  sliceLabels: ArrayLike<number>,
): PlotlyFigure {
  const S = record.sourceLabels.length;
  const { voi } = record;
  const segments = record.sourceSlices.map(([a, b], j) => ({
    x: [a - 0.4, b + 0.4],
    y: [j, j],
    mode: "lines",
    line: { color: sliceLabels[j] ? "crimson" : "grey", width: 3 },
    showlegend: false,
    xaxis: "x2",
    yaxis: "y2",
  }));
  return {
    data: [
      {
        type: "bar",
        x: record.sourceLabels.map((_, i) => i),
        y: record.sourceLabels,
        marker: { color: "crimson" },
        name: "source label",
        xaxis: "x",
        yaxis: "y",
      },
      ...segments,
    ],
    layout: {
      title: { text: "Slice labels: source slices and the output slices' intervals" },
      width: 820,
      height: 520,
      grid: { rows: 2, columns: 1, pattern: "independent", roworder: "top to bottom" },
      xaxis: { title: { text: "source slice" }, range: [-1, S] },
      xaxis2: { title: { text: "source slice" }, range: [-1, S] },
      yaxis: { title: { text: "label" }, range: [0, 1.2] },
      yaxis2: { title: { text: "output slice (red: positive)" } },
      shapes: [{
        type: "rect",
        xref: "x",
        yref: "paper",
        x0: voi.z[0] - 0.5,
        x1: voi.z[1] + 0.5,
        y0: 0.55,
        y1: 1,
        fillcolor: "rgba(255,215,0,0.15)",
        line: { width: 0 },
      }],
    },
  };
}

/**
 * The three input channels of output slice `d` (`sliceStackInput`: [D, H, W, 3]), side by side.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { inputChannelsFigure } from "./preprocess_figures.ts";
 * const figure = inputChannelsFigure(new Float32Array(1 * 2 * 2 * 3), [1, 2, 2], 0);
 * assert.equal(figure.data.length, 3);
 * ```
 */
export function inputChannelsFigure(
  input: ArrayLike<number>,
  dims: readonly [number, number, number],
  d: number,
): PlotlyFigure {
  return {
    data: [0, 1, 2].map((c) => ({
      type: "heatmap",
      z: gridImage(input, dims, d, { channels: 3, channel: c }),
      colorscale: "Greys",
      zmin: 0,
      zmax: 1,
      showscale: false,
      xaxis: `x${c ? c + 1 : ""}`,
      yaxis: `y${c ? c + 1 : ""}`,
    })),
    layout: {
      title: { text: `Input of output slice ${d}: channels z-1, z, z+1` },
      width: 900,
      height: 340,
      grid: { rows: 1, columns: 3, pattern: "independent" },
      yaxis: { autorange: "reversed" },
      yaxis2: { autorange: "reversed" },
      yaxis3: { autorange: "reversed" },
    },
  };
}
