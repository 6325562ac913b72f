/**
 * Static and interactive export of Plotly figures. PNG and SVG are rendered by plotly.js inside
 * a headless Debian chromium driven by playwright-core, with plotly.js read from the pinned
 * `plotly.js-dist-min` in node_modules (no network). One browser is kept open per export batch
 * (~0.1-0.3 s per figure). Interactive HTML needs no browser and is written even when chromium
 * is missing.
 *
 * @example
 * ```ts ignore
 * import { exportFigures } from "./export.ts";
 * const figure = { data: [{ x: [0, 1], y: [0, 1], type: "scatter" }], layout: {} };
 * const result = await exportFigures([{ name: "diagonal", figure }], "out/figures");
 * result.written; // ["out/figures/diagonal.html", "out/figures/diagonal.png", ...]
 * ```
 */
import { chromium } from "playwright-core";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeBytesAtomic, writeTextAtomic } from "../io/atomic.ts";
import { errorMessage } from "../io/errors.ts";

/** A Plotly figure spec: traces and layout, plain JSON. */
export interface PlotlyFigure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

/** A static image format plotly.js can render. */
export type ImageFormat = "png" | "svg";

/** Where Debian installs chromium. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/**
 * Flags for a quiet, offline headless chromium. The empty profile (`--user-data-dir`) is made
 * by playwright itself: it creates a fresh temporary one per launch and refuses the flag.
 */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
] as const;

const PLOTLY_PATH = fileURLToPath(
  new URL("../../node_modules/plotly.js-dist-min/plotly.min.js", import.meta.url),
);
let plotlySource: string | undefined;

/**
 * The pinned plotly.js bundle as text (read once).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(plotlyJs().length > 1_000_000, true);
 * ```
 */
export function plotlyJs(): string {
  if (plotlySource === undefined) {
    try {
      plotlySource = Deno.readTextFileSync(PLOTLY_PATH);
    } catch {
      throw new Error(
        `plotly.js not found at ${PLOTLY_PATH}; fix: run \`deno install\` in the repository root`,
      );
    }
  }
  return plotlySource;
}

/**
 * Chromium is not installed where expected.
 *
 * @example
 * ```ts
 * new ChromiumMissingError("/usr/bin/chromium").message; // "chromium not found at ..."
 * ```
 */
export class ChromiumMissingError extends Error {
  constructor(path: string) {
    super(
      `chromium not found at ${path}, so no PNG/SVG figures were made; fix: apt-get install chromium fonts-dejavu-core`,
    );
    this.name = "ChromiumMissingError";
  }
}

/**
 * True when a chromium binary exists at `path`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(hasChromium(), true); // where Debian chromium is installed
 * ```
 */
export function hasChromium(path = CHROMIUM_PATH): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/**
 * A standalone interactive HTML page for `figure`. plotly.js is embedded inline unless
 * `plotlySrc` names a script file to load instead (e.g. a copy beside the page).
 *
 * @example
 * ```ts
 * const html = figureHtml({ data: [], layout: {} }, { plotlySrc: "plotly.min.js" });
 * ```
 */
