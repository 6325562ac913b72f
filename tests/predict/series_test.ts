import assert from "node:assert/strict";
import { join } from "node:path";
import { findSeriesFolders } from "../../src/io/series_folders.ts";
import {
  examCall,
  loadFoldEnsemble,
  lungCoverageWarnings,
  predictSeries,
  predictSeriesFolders,
} from "../../src/predict/mod.ts";
import { listRunFractions } from "../../src/train/run_folder.ts";
import { readCsvRows, syntheticRun } from "../train/_synthetic_run.ts";

Deno.test("predict: the fold ensemble reproduces the sweep's own predictions to 1e-6", async () => {
  const run = await syntheticRun();
  assert.deepEqual(await listRunFractions(run.runDir), [run.fractionPercent]);
  const ensemble = await loadFoldEnsemble(run.runDir, run.fractionPercent);
  try {
    assert.deepEqual(ensemble.models.map((m) => m.fold), [0, 1]);
    assert.deepEqual(ensemble.preprocess.size, [8, 32, 32]);
    const { series } = await findSeriesFolders(run.data);
    const { predictions } = await predictSeriesFolders(ensemble, series);
    const byStudy = new Map(predictions.map((p) => [p.studyUid, p]));
    // The sweep's rows: each fold's best checkpoint on its validation fold and the test splits.
    const rows = readCsvRows(join(run.runDir, "predictions.csv"));
    const bySplit = new Map<string, number>();
    for (const row of rows) {
      const p = byStudy.get(row.exam_id);
      assert.ok(p, `exam ${row.exam_id} of the sweep was not predicted`);
      const fold = p.folds.find((f) => f.fold === Number(row.fold));
      assert.ok(fold, `fold ${row.fold} missing for ${row.exam_id}`);
      assert.ok(
        Math.abs(fold.examProbability - Number(row.score)) <= 1e-6,
        `${row.exam_id} fold ${row.fold}: predict ${fold.examProbability}, sweep ${row.score}`,
      );
      bySplit.set(row.split, (bySplit.get(row.split) ?? 0) + 1);
    }
    assert.ok((bySplit.get("public") ?? 0) >= 2 && (bySplit.get("train") ?? 0) >= 2);
    // Ensemble = mean over folds of the sweep's scores, for exams both folds predicted.
    const testRows = rows.filter((r) => r.split !== "train");
    for (const examId of new Set(testRows.map((r) => r.exam_id))) {
      const scores = testRows.filter((r) => r.exam_id === examId).map((r) => Number(r.score));
      assert.equal(scores.length, 2);
      const mean = (scores[0] + scores[1]) / 2;
      assert.ok(Math.abs(byStudy.get(examId)!.examProbability - mean) <= 1e-6);
    }
  } finally {
    ensemble.dispose();
  }
});

Deno.test("predict: a failing series is reported with its reason and the others go on", async () => {
  const run = await syntheticRun();
  const truth = JSON.parse(await Deno.readTextFile(join(run.data, "truth.json"))) as {
    exams: { studyUid: string; broken: "missing-slice" | "gantry-tilt" | null }[];
  };
  const broken = truth.exams.filter((e) => e.broken !== null);
  assert.ok(broken.length >= 1, "the synthetic tree plants broken series");
  const ensemble = await loadFoldEnsemble(run.runDir, run.fractionPercent, [1]);
  try {
    const { series } = await findSeriesFolders(run.data);
    // a folder holding a file that is not DICOM, placed first
    const junk = join(run.root, "junk", "9.9", "9.9.1");
    await Deno.mkdir(junk, { recursive: true });
    await Deno.writeTextFile(join(junk, "notes.dcm"), "not a DICOM file");
    const seen: string[] = [];
    const { predictions, failures } = await predictSeriesFolders(ensemble, [
      { dir: junk, studyFolder: "9.9", seriesFolder: "9.9.1" },
      ...series,
    ], { onSeries: (o) => void seen.push(o.studyUid) });
    assert.equal(seen.length, series.length + 1);
    assert.equal(predictions.length + failures.length, series.length + 1);
    assert.equal(predictions.length, truth.exams.length - broken.length);
    assert.equal(failures[0].studyUid, "9.9");
    assert.match(failures[0].reason, /^read: /);
    const expected: Record<string, string> = {
      "missing-slice": "read: missing-slices",
      "gantry-tilt": "read: gantry-tilt",
    };
    for (const exam of broken) {
      const failure = failures.find((f) => f.studyUid === exam.studyUid);
      assert.ok(failure, `broken exam ${exam.studyUid} was not reported`);
      assert.equal(failure.reason, expected[exam.broken!]);
      assert.ok(failure.detail.length > 0);
    }
  } finally {
    ensemble.dispose();
  }
});

