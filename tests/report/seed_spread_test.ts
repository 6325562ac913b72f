import assert from "node:assert/strict";
import {
  readSeedEvaluation,
  seedSpreadFigure,
  seedSpreadMarkdown,
} from "../../src/report/seed_spread.ts";
import { pairwise, paperLike } from "./_metrics_fixture.ts";

/** Seed 0 shaped like the paper; seed 1 the same with exam labels alone above 2.5 %. */
function twoSeeds() {
  const flipped = paperLike();
  flipped.rows.find((r) => r.subset === "all" && r.fraction === 0)!.auc = 0.9;
  return [
    { seed: 0, metrics: paperLike(), pairwise: pairwise(0.001) },
    { seed: 1, metrics: flipped, pairwise: pairwise(0.2) },
  ];
}

Deno.test("seed spread: every seed's AUC, the mean and range, and each seed's checks", () => {
  const text = seedSpreadMarkdown(twoSeeds());
  assert.match(
    text,
    /\| 0 % \| 0\.680 \(0\.630-0\.730\) \| 0\.900 \(0\.630-0\.730\) \| 0\.790 \| 0\.680-0\.900 \|/,
  );
  assert.match(text, /\| 2\.5 % \| 0\.860 .* \| 0\.860 \| 0\.860-0\.860 \|/);
  const weak = text.split("\n").find((line) => line.includes("AUC at 0 % < AUC at 2.5 %"))!;
  assert.match(weak, /\| pass: 0\.680 -> 0\.860, p = 0\.001 \| \*\*FAIL\*\*: 0\.900 -> 0\.860/);
  assert.match(text, /Not every check passes on every seed\./);
  assert.match(seedSpreadMarkdown(twoSeeds().slice(0, 1)), /Every check passes on every seed\./);
});

Deno.test("seed spread: the figure draws per subset a range band, one line per seed and the mean", () => {
  const figure = seedSpreadFigure(twoSeeds());
  assert.equal(figure.data.length, 3 * (1 + 2 + 1));
  const band = figure.data[0] as { x: number[]; y: number[] };
  assert.deepEqual(band.x, [0, 2.5, 27.5, 100, 100, 27.5, 2.5, 0]);
  // upper edge (highest seed) forwards, lower edge (lowest seed) back
  assert.deepEqual(band.y, [0.9, 0.86, 0.92, 0.93, 0.93, 0.92, 0.86, 0.68]);
  const mean = figure.data[3] as { name: string; y: number[] };
  assert.equal(mean.name, "mean over seeds");
  assert.ok(Math.abs(mean.y[0] - 0.79) < 1e-12);
});

Deno.test("seed spread: a demo run's seed and evaluation are read back; a missing file is named", async () => {
  const runs = await Deno.makeTempDir();
  await Deno.mkdir(`${runs}/evaluation`);
  await Deno.writeTextFile(`${runs}/demo-summary.json`, JSON.stringify({ settings: { seed: 7 } }));
  await Deno.writeTextFile(`${runs}/evaluation/metrics.json`, JSON.stringify(paperLike()));
  await Deno.writeTextFile(`${runs}/evaluation/pairwise.json`, JSON.stringify(pairwise(0.01)));
  const run = await readSeedEvaluation(runs);
  assert.equal(run.seed, 7);
  assert.deepEqual(run.metrics, paperLike());
  await Deno.remove(`${runs}/evaluation/pairwise.json`);
  await assert.rejects(() => readSeedEvaluation(runs), /pairwise\.json not found/);
  await Deno.writeTextFile(`${runs}/demo-summary.json`, JSON.stringify({ settings: {} }));
  await assert.rejects(
    () => readSeedEvaluation(runs),
    /demo-summary\.json: field 'settings\.seed'/,
  );
  await Deno.remove(runs, { recursive: true });
});
