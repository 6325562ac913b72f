/**
 * The look of every figure in one place: fonts, sizes, colours, axis styling and the label
 * texts the figures share. Figure builders (figures.ts) take their styling only from here.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fractionColour, FIGURE_STYLE } from "./style.ts";
 * fractionColour(27.5, [0, 27.5, 100]); // "rgb(...)" on the fraction colour scale
 * assert.equal(FIGURE_STYLE.font.size, 13);
 * ```
 */

/** Shared layout pieces: font, background, margins, default export size. */
export const FIGURE_STYLE = {
  font: { family: "DejaVu Sans, Arial, sans-serif", size: 13, color: "#222222" },
  titleFont: { size: 15 },
  paper: "#ffffff",
  plot: "#ffffff",
  grid: "#e3e3e3",
  axisLine: "#444444",
  margin: { l: 64, r: 24, t: 56, b: 56 },
  width: 900,
  height: 560,
  /** Line colour of a single-series figure (AUC vs fraction) and its CI band. */
  line: "#1f5fa8",
  band: "rgba(31, 95, 168, 0.18)",
  chance: "#9a9a9a",
} as const;

/** Viridis stops (from dark blue at 0 % to yellow-green at 100 %), darkened ends trimmed. */
const FRACTION_SCALE: readonly [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [190, 208, 40],
];

/**
 * The colour of one label fraction among `fractions`: its rank mapped onto a viridis-like
 * scale, so neighbouring fractions stay distinguishable however unevenly they are spaced.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(fractionColour(0, [0, 50, 100]), "rgb(68, 1, 84)");
 * ```
 */
export function fractionColour(fraction: number, fractions: readonly number[]): string {
  const sorted = [...new Set(fractions)].sort((a, b) => a - b);
  const rank = sorted.indexOf(fraction);
  const t = sorted.length <= 1 || rank < 0 ? 0 : rank / (sorted.length - 1);
  const position = t * (FRACTION_SCALE.length - 1);
  const i = Math.min(FRACTION_SCALE.length - 2, Math.floor(position));
  const w = position - i;
  const [r, g, b] = FRACTION_SCALE[i].map((c, k) =>
    Math.round(c + w * (FRACTION_SCALE[i + 1][k] - c))
  );
  return `rgb(${r}, ${g}, ${b})`;
}

/**
 * An axis in the house style; `extra` adds or overrides fields.
 *
 * @example
 * ```ts
 * axisStyle("AUC", { range: [0.5, 1] }); // { title: { text: "AUC" }, ..., range: [0.5, 1] }
 * ```
 */
export function axisStyle(
  title: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    title: { text: title },
    showgrid: true,
    gridcolor: FIGURE_STYLE.grid,
    zeroline: false,
    showline: true,
    linecolor: FIGURE_STYLE.axisLine,
    ticks: "outside",
    ...extra,
  };
}

/**
 * The base layout every figure starts from.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(baseLayout("ROC curves").width, 900);
 * ```
 */
export function baseLayout(title: string): Record<string, unknown> {
  return {
    title: { text: title, font: FIGURE_STYLE.titleFont, x: 0.02, xanchor: "left" },
    font: FIGURE_STYLE.font,
    paper_bgcolor: FIGURE_STYLE.paper,
    plot_bgcolor: FIGURE_STYLE.plot,
    margin: FIGURE_STYLE.margin,
    width: FIGURE_STYLE.width,
    height: FIGURE_STYLE.height,
  };
}

/**
 * A fraction in percent as the figures and tables print it: `27.5 %`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(formatFraction(27.5), "27.5 %");
 * ```
 */
export function formatFraction(fraction: number): string {
  return `${fraction} %`;
}

/** Display names of the evaluation splits and subsets. */
export const SPLIT_NAMES: Record<string, string> = {
  train: "Training",
  public: "Public test",
  private: "Private test",
  external: "External",
};

/** Display names of the evaluation subsets. */
export const SUBSET_NAMES: Record<string, string> = {
  all: "all PE",
  central: "central PE",
  peripheral: "peripheral PE",
};

/** Colours of categories without an order (allocation strategies), colour-blind safe (Okabe-Ito). */
const CATEGORY_PALETTE = [
  "#000000",
  "#e69f00",
  "#56b4e9",
  "#009e73",
  "#cc79a7",
  "#0072b2",
  "#d55e00",
] as const;

/**
 * The colour of the `index`-th category (cycling through the palette).
 *
 * @example
 * ```ts
 * categoryColour(0); // "#000000"
 * ```
 */
export function categoryColour(index: number): string {
  return CATEGORY_PALETTE[index % CATEGORY_PALETTE.length];
}
