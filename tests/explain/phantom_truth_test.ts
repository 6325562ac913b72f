import assert from "node:assert/strict";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { clotMask, dilateMask, regenerateExam } from "../../src/data/phantom/clot_mask.ts";
import { readTruth } from "../../src/data/phantom/truth.ts";
import { listCachedExams, readExamSidecar } from "../../src/preprocess/cache.ts";
import { explainExam, explainRun } from "../../src/explain/phantom_truth.ts";
import { loadBestNetwork, runFolder } from "../../src/train/mod.ts";
import { main as explainMain } from "../../src/cli/explain.ts";
import { syntheticRun } from "../train/_synthetic_run.ts";

// A tiny run trained the way a user trains one (synthetic DICOM -> cleaning -> preprocessing
// [8, 32, 32] -> 1 epoch); its maps are from a barely trained network, so the tests check the
// geometry and the bookkeeping, not that the network finds the clot.
const run = await syntheticRun();
const cacheDir = join(run.root, "cache");
const truth = await readTruth(join(run.data, "truth.json"));
const runDir = runFolder(run.runDir, run.fractionPercent, 0);

Deno.test("one exam: map on the source voxels the model saw, clot mask from the truth, no leak", async () => {
  const positive = (await listCachedExams(cacheDir)).find((e) => e.examLabel === 1)!;
  const { network, config } = await loadBestNetwork(runDir);
  const before = tf.memory().numTensors;
  const explanation = await explainExam(network, config, cacheDir, truth, positive.examId, {
    dilationMm: 0,
  });
  assert.equal(tf.memory().numTensors, before);
  network.dispose();
  const { summary, camSource, mask, phantom } = explanation;
  const { record } = await readExamSidecar(cacheDir, positive.examId);
  const [slices, rows, cols] = record.sourceDims;
  assert.equal(camSource.length, slices * rows * cols);
  // nothing outside the VOI's slices; the peak (1 on the model's grid) survives near 1
  for (let k = 0; k < slices; k++) {
    if (k >= record.voi.z[0] && k <= record.voi.z[1]) continue;
    assert.ok(camSource.subarray(k * rows * cols, (k + 1) * rows * cols).every((v) => v === 0));
  }
  assert.ok(Math.max(...camSource) <= 1 + 1e-6);
  // with no margin the mask is exactly the regenerated clots; the truth's slices come along
  assert.deepEqual(mask, clotMask(regenerateExam(truth, positive.examId)));
  assert.deepEqual(summary.clotSlices, phantom.truth.positiveSlices);
  assert.ok(summary.clotVoxels > 0 && summary.clotVoxels === mask.reduce((a, b) => a + b, 0));
  // chance level by hand: mask voxels inside the VOI slices and the square crop / such voxels
  const { crop, voi } = record;
  let inRegion = 0, maskInRegion = 0;
  for (let k = voi.z[0]; k <= voi.z[1]; k++) {
    for (let r = Math.ceil(crop.row0); r <= Math.min(rows - 1, crop.row0 + crop.side - 1); r++) {
      for (let c = Math.ceil(crop.col0); c <= Math.min(cols - 1, crop.col0 + crop.side - 1); c++) {
        if (r < 0 || c < 0) continue;
        inRegion++;
        maskInRegion += mask[(k * rows + r) * cols + c];
      }
    }
  }
  assert.ok(Math.abs(summary.chance - maskInRegion / inRegion) < 1e-12);
  assert.ok(summary.massInside === null || (summary.massInside >= 0 && summary.massInside <= 1));
  // slice level by hand: VOI slices holding a mask voxel / VOI slices
  let maskSlices = 0;
  for (let k = voi.z[0]; k <= voi.z[1]; k++) {
    if (mask.subarray(k * rows * cols, (k + 1) * rows * cols).some((v) => v === 1)) maskSlices++;
  }
  assert.ok(Math.abs(summary.sliceChance - maskSlices / (voi.z[1] - voi.z[0] + 1)) < 1e-12);
  assert.ok(summary.sliceMassInside !== null && summary.sliceMassInside <= 1);
  const shares = summary.topSlices.map((t) => t.mass);
  assert.deepEqual(shares, [...shares].sort((a, b) => b - a));
  // a 10 mm margin can only grow the mask and the chance level
  const wide = dilateMask(mask, [slices, rows, cols], [
    phantom.grid.dz,
    phantom.grid.px,
    phantom.grid.px,
  ], 10);
  assert.ok(wide.reduce((a, b) => a + b, 0) > summary.clotVoxels);
});

Deno.test("a run folder: every positive of the splits checked, examples only of detected exams", async () => {
  const before = tf.memory().numTensors;
  const result = await explainRun({
    runDir,
    cacheDir,
    truth,
    options: { splits: ["train", "public", "private", "external"], threshold: 0 },
  });
  assert.equal(tf.memory().numTensors, before);
  const positives = (await listCachedExams(cacheDir)).filter((e) => e.examLabel === 1);
  assert.equal(result.exams.length + result.excluded.length, positives.length);
  assert.ok(result.exams.every((e) => e.detected)); // threshold 0
  for (const kind of ["central", "peripheral"] as const) {
    const best = result.exams.filter((e) => e.subtype === kind)
      .sort((a, b) => b.score - a.score)[0];
    assert.equal(result.examples[kind]?.summary.examId, best?.examId);
  }
  const none = await explainRun({ runDir, cacheDir, truth, options: { threshold: 1 } });
  assert.deepEqual(none.examples, {});
  assert.ok(none.exams.every((e) => !e.detected || e.score === 1));
});

Deno.test("deno task explain writes the per-fraction JSON, the table and the figures", async () => {
  const out = await Deno.makeTempDir({ prefix: "explain-" });
  await explainMain([
    "--run",
    run.runDir,
    "--cache",
    cacheDir,
    "--data",
    run.data,
    "--out",
    out,
    "--splits",
    "train,public,private,external",
    "--threshold",
    "0",
    "--no-images",
    "--backend",
    "wasm",
  ]);
  const written = JSON.parse(await Deno.readTextFile(join(out, "explain.json")));
  assert.deepEqual(written.settings.fractions, [run.fractionPercent]);
  assert.equal(written.fractions[0].threshold.source, "--threshold");
  assert.ok((await Deno.readTextFile(join(out, "mass-by-fraction.md"))).includes("50 %"));
  assert.ok((await Deno.stat(join(out, "figures", "mass-by-fraction.html"))).isFile);
  await assert.rejects(
    () =>
      explainMain([
        "--run",
        run.runDir,
        "--cache",
        cacheDir,
        "--data",
        run.data,
        "--out",
        out,
        "--fold",
        "7",
      ]),
    /no fraction-F\/fold-7 run/,
  );
});
