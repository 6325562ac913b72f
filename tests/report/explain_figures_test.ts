import assert from "node:assert/strict";
import { massPoint as point } from "../explain/_mass_point.ts";
import {
  camPairFigure,
  camStripFigure,
  massFractionFigure,
  massFractionTable,
} from "../../src/report/explain_figures.ts";

Deno.test("mass figure: a point per exam, the mean line and the chance line; table rows", () => {
  const points = [point(0, 0.2), point(0, 0.4), point(27.5, 0.5)];
  const figure = massFractionFigure(points);
  assert.equal(figure.data.length, 4);
  assert.deepEqual(figure.data[1].y, [0.2, 0.4, 0.5]); // peripheral exams
  assert.deepEqual(figure.data[3].y, [0.1, 0.1]); // chance per fraction
  const axis = figure.layout.xaxis as { ticktext: string[] };
  assert.deepEqual(axis.ticktext, ["0 %", "27.5 %"]);
  const slices = massFractionFigure(points, "slice").layout.title as { text: string };
  assert.ok(slices.text.includes("clot's slices"));
  assert.ok(massFractionTable(points, "slice").markdown.includes("slices the dilated clot mask"));
  const table = massFractionTable(points).markdown;
  assert.ok(table.includes("| 27.5 % | 1 | 0.500 | — | 0.500 | 0.100 | 5.00 | 1/1 |"), table);
});

Deno.test("slice figures carry the slice, the overlay and the truth outline unchanged", () => {
  const panel = {
    slice: 7,
    hu: [[-1000, 40], [40, 300]],
    cam: [[0, 0.25], [0.5, 1]],
    outline: { x: [1], y: [0] },
    mass: 0.125,
  };
  const pair = camPairFigure("exam", panel);
  assert.equal(pair.data.length, 5); // HU + outline | HU + Grad-CAM + outline
  assert.deepEqual(pair.data[3].z, panel.cam);
  assert.deepEqual(pair.data[4].x, [1]);
  const notes = pair.layout.annotations as { text: string }[];
  assert.ok(notes[1].text.includes("12.5 %"));
  const strip = camStripFigure("strip", [panel, { ...panel, slice: 9 }]);
  assert.equal(strip.data.length, 6);
  assert.equal(strip.data[3].xaxis, "x2");
  assert.equal((strip.layout.annotations as { text: string }[])[1].text, "9: 12.5 %");
});
