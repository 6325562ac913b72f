/** Notebook display bundles: every MIME type a viewer may need. */
import assert from "node:assert/strict";
import { hasChromium } from "../../src/report/export.ts";
import { aucFractionFigure } from "../../src/report/figures.ts";
import { figureBundle, renderFigureBundle, tableBundle } from "../../src/ui/notebook.ts";

const figure = aucFractionFigure([{
  split: "private",
  subset: "all",
  points: [{ fraction: 0, auc: 0.68, low: 0.65, high: 0.71 }, {
    fraction: 100,
    auc: 0.93,
    low: 0.91,
    high: 0.95,
  }],
}]);
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

Deno.test("a figure bundle carries Plotly JSON, HTML with PNG fallback, PNG and text", () => {
  const png = new Uint8Array([...PNG_MAGIC, 1, 2, 3]);
  const bundle = figureBundle(figure, png, { embedPlotly: true });
  assert.deepEqual(Object.keys(bundle).sort(), [
    "application/vnd.plotly.v1+json",
    "image/png",
    "text/html",
    "text/plain",
  ]);
  assert.deepEqual(bundle["application/vnd.plotly.v1+json"], figure);
  const base64 = bundle["image/png"] as string;
  assert.deepEqual([...Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], [...png]);
  const html = bundle["text/html"] as string;
  assert.ok(html.includes(`<img src="data:image/png;base64,${base64}"`), "PNG fallback inside");
  assert.ok(html.length > 1_000_000, "plotly.js embedded");
  assert.match(html, /window\.Plotly\.newPlot/);
  assert.match(bundle["text/plain"] as string, /AUC by slice-label fraction/);
  const light = figureBundle(figure, png)["text/html"] as string;
  assert.ok(light.length < 100_000, "plotly.js embedded only when asked");
});

Deno.test({
  name: "the rendered bundle holds a real PNG made by chromium",
  ignore: !hasChromium(),
  async fn() {
    const bundle = await renderFigureBundle(figure);
    const png = Uint8Array.from(atob(bundle["image/png"] as string), (c) => c.charCodeAt(0));
    assert.deepEqual([...png.subarray(0, 8)], PNG_MAGIC);
    assert.equal(Object.keys(bundle).length, 4);
  },
});

Deno.test("a table bundle carries Markdown or HTML and text", () => {
  assert.deepEqual(Object.keys(tableBundle("| a |\n|---|\n| 1 |")).sort(), [
    "text/markdown",
    "text/plain",
  ]);
  assert.deepEqual(Object.keys(tableBundle("<table></table>")).sort(), ["text/html", "text/plain"]);
  assert.deepEqual(
    Object.keys(tableBundle({ markdown: "| a |", html: "<table></table>" })).sort(),
    [
      "text/html",
      "text/markdown",
      "text/plain",
    ],
  );
});
