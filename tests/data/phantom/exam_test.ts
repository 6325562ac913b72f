import assert from "node:assert/strict";
import { generateExam } from "../../../src/data/phantom/exam.ts";
import { examPlans } from "../../../src/data/phantom/schedule.ts";
import { type PhantomProfile, phantomProfile } from "../../../src/data/phantom/profile.ts";
import { Tissue } from "../../../src/data/phantom/tissue.ts";

const tiny = phantomProfile("tiny");
const plans = examPlans(5, 100);

Deno.test("same seed gives identical exams; another seed differs", () => {
  const plan = plans.find((p) => p.label === "positive")!;
  const a = generateExam(5, tiny, plan);
  const b = generateExam(5, tiny, plan);
  assert.deepEqual(a.stored, b.stored);
  assert.deepEqual(a.truth, b.truth);
  const c = generateExam(6, tiny, plan);
  assert.notDeepEqual(a.stored, c.stored);
  assert.notEqual(a.truth.studyUid, c.truth.studyUid);
});

/** HU ranges of the tissues (pure voxels, before artefacts and noise). */
const ranges: [number, string, number, number][] = [
  [Tissue.Air, "air", -1000, -1000],
  [Tissue.Fat, "fat", -150, -50],
  [Tissue.SoftTissue, "soft tissue", 30, 60],
  [Tissue.Lung, "lung", -950, -750],
  [Tissue.Bone, "bone", 400, 1200],
  [Tissue.Clot, "clot", 20, 80],
];

Deno.test("each tissue's HU lies in its range; arteries 200-450 when well opacified", () => {
  // The demo's anatomy with the paper profile's (realistic) clot attenuation; the demo's own,
  // darker calibration clots are checked in the next test.
  const demo: PhantomProfile = {
    ...phantomProfile("demo"),
    matrix: 64,
    clotHu: phantomProfile("paper").clotHu,
  };
  const picks = plans.filter((p) => p.label === "positive").slice(0, 6);
  let clotVoxels = 0, arteryVoxels = 0;
  const lungValues: number[] = [];
  for (const plan of picks) {
    const exam = generateExam(5, demo, plan, { keepTruthMaps: true });
    const hu = exam.cleanHu!;
    const wellOpacified = !exam.truth.mimics.includes("poor-opacification") &&
      !exam.truth.mimics.includes("flow");
    for (let v = 0; v < hu.length; v++) {
      const code = exam.tissue[v];
      for (const [tissue, name, lo, hi] of ranges) {
        if (code !== tissue) continue;
        assert.ok(
          hu[v] >= lo && hu[v] <= hi,
          `${name} voxel ${v}: ${hu[v]} HU not in ${lo}..${hi}`,
        );
      }
      if (code === Tissue.Clot) clotVoxels++;
      if (code === Tissue.Lung) lungValues.push(hu[v]);
      if (code === Tissue.Artery && wellOpacified) {
        arteryVoxels++;
        assert.ok(hu[v] >= 200 && hu[v] <= 450, `artery voxel ${v}: ${hu[v]} HU`);
      }
    }
    for (const clot of exam.truth.clots) {
      assert.ok(clot.hu >= 20 && clot.hu <= 80, `clot ${clot.hu} HU`);
    }
  }
  assert.ok(clotVoxels > 0 && arteryVoxels > 0, "no clot or artery voxels sampled");
  const lungMean = lungValues.reduce((s, x) => s + x, 0) / lungValues.length;
  assert.ok(lungMean > -880 && lungMean < -800, `mean lung ${lungMean} HU, expected about -850`);
});

Deno.test("the paper profile keeps realistic clots; demo and tiny clots lie in their calibrated range", () => {
  assert.ok(phantomProfile("paper").clotHu[0] >= 20 && phantomProfile("paper").clotHu[1] <= 80);
  for (const name of ["demo", "tiny"] as const) {
    const profile = phantomProfile(name);
    for (const plan of plans.filter((p) => p.label === "positive").slice(0, 4)) {
      const exam = generateExam(5, { ...profile, matrix: 48 }, plan, { keepTruthMaps: true });
      for (const clot of exam.truth.clots) {
        assert.ok(
          clot.hu >= profile.clotHu[0] && clot.hu <= profile.clotHu[1],
          `${name}: ${clot.hu}`,
        );
      }
      const hu = exam.cleanHu!;
      for (let v = 0; v < hu.length; v++) {
        if (exam.tissue[v] !== Tissue.Clot) continue;
        assert.ok(
          hu[v] >= profile.clotHu[0] && hu[v] <= profile.clotHu[1],
          `${name} voxel ${hu[v]}`,
        );
      }
    }
  }
});

Deno.test("noise sd of the exam is 10-30 HU (measured in air outside the body)", () => {
  const exam = generateExam(5, tiny, plans[0], { keepTruthMaps: true });
  const diffs: number[] = [];
  for (let v = 0; v < exam.stored.length; v++) {
    if (exam.tissue[v] === Tissue.Air) diffs.push(exam.stored[v] - 1024 - exam.cleanHu![v]);
  }
  const mean = diffs.reduce((s, x) => s + x, 0) / diffs.length;
  const sd = Math.sqrt(diffs.reduce((s, x) => s + (x - mean) ** 2, 0) / diffs.length);
  assert.ok(
    Math.abs(sd - exam.truth.noiseSdHu) < 1.5,
    `measured sd ${sd}, truth ${exam.truth.noiseSdHu}`,
  );
  assert.ok(exam.truth.noiseSdHu >= 10 && exam.truth.noiseSdHu <= 35);
});

Deno.test("positive slices are exactly the slices a clot fills at least half a voxel of", () => {
  for (const plan of plans.slice(0, 40)) {
    const exam = generateExam(5, tiny, plan, { keepTruthMaps: true });
    const perSlice = exam.grid.rows * exam.grid.cols;
    const expected: number[] = [];
    for (let k = 0; k < exam.grid.slices; k++) {
      let max = 0;
      for (let v = k * perSlice; v < (k + 1) * perSlice; v++) {
        max = Math.max(max, exam.clotCoverage![v]);
      }
      if (max >= 128) expected.push(k);
    }
    assert.deepEqual(exam.truth.positiveSlices, expected, `exam ${plan.index}`);
    if (plan.label === "positive") assert.ok(expected.length > 0, `positive exam ${plan.index}`);
    else assert.equal(exam.truth.clots.length, 0, `${plan.label} exam ${plan.index} has clots`);
  }
});

Deno.test("peripheral clots are smaller than central ones and span fewer slices", () => {
  const demo = phantomProfile("demo");
  const central: number[][] = [], peripheral: number[][] = [];
  for (const plan of plans.filter((p) => p.label === "positive").slice(0, 14)) {
    for (const clot of generateExam(5, demo, plan).truth.clots) {
      (clot.class === "central" ? central : peripheral).push([clot.volumeMm3, clot.slices.length]);
      assert.ok(
        clot.class === "central"
          ? ["saddle", "main", "lobar"].includes(clot.location)
          : ["segmental", "subsegmental"].includes(clot.location),
      );
    }
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  assert.ok(central.length > 0 && peripheral.length > 0);
  assert.ok(median(central.map((c) => c[0])) > 2 * median(peripheral.map((c) => c[0])));
  assert.ok(median(central.map((c) => c[1])) > median(peripheral.map((c) => c[1])));
});
