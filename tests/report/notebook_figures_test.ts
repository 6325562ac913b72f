/** The figures the notebooks show, built from plain data and a prepared synthetic chest. */
import assert from "node:assert/strict";
import {
  prepareVolume,
  preprocessConfigSchema,
  sliceStackInput,
} from "../../src/preprocess/mod.ts";
import {
  inputChannelsFigure,
  lungMaskFigure,
  outputSliceOf,
  preparedSliceFigure,
  sliceLabelsFigure,
  voiCoronalFigure,
  voiMiddleSlice,
  voiSamples,
  windowFigure,
} from "../../src/report/preprocess_figures.ts";
import { sliceProbabilityFigure, slicesToShow } from "../../src/report/predict_figures.ts";
import { gridCamFigure, trainingCurvesFigure } from "../../src/report/training_figures.ts";
import { cleaningFlowFigure, tissueHuFigure } from "../../src/report/data_figures.ts";
import { syntheticChest } from "../preprocess/_fixtures.ts";

const size: [number, number, number] = [8, 16, 16];
const { volume } = syntheticChest([24, 48, 48]);
const labels = new Uint8Array(24).fill(0, 0, 10).fill(1, 10, 14);
const prepared = prepareVolume(volume, labels, preprocessConfigSchema.parse({ size }));
const { record } = prepared;

Deno.test("preprocessing figures: the slice shown is the VOI's middle, images match the grids", () => {
  const z = voiMiddleSlice(record.voi);
  assert.ok(z >= record.voi.z[0] && z <= record.voi.z[1]);
  const mask = lungMaskFigure(volume, prepared);
  assert.equal(
    (mask.layout.title as { text: string }).text,
    `Axial slice ${z}: lung mask, VOI and square crop`,
  );
  const image = mask.data[0].z as number[][];
  assert.deepEqual([image.length, image[0].length], [48, 48]);
  assert.equal(image[5][7], volume.hu[(z * 48 + 5) * 48 + 7]);
  assert.equal((mask.layout.shapes as unknown[]).length, 2);
  assert.equal((voiCoronalFigure(volume, record.voi).data[0].z as number[][]).length, 24);
  const samples = voiSamples(volume, record.voi);
  assert.ok(samples.length > 0);
  assert.equal((windowFigure(samples).data[1].x as number[]).length, samples.length);
  const d = outputSliceOf(record, z);
  const [a, b] = record.sourceSlices[d];
  assert.ok(a <= z && z <= b);
  const out = preparedSliceFigure(volume, prepared, size).data[1].z as number[][];
  assert.deepEqual([out.length, out[0].length], [16, 16]);
  assert.equal(out[3][4], prepared.voxels[(d * 16 + 3) * 16 + 4] / 255);
  const labelFigure = sliceLabelsFigure(record, prepared.sliceLabels);
  assert.equal(labelFigure.data.length, 1 + size[0]);
  const input = sliceStackInput({ dims: size, voxels: prepared.voxels }, "adjacent");
  const channels = inputChannelsFigure(input, size, d).data.map((t) => t.z as number[][]);
  assert.equal(channels[1][2][3], input[((d * 16 + 2) * 16 + 3) * 3 + 1]);
});

Deno.test("training figures: curves per fraction, Grad-CAM beside the prepared slice", () => {
  const log = (epoch: number) => ({
    epoch,
    loss: 0.7 / epoch,
    valLoss: 0.6,
    valAuc: epoch === 1 ? null : 0.8,
    learningRate: 1e-3,
    seconds: 1,
    examsPerSecond: 5,
  });
  const curves = trainingCurvesFigure(new Map([[100, [log(1), log(2)]], [0, [log(1)]]]));
  assert.deepEqual(curves.data.map((t) => t.name), [
    "0 % loss",
    "0 % val loss",
    "0 % val AUC",
    "100 % loss",
    "100 % val loss",
    "100 % val AUC",
  ]);
  assert.deepEqual(curves.data[5].y, [null, 0.8]);
  const cam = new Float32Array(prepared.voxels.length).fill(0.5);
  const figure = gridCamFigure({ dims: size, voxels: prepared.voxels }, cam, 2, "cam");
  assert.equal((figure.data[1].z as number[][])[0][0], 0.5);
});

Deno.test("prediction figure: curve, truth marks and up to four slices of the study", () => {
  const probabilities = record.sourceSlices.map((_, d) => d / size[0]);
  const cover = Array.from(
    { length: 24 },
    (_, k) => record.sourceSlices.findIndex(([a, b]) => a <= k && k <= b),
  );
  const sourceSlices = volume.sopInstanceUids.map((sopInstanceUid, k) => ({
    sopInstanceUid,
    zPosition: volume.zPositions[k],
    outputSlices: null,
    probability: cover[k] < 0 ? null : probabilities[cover[k]],
  }));
  const picks = slicesToShow(sourceSlices.map((s) => s.probability));
  assert.ok(picks.length >= 1 && picks.length <= 4);
  const figure = sliceProbabilityFigure(
    { sourceSlices, sliceProbabilities: probabilities, examProbability: 0.7, record },
    volume,
    new Set([volume.sopInstanceUids[11]]),
  );
  assert.equal(figure.data.filter((t) => t.type === "heatmap").length, picks.length);
  assert.deepEqual(figure.data[2].x, [volume.zPositions[11]]);
});

Deno.test("data figures: tissue HU before and after noise, the cleaning flow", () => {
  const tissue = tissueHuFigure({
    lung: { clean: [-850, -845], noisy: [-860] },
    blood: { clean: [300], noisy: [290, 310] },
  }, "exam 4");
  assert.deepEqual(tissue.data[0].x, ["lung", "lung", "blood"]);
  assert.deepEqual(tissue.data[1].y, [-860, 290, 310]);
  const flow = cleaningFlowFigure([
    { step: "exams in train.csv", remaining: 12, removed: {} },
    { step: "labels", remaining: 10, removed: { "label-incoherent": 1, indeterminate: 1 } },
  ], { examsInLabels: 12, included: 10 });
  assert.deepEqual(flow.data[0].x, [12, 10]);
  assert.deepEqual(flow.data[0].text, ["none removed", "label-incoherent: 1<br>indeterminate: 1"]);
});