export function figureHtml(figure: PlotlyFigure, options: { plotlySrc?: string } = {}): string {
  const title = String((figure.layout.title as { text?: string } | undefined)?.text ?? "figure");
  const script = options.plotlySrc
    ? `<script src="${options.plotlySrc}"></script>`
    : `<script>${plotlyJs()}</script>`;
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>${script}</head>
<body><div id="figure"></div>
<script>Plotly.newPlot("figure", ${jsonForScript(figure.data)}, ${
    jsonForScript(figure.layout)
  }, {responsive: true});</script>
</body></html>
`;
}

/** An open browser page with plotly.js loaded; render many figures, then `close()`. */
export interface FigureExporter {
  /** PNG bytes or SVG text of `figure`; `scale` multiplies the layout's pixel size (PNG). */
  render(figure: PlotlyFigure, format: "png", scale?: number): Promise<Uint8Array>;
  render(figure: PlotlyFigure, format: "svg"): Promise<string>;
  close(): Promise<void>;
}

/**
 * Launch chromium and load plotly.js; throws `ChromiumMissingError` when it is absent.
 *
 * @example
 * ```ts ignore
 * const exporter = await openFigureExporter();
 * const png = await exporter.render({ data: [], layout: {} }, "png");
 * await exporter.close();
 * ```
 */
export async function openFigureExporter(executablePath = CHROMIUM_PATH): Promise<FigureExporter> {
  if (!hasChromium(executablePath)) throw new ChromiumMissingError(executablePath);
  const browser = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS] });
  try {
    const page = await browser.newPage();
    await page.setContent("<!DOCTYPE html><html><body></body></html>");
    await page.addScriptTag({ content: plotlyJs() });
    const toDataUrl = (figure: PlotlyFigure, format: ImageFormat, scale: number) =>
      page.evaluate(async ({ figure, format, scale }) => {
        // deno-lint-ignore no-explicit-any
        const plotly = (globalThis as any).Plotly;
        // deno-lint-ignore no-explicit-any
        const doc = (globalThis as any).document;
        const div = doc.createElement("div");
        doc.body.appendChild(div);
        try {
          await plotly.newPlot(div, figure.data, figure.layout, { staticPlot: true });
          const layout = figure.layout as { width?: number; height?: number };
          return await plotly.toImage(div, {
            format,
            width: layout.width ?? 900,
            height: layout.height ?? 560,
            scale,
          }) as string;
        } finally {
          plotly.purge(div);
          div.remove();
        }
      }, { figure, format, scale });
    const render = async (figure: PlotlyFigure, format: ImageFormat, scale = 1) => {
      const url = await toDataUrl(figure, format, scale);
      const comma = url.indexOf(",");
      if (format === "svg") return decodeURIComponent(url.slice(comma + 1));
      return Uint8Array.from(atob(url.slice(comma + 1)), (c) => c.charCodeAt(0));
    };
    return {
      render: render as FigureExporter["render"],
      close: () => browser.close(),
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** One figure to export, written as `<name>.html`, `<name>.png` and `<name>.svg`. */
export interface NamedFigure {
  name: string;
  figure: PlotlyFigure;
}

/** What an export batch wrote, and why PNG/SVG are missing if they are. */
export interface ExportResult {
  written: string[];
  staticError: string | null;
}

/**
 * Write every figure as interactive HTML (sharing one `plotly.min.js` copied into `dir`), then
 * as PNG (at `pngScale`) and SVG through one browser. When chromium is missing or fails, the
 * HTML files are still written and `staticError` says why the images are not.
 *
 * @example
 * ```ts
 * // await exportFigures([{ name: "roc", figure }], "out/figures", { formats: ["png"] });
 * ```
 */
export async function exportFigures(
  figures: readonly NamedFigure[],
  dir: string,
  options: { formats?: readonly ImageFormat[]; pngScale?: number; executablePath?: string } = {},
): Promise<ExportResult> {
  const formats = options.formats ?? ["png", "svg"];
  const written: string[] = [];
  await writeTextAtomic(join(dir, "plotly.min.js"), plotlyJs());
  for (const { name, figure } of figures) {
    const path = join(dir, `${name}.html`);
    await writeTextAtomic(path, figureHtml(figure, { plotlySrc: "plotly.min.js" }));
    written.push(path);
  }
  if (formats.length === 0 || figures.length === 0) return { written, staticError: null };
  let exporter: FigureExporter;
  try {
    exporter = await openFigureExporter(options.executablePath);
  } catch (error) {
    return { written, staticError: errorMessage(error) };
  }
  try {
    for (const { name, figure } of figures) {
      for (const format of formats) {
        const path = join(dir, `${name}.${format}`);
        if (format === "png") {
          await writeBytesAtomic(path, await exporter.render(figure, "png", options.pngScale ?? 2));
        } else await writeTextAtomic(path, await exporter.render(figure, "svg"));
        written.push(path);
      }
    }
  } finally {
    await exporter.close();
  }
  return { written, staticError: null };
}

/**
 * JSON safe to place inside a <script> element.
 *
 * @example
 * ```ts
 * jsonForScript({ a: "</script>" }); // '{"a":"\\u003c/script>"}'
 * ```
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(
    /\u2029/g,
    "\\u2029",
  );
}

/**
 * Escape text for HTML element content and attributes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(escapeHtml("a < b"), "a &lt; b");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(
    /"/g,
    "&quot;",
  );
}
