/** Static export through headless chromium: real PNG and SVG files; skipped without chromium. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { exportFigures, figureHtml, hasChromium } from "../../src/report/export.ts";
import { rocFigure } from "../../src/report/figures.ts";

const chromium = hasChromium();
if (!chromium) {
  console.warn(
    "export_test: PNG/SVG checks skipped, /usr/bin/chromium not found (apt-get install chromium)",
  );
}

const figure = rocFigure(
  [{ fraction: 27.5, auc: 0.9, fpr: [0, 0.2, 1], tpr: [0, 0.85, 1] }],
  "private",
  "all",
);

Deno.test("interactive HTML embeds plotly.js and the figure", () => {
  const html = figureHtml(figure);
  assert.ok(html.length > 1_000_000, "plotly.js inline");
  assert.match(html, /Plotly\.newPlot\("figure"/);
  assert.match(html, /27\.5 % \(AUC 0\.900\)/);
  assert.match(figureHtml(figure, { plotlySrc: "plotly.min.js" }), /<script src="plotly.min.js">/);
});

Deno.test({
  name: "PNG and SVG export give a valid PNG and an SVG document",
  ignore: !chromium,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const result = await exportFigures([{ name: "roc", figure }], dir, { pngScale: 1 });
      assert.equal(result.staticError, null);
      const png = await Deno.readFile(join(dir, "roc.png"));
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
      const view = new DataView(png.buffer, png.byteOffset);
      assert.equal(view.getUint32(16), 820); // IHDR width = layout width at scale 1
      assert.equal(view.getUint32(20), 600);
      const svg = await Deno.readTextFile(join(dir, "roc.svg"));
      assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.match(svg, /AUC 0\.900/);
      assert.ok((await Deno.stat(join(dir, "roc.html"))).isFile);
      assert.ok((await Deno.stat(join(dir, "plotly.min.js"))).isFile);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("without chromium the HTML is still written and the reason is given", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const result = await exportFigures([{ name: "roc", figure }], dir, {
      executablePath: "/nonexistent/chromium",
    });
    assert.match(result.staticError!, /chromium not found at \/nonexistent\/chromium/);
    assert.match(result.staticError!, /apt-get install chromium/);
    assert.deepEqual(result.written, [join(dir, "roc.html")]);
    assert.ok((await Deno.stat(join(dir, "roc.html"))).isFile);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
