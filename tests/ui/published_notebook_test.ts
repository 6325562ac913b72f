import assert from "node:assert/strict";
import { parseNotebook, publishNotebook } from "../../src/ui/published_notebook.ts";

const figureOutput = (png: boolean, points = 2) => ({
  output_type: "display_data",
  metadata: {},
  data: {
    "application/vnd.plotly.v1+json": { data: [{ y: Array(points).fill(1) }], layout: {} },
    "text/html": "<script>/* plotly.js, megabytes of it */</script>",
    "text/plain": "<Plotly figure: f, 1 traces>",
    ...(png ? { "image/png": "iVBORw0KGgo=" } : {}),
  },
});

const executed = (outputs: unknown[]) =>
  parseNotebook(
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: "deno" } },
      cells: [
        { cell_type: "markdown", metadata: {}, source: "# title" },
        { cell_type: "code", metadata: {}, source: "x", execution_count: 1, outputs },
      ],
    }),
    "test.ipynb",
  );

Deno.test("publishNotebook: PNG and Plotly JSON kept, plotly.js dropped, repository path removed", () => {
  const { notebook, report } = publishNotebook(
    executed([
      { output_type: "stream", name: "stdout", text: ["reading /repo/runs/demo\n", "done\n"] },
      figureOutput(true),
      figureOutput(true, 50_000),
    ]),
    { repositoryRoot: "/repo/", maxPlotlyJsonBytes: 10_000 },
  );
  const outputs = notebook.cells[1].outputs!;
  assert.equal(outputs[0].text, "reading runs/demo\ndone\n");
  assert.deepEqual(Object.keys(outputs[1].data!).sort(), [
    "application/vnd.plotly.v1+json",
    "image/png",
    "text/plain",
  ]);
  assert.deepEqual(Object.keys(outputs[2].data!).sort(), ["image/png", "text/plain"]);
  assert.deepEqual(report, { figures: 2, plotlyJsonDropped: 1, errors: [] });
  assert.equal(notebook.metadata.kernelspec !== undefined, true); // the rest is kept
});

Deno.test("publishNotebook: a figure without PNG fails with the fix; errors are reported", () => {
  assert.throws(
    () => publishNotebook(executed([figureOutput(false)]), { repositoryRoot: "/repo", name: "04" }),
    /04, cell 1: a Plotly figure has no PNG.*apt-get install chromium/,
  );
  const { report } = publishNotebook(
    executed([{
      output_type: "error",
      ename: "TypeError",
      evalue: "x is undefined",
      traceback: [],
    }]),
    { repositoryRoot: "/repo" },
  );
  assert.deepEqual(report.errors, ["cell 1: TypeError: x is undefined"]);
  assert.throws(
    () => parseNotebook('{"nbformat": 3, "metadata": {}, "cells": []}', "old"),
    /old: field 'nbformat'/,
  );
});
