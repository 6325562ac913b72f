/**
 * Showing figures and tables in a notebook (Deno Jupyter kernel) so they render everywhere:
 * JupyterLab and VS Code read `application/vnd.plotly.v1+json`; classic Notebook and nbconvert
 * HTML run the `text/html` (plotly.js embedded inline, once per kernel, with the PNG inside as
 * the fallback when scripts do not run); static viewers (GitHub, nbviewer, nbconvert 6.5 which
 * empties SVG) show `image/png`; terminals get `text/plain`.
 *
 * @example
 * ```ts
 * import { showFigure, showTable } from "./notebook.ts";
 * await showFigure({ data: [{ x: [0, 1], y: [0, 1], type: "scatter" }], layout: {} });
 * showTable("| a | b |\n|---|---|\n| 1 | 2 |");
 * // bundles without displaying: renderFigureBundle(figure), tableBundle(markdown)
 * ```
 */
import {
  escapeHtml,
  type FigureExporter,
  jsonForScript,
  openFigureExporter,
  type PlotlyFigure,
  plotlyJs,
} from "../report/export.ts";
import { inJupyterKernel } from "./progress.ts";
import { errorMessage } from "../io/errors.ts";

/** A MIME bundle as Jupyter displays it. */
export type DisplayBundle = Record<string, unknown>;

interface JupyterDisplay {
  display(bundle: DisplayBundle, options: { raw: boolean }): Promise<void>;
}

let plotlyEmbedded = false;
let figureCounter = 0;

/**
 * The display bundle of a figure: Plotly JSON, HTML (interactive, PNG fallback inside), PNG
 * (base64) when `png` is given, and plain text. `embedPlotly` puts plotly.js into the HTML.
 *
 * @example
 * ```ts
 * Object.keys(figureBundle({ data: [], layout: {} }, null)); // JSON, HTML, text
 * ```
 */
export function figureBundle(
  figure: PlotlyFigure,
  png: Uint8Array | null,
  options: { embedPlotly?: boolean } = {},
): DisplayBundle {
  const title = String((figure.layout.title as { text?: string } | undefined)?.text ?? "figure");
  const width = Number(figure.layout.width ?? 900);
  const height = Number(figure.layout.height ?? 560);
  const id = `pe-figure-${Date.now().toString(36)}-${figureCounter++}`;
  const pngBase64 = png ? bytesToBase64(png) : null;
  const fallback = pngBase64
    ? `<img src="data:image/png;base64,${pngBase64}" width="${width}" alt="${escapeHtml(title)}">`
    : `<p>${escapeHtml(title)} (interactive figure: needs JavaScript)</p>`;
  const loader = options.embedPlotly
    ? `<script>if (!window.Plotly) { (function () { var saved = window.define; window.define = undefined;\n${plotlyJs()}\nwindow.define = saved; })(); }</script>\n`
    : "";
  const html =
    `${loader}<div id="${id}" style="width:${width}px;height:${height}px">${fallback}</div>
<script>(function () { var el = document.getElementById("${id}"); if (!el || !window.Plotly) return;
el.innerHTML = ""; window.Plotly.newPlot(el, ${jsonForScript(figure.data)}, ${
      jsonForScript(figure.layout)
    }); })();</script>`;
  const bundle: DisplayBundle = {
    "application/vnd.plotly.v1+json": { data: figure.data, layout: figure.layout },
    "text/html": html,
    "text/plain": `<Plotly figure: ${title}, ${figure.data.length} traces>`,
  };
  if (pngBase64) bundle["image/png"] = pngBase64;
  return bundle;
}

/**
 * The full bundle of `figure`, PNG included: rendered with `exporter` when given (reuse one for
 * many figures), else with a browser opened for this call. Without chromium the bundle has no
 * PNG and a warning says why.
 *
 * @example
 * ```ts ignore
 * const bundle = await renderFigureBundle({ data: [], layout: {} });
 * "image/png" in bundle; // true with chromium
 * ```
 */
