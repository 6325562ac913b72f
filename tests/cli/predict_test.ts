import assert from "node:assert/strict";
import { runTask } from "./_task.ts";
import { join } from "node:path";
import { studyPredictionFileSchema } from "../../src/predict/output.ts";
import { readCsvRows, syntheticRun } from "../train/_synthetic_run.ts";

Deno.test("deno task predict: a tree of studies -> predictions.csv, slices.csv, one JSON per study", async () => {
  const run = await syntheticRun();
  const out = join(run.root, "predict-tree");
  const result = await runTask([
    "predict",
    "--run",
    run.runDir,
    "--data",
    run.data,
    "--out",
    out,
    "--backend",
    "wasm",
  ]);
  assert.equal(result.code, 0, result.text);
  assert.match(result.text, /fraction 50 %, folds 0, 1; threshold/);
  assert.match(result.text, /tree: 28 predicted, 2 failed/);
  const rows = readCsvRows(join(out, "predictions.csv"));
  assert.equal(rows.length, 30);
  const predicted = rows.filter((r) => r.status === "predicted");
  const failed = rows.filter((r) => r.status === "failed");
  assert.equal(predicted.length, 28);
  assert.deepEqual(failed.map((r) => r.reason).sort(), [
    "read: gantry-tilt",
    "read: missing-slices",
  ]);
  // the sweep's public rows, fold by fold, reappear in predictions.csv
  const sweep = readCsvRows(join(run.runDir, "predictions.csv")).filter((r) =>
    r.split === "public"
  );
  assert.ok(sweep.length >= 4);
  for (const row of sweep) {
    const mine = predicted.find((r) => r.study_uid === row.exam_id)!;
    const value = Number(mine[`probability_fold_${row.fold}`]);
    assert.ok(Math.abs(value - Number(row.score)) <= 1e-6, `${row.exam_id} fold ${row.fold}`);
  }
  for (const row of predicted) {
    const mean = (Number(row.probability_fold_0) + Number(row.probability_fold_1)) / 2;
    assert.ok(Math.abs(Number(row.probability) - mean) <= 1e-12);
    if (row.threshold !== "") {
      assert.equal(row.call, Number(row.probability) >= Number(row.threshold) ? "1" : "0");
    } else assert.equal(row.call, "");
  }
  const slices = readCsvRows(join(out, "slices.csv"));
  for (const row of predicted) {
    const file = studyPredictionFileSchema.parse(
      JSON.parse(await Deno.readTextFile(join(out, "studies", `${row.study_uid}.json`))),
    );
    assert.equal(file.status, "predicted");
    assert.equal(file.examProbability, Number(row.probability));
    const mine = slices.filter((s) => s.study_uid === row.study_uid);
    assert.equal(mine.length, file.sourceSlices.length);
    assert.deepEqual(
      mine.map((s) => s.sop_instance_uid),
      file.sourceSlices.map((s) => s.sopInstanceUid),
    );
  }
  const failure = studyPredictionFileSchema.parse(
    JSON.parse(await Deno.readTextFile(join(out, "studies", `${failed[0].study_uid}.json`))),
  );
  assert.equal(failure.status, "failed");
  assert.equal(failure.examProbability, null);
  const record = JSON.parse(await Deno.readTextFile(join(out, "run.json")));
  assert.equal(record.config.fractionPercent, 50);
  assert.deepEqual(record.preprocess.config.size, [8, 32, 32]);
});

Deno.test("deno task predict: one series folder, and bad flags give the fix", async () => {
  const run = await syntheticRun();
  const [study] = [...Deno.readDirSync(run.data)].filter((e) =>
    e.isDirectory && e.name.startsWith("2.")
  )
    .map((e) => e.name).sort();
  const [series] = [...Deno.readDirSync(join(run.data, study))].map((e) => e.name);
  const out = join(run.root, "predict-one");
  const one = await runTask([
    "predict",
    "--run",
    run.runDir,
    "--data",
    join(run.data, study, series),
    "--out",
    out,
    "--folds",
    "1",
    "--fraction",
    "50",
    "--backend",
    "wasm",
  ]);
  assert.equal(one.code, 0, one.text);
  assert.match(one.text, /series: 1 predicted, 0 failed/);
  const rows = readCsvRows(join(out, "predictions.csv"));
  assert.equal(rows.length, 1);
  assert.equal(rows[0].study_uid, study);
  assert.equal(rows[0].probability, rows[0].probability_fold_1);
  const badFolds = await runTask([
    "predict",
    "--run",
    run.runDir,
    "--data",
    run.data,
    "--out",
    out,
    "--folds",
    "x",
  ]);
  assert.equal(badFolds.code, 1);
  assert.match(badFolds.text, /--folds: 'x' must be 'all' or folds like 0,1,2/);
  const badFraction = await runTask([
    "predict",
    "--run",
    run.runDir,
    "--data",
    run.data,
    "--out",
    out,
    "--fraction",
    "5",
    "--backend",
    "wasm",
  ]);
  assert.equal(badFraction.code, 1);
  assert.match(badFraction.text, /no runs for fraction 5 % \(fractions present: 50\)/);
  const missing = await runTask(["predict", "--data", run.data, "--out", out]);
  assert.equal(missing.code, 1);
  assert.match(missing.text, /--run: required/);
});