Deno.test("predict: series, study and tree paths are accepted and agree", async () => {
  const run = await syntheticRun();
  const tree = await findSeriesFolders(run.data);
  assert.equal(tree.layout, "tree");
  const chosen = tree.series[3];
  const study = await findSeriesFolders(join(run.data, chosen.studyFolder));
  assert.equal(study.layout, "study");
  assert.deepEqual(study.series, [chosen]);
  const one = await findSeriesFolders(chosen.dir);
  assert.equal(one.layout, "series");
  assert.deepEqual(one.series, [chosen]);
  const ensemble = await loadFoldEnsemble(run.runDir, run.fractionPercent);
  try {
    const p = await predictSeries(ensemble, one.series[0]);
    assert.equal(p.studyUid, chosen.studyFolder); // from the DICOM header, = RSPECT folder name
    assert.equal(p.seriesUid, chosen.seriesFolder);
    assert.equal(p.sliceProbabilities.length, 8);
    assert.equal(p.folds.length, 2);
    // every source slice inside the VOI gets the max of the resampled slices covering it
    const [z0, z1] = p.record.voi.z;
    p.sourceSlices.forEach((slice, i) => {
      if (i < z0 || i > z1) {
        assert.equal(slice.probability, null);
        return;
      }
      const covering = p.record.sourceSlices.flatMap(([a, b], j) =>
        a <= i && i <= b ? [p.sliceProbabilities[j]] : []
      );
      assert.ok(covering.length >= 1);
      assert.equal(slice.probability, Math.max(...covering));
    });
    assert.ok(
      p.sourceSlices.every((s, i) => i === 0 || s.zPosition > p.sourceSlices[i - 1].zPosition),
    );
  } finally {
    ensemble.dispose();
  }
});

Deno.test("predict: bad run folders, fractions and folds fail with the fix", async () => {
  const run = await syntheticRun();
  await assert.rejects(
    loadFoldEnsemble(run.runDir, 27.5),
    /no runs for fraction 27.5 % \(fractions present: 50\); fix: pass --fraction/,
  );
  await assert.rejects(loadFoldEnsemble(run.runDir, 50, [4]), /fold-4\/state\.json: no readable/);
  await assert.rejects(loadFoldEnsemble(join(run.root, "none"), 50), /not a readable run folder/);
  await assert.rejects(findSeriesFolders(join(run.root, "none")), /not a readable folder/);
});

Deno.test("lungCoverageWarnings: lungs cut by the scan, short extent, one small lung", () => {
  const base = {
    sourceDims: [200, 512, 512] as [number, number, number],
    sourceSpacing: [1.25, 0.7, 0.7] as [number, number, number],
    voi: {
      z: [20, 179] as [number, number],
      y: [100, 400] as [number, number],
      x: [50, 460] as [number, number],
    },
    lungSliceCount: 160, // 200 mm
    rightLungVoxels: 600,
    leftLungVoxels: 500,
  };
  assert.deepEqual(lungCoverageWarnings(base), []);
  const cut = lungCoverageWarnings({
    ...base,
    voi: { ...base.voi, z: [0, 199] },
    lungSliceCount: 200,
  });
  assert.equal(cut.length, 2);
  assert.match(cut[0], /first slice/);
  assert.match(cut[1], /last slice/);
  assert.match(
    lungCoverageWarnings({ ...base, lungSliceCount: 80 })[0],
    /100 mm is outside 120-400 mm/,
  );
  assert.match(lungCoverageWarnings({ ...base, leftLungVoxels: 50 })[0], /one lung is small/);
});

Deno.test("examCall: positive at or above the threshold, empty without one", () => {
  assert.equal(examCall(0.5, 0.5), 1);
  assert.equal(examCall(0.4999, 0.5), 0);
  assert.equal(examCall(0.9, null), null);
  assert.equal(examCall(null, 0.5), null);
});
