/** Figure specs: traces, axes, CI band and legend texts from plain data. */
import assert from "node:assert/strict";
import { aucFractionFigure, rocFigure } from "../../src/report/figures.ts";
import { fractionColour } from "../../src/report/style.ts";

const points = [
  { fraction: 100, auc: 0.93, low: 0.91, high: 0.95 },
  { fraction: 0, auc: 0.68, low: 0.65, high: 0.71 },
  { fraction: 27.5, auc: 0.928, low: 0.91, high: 0.945 },
];

Deno.test("AUC-vs-fraction: a CI band and a line per panel, on its own axes", () => {
  const figure = aucFractionFigure([
    { split: "private", subset: "all", points },
    { split: "private", subset: "central", points },
    { split: "private", subset: "peripheral", points },
    {
      split: "external",
      subset: "all",
      points: points.map((p) => ({ ...p, low: null, high: null })),
    },
  ]);
  assert.equal(figure.data.length, 8);
  const [band, line] = figure.data;
  assert.equal(band.fill, "toself");
  assert.equal(band.mode, "lines"); // an outline without markers at the band's corners
  assert.deepEqual(band.x, [0, 27.5, 100, 100, 27.5, 0]);
  assert.deepEqual(band.y, [0.71, 0.945, 0.95, 0.91, 0.91, 0.65]);
  assert.deepEqual(line.x, [0, 27.5, 100]);
  assert.deepEqual(line.y, [0.68, 0.928, 0.93]);
  assert.equal(figure.data[6].xaxis, "x4");
  assert.equal(figure.data[7].yaxis, "y4");
  // an undefined CI collapses the band onto the AUC
  assert.deepEqual(figure.data[6].y, [0.68, 0.928, 0.93, 0.93, 0.928, 0.68]);
  // legend entries once, not once per panel
  assert.deepEqual(figure.data.map((t) => t.showlegend), [
    true,
    true,
    false,
    false,
    false,
    false,
    false,
    false,
  ]);
  const layout = figure.layout as Record<string, { title?: { text: string }; range?: number[] }>;
  assert.equal(layout.xaxis.title!.text, "Slice-label fraction (%)");
  assert.equal(layout.yaxis4.title!.text, "AUC");
  assert.deepEqual(layout.yaxis.range, [0.5, 1.01]);
  const titles = (figure.layout.annotations as { text: string }[]).map((a) => a.text);
  assert.deepEqual(titles, [
    "<b>Private test, all PE</b>",
    "<b>Private test, central PE</b>",
    "<b>Private test, peripheral PE</b>",
    "<b>External, all PE</b>",
  ]);
  JSON.stringify(figure); // plain JSON
});

Deno.test("ROC: one curve per fraction with its AUC in the legend, plus chance", () => {
  const figure = rocFigure(
    [
      {
        fraction: 100,
        auc: 0.9321,
        fpr: new Float64Array([0, 0.1, 1]),
        tpr: new Float64Array([0, 0.8, 1]),
      },
      { fraction: 0, auc: 0.682, fpr: [0, 0.5, 1], tpr: [0, 0.7, 1] },
    ],
    "private",
    "all",
  );
  assert.deepEqual(figure.data.map((t) => t.name), [
    "0 % (AUC 0.682)",
    "100 % (AUC 0.932)",
    "chance",
  ]);
  assert.deepEqual(figure.data[1].x, [0, 0.1, 1]);
  assert.ok(Array.isArray(figure.data[1].y));
  assert.notEqual(
    (figure.data[0].line as { color: string }).color,
    (figure.data[1].line as { color: string }).color,
  );
  const layout = figure.layout as Record<string, { title: { text: string } }>;
  assert.match(layout.xaxis.title.text, /false-positive rate/);
  assert.match(layout.yaxis.title.text, /Sensitivity/);
  assert.match((figure.layout.title as { text: string }).text, /Private test, all PE/);
});

Deno.test("fraction colours run from the first to the last stop", () => {
  const fractions = [0, 2.5, 100];
  assert.equal(fractionColour(0, fractions), "rgb(68, 1, 84)");
  assert.equal(fractionColour(100, fractions), "rgb(190, 208, 40)");
  assert.notEqual(fractionColour(2.5, fractions), fractionColour(0, fractions));
});