export async function renderFigureBundle(
  figure: PlotlyFigure,
  options: { exporter?: FigureExporter; scale?: number; embedPlotly?: boolean } = {},
): Promise<DisplayBundle> {
  let png: Uint8Array | null = null;
  try {
    const exporter = options.exporter ?? await openFigureExporter();
    try {
      png = await exporter.render(figure, "png", options.scale ?? 1);
    } finally {
      if (!options.exporter) await exporter.close();
    }
  } catch (error) {
    console.warn(`figure shown without PNG: ${errorMessage(error)}`);
  }
  return figureBundle(figure, png, { embedPlotly: options.embedPlotly });
}

/**
 * Show `figure` in the notebook (plotly.js is embedded with the first figure of the kernel,
 * unless the environment sets `PE_NOTEBOOK_EMBED_PLOTLY=0`).
 * Outside the kernel it does nothing.
 *
 * @example
 * ```ts
 * await showFigure({ data: [{ type: "scatter", x: [0, 1], y: [0, 1] }], layout: {} });
 * ```
 */
export async function showFigure(
  figure: PlotlyFigure,
  options: { exporter?: FigureExporter; scale?: number } = {},
): Promise<void> {
  if (!inJupyterKernel()) return;
  // PE_NOTEBOOK_EMBED_PLOTLY=0 (set by `deno task notebooks`, whose copies drop the HTML): no
  // 3.5 MB plotly.js in the first figure's message.
  const embed = !plotlyEmbedded && Deno.env.get("PE_NOTEBOOK_EMBED_PLOTLY") !== "0";
  const bundle = await renderFigureBundle(figure, { ...options, embedPlotly: embed });
  await jupyter().display(bundle, { raw: true });
  plotlyEmbedded ||= embed;
}

/**
 * The bundle of a table given as Markdown, as HTML (a string starting with `<`), or as both:
 * `text/markdown` and/or `text/html`, always `text/plain`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(Object.keys(tableBundle("| a |\n|---|\n| 1 |")), ["text/markdown", "text/plain"]);
 * ```
 */
export function tableBundle(table: string | { markdown: string; html: string }): DisplayBundle {
  const bundle: DisplayBundle = {};
  if (typeof table === "string") {
    if (table.trimStart().startsWith("<")) bundle["text/html"] = table;
    else bundle["text/markdown"] = table;
    bundle["text/plain"] = table;
  } else {
    bundle["text/markdown"] = table.markdown;
    bundle["text/html"] = table.html;
    bundle["text/plain"] = table.markdown;
  }
  return bundle;
}

/**
 * Show a table (see `tableBundle`) in the notebook; outside the kernel it does nothing.
 *
 * @example
 * ```ts
 * await showTable({ markdown: "| a |\n|---|\n| 1 |", html: "<table></table>" });
 * ```
 */
export async function showTable(
  table: string | { markdown: string; html: string },
): Promise<void> {
  if (inJupyterKernel()) await jupyter().display(tableBundle(table), { raw: true });
}

/**
 * Show the PNG files `names` of `dir` that exist (e.g. the committed figures/) in the notebook;
 * returns the names found. Outside the kernel it only returns them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { showFigureFiles } from "./notebook.ts";
 * assert.deepEqual(await showFigureFiles("figures", ["auc_by_fraction.png", "none.png"]), [
 *   "auc_by_fraction.png",
 * ]);
 * ```
 */
export async function showFigureFiles(dir: string, names: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const name of names) {
    const path = `${dir}/${name}`;
    const png = await Deno.readFile(path).catch(() => null);
    if (png === null) continue;
    if (inJupyterKernel()) {
      await jupyter().display(
        { "image/png": bytesToBase64(png), "text/plain": `<figure ${path}>` },
        {
          raw: true,
        },
      );
    }
    found.push(name);
  }
  return found;
}

function jupyter(): JupyterDisplay {
  return (Deno as unknown as { jupyter: JupyterDisplay }).jupyter;
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}
