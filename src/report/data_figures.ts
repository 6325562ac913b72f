/**
 * Figures of the data (notebooks 00 and 01): the HU of each tissue of a synthetic exam before and
 * after its noise, and the exams through the cleaning flow with what each step removed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tissueHuFigure } from "./data_figures.ts";
 * const figure = tissueHuFigure({ lung: { clean: [-850, -840], noisy: [-860, -820] } }, "exam 3");
 * assert.equal(figure.data.length, 2); // before noise, as written
 * ```
 */
import type { FlowStep } from "../data/rspect/summary.ts";
import type { PlotlyFigure } from "./export.ts";

/**
 * Box plots of HU per tissue, before the noise and as written (`tissueSamples` of the phantom's
 * gallery).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tissueHuFigure } from "./data_figures.ts";
 * const figure = tissueHuFigure({ blood: { clean: [300], noisy: [310] } }, "exam 1");
 * assert.deepEqual(figure.data[1].y, [310]);
 * ```
 */
export function tissueHuFigure(
  samples: Readonly<Record<string, { clean: readonly number[]; noisy: readonly number[] }>>,
  exam: string,
): PlotlyFigure {
  const names = Object.keys(samples);
  const trace = (label: string, pick: "clean" | "noisy", color: string) => ({
    type: "box",
    name: label,
    boxpoints: false,
    marker: { color },
    x: names.flatMap((n) => Array(samples[n][pick].length).fill(n)),
    y: names.flatMap((n) => samples[n][pick]),
  });
  return {
    data: [trace("before noise", "clean", "#1f77b4"), trace("written", "noisy", "#ff7f0e")],
    layout: {
      title: { text: `HU per tissue (${exam}): before noise vs written` },
      boxmode: "group",
      width: 1000,
      height: 480,
      yaxis: { title: { text: "HU" }, range: [-1100, 1300] },
    },
  };
}

/**
 * What a cleaning step removed, by reason, as one line (`<br>` between reasons).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { removedText } from "./data_figures.ts";
 * assert.equal(removedText({ "missing-slices": 2, "gantry-tilt": 1 }), "missing-slices: 2<br>gantry-tilt: 1");
 * assert.equal(removedText({}), "none removed");
 * ```
 */
export function removedText(removed: FlowStep["removed"]): string {
  return Object.entries(removed).map(([r, n]) => `${r}: ${n}`).join("<br>") || "none removed";
}

/**
 * The exams through the cleaning (a funnel: exams left after each step, what it removed on
 * hover), from `examsInLabels` to `included`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { cleaningFlowFigure } from "./data_figures.ts";
 * const figure = cleaningFlowFigure([
 *   { step: "exams in train.csv", remaining: 10, removed: {} },
 *   { step: "DICOM check", remaining: 9, removed: { "missing-slices": 1 } },
 * ], { examsInLabels: 10, included: 9 });
 * assert.deepEqual(figure.data[0].y, ["exams in train.csv", "after DICOM check"]);
 * ```
 */
export function cleaningFlowFigure(
  flow: readonly FlowStep[],
  totals: { examsInLabels: number; included: number },
): PlotlyFigure {
  return {
    data: [{
      type: "funnel",
      y: flow.map((s, i) => (i === 0 ? s.step : `after ${s.step}`)),
      x: flow.map((s) => s.remaining),
      text: flow.map((s) => removedText(s.removed)),
      textinfo: "value",
      hovertemplate: "%{y}: %{x} exams<br>%{text}<extra></extra>",
      marker: { color: "#4c78a8" },
    }],
    layout: {
      title: {
        text: `Exams through the cleaning: ${totals.examsInLabels} -> ${totals.included} included`,
      },
      margin: { l: 160 },
      width: 700,
      height: 360,
    },
  };
}
