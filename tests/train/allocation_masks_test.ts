import assert from "node:assert/strict";
import { join } from "node:path";
import { selectBackend } from "../../src/model/backend.ts";
import { allocateLabels, evenBudget, labelledSlices } from "../../src/labels/mod.ts";
import {
  LabelMasks,
  markerExams,
  memoryExamSource,
  runExams,
  runLabelMasks,
  trainRun,
  writeSliceScores,
} from "../../src/train/mod.ts";
import { tinyConfig, tinySource } from "./_tiny.ts";

const sum = (mask: Uint8Array) => mask.reduce((a, b) => a + b, 0);

/** A slice-scores file at `path` holding `exams` (exam id -> slice probabilities). */
const writeScores = (path: string, exams: Record<string, number[]>) =>
  Deno.writeTextFile(
    path,
    JSON.stringify({ format: "pe-fewer-labels/slice-scores", model: "r", exams }),
  );

/** Marker exams with subtypes: 2 folds x 12 training exams of 20 slices; positives alternate. */
function source() {
  let positives = 0;
  const exams = markerExams({
    trainPerFold: 12,
    folds: 2,
    testPerSplit: 2,
    dims: [20, 8, 8],
    seed: 3,
  })
    .map((exam) => {
      if (exam.examLabel === 0) return { ...exam, subtype: null };
      const subtype = positives++ % 2 ? "peripheral" as const : "central" as const;
      return { ...exam, subtype };
    });
  return memoryExamSource(exams, "allocation");
}

Deno.test("runLabelMasks: without an allocation every exam follows the per-exam rule", async () => {
  const config = tinyConfig({ fractionPercent: 10 });
  const exams = runExams(source(), 0, 2);
  const { masks, allocation } = await runLabelMasks(config, source(), exams.train);
  assert.equal(allocation, null);
  const reference = new LabelMasks(config);
  for (const exam of [...exams.train, ...exams.validation]) {
    assert.deepEqual(masks.of(exam), reference.of(exam));
  }
});

Deno.test("runLabelMasks: tiered reallocates the training exams only, at the even budget", async () => {
  const config = tinyConfig({ fractionPercent: 10, allocation: { strategy: "tiered" } });
  const data = source();
  const exams = runExams(data, 0, 2);
  const { masks, allocation } = await runLabelMasks(config, data, exams.train);
  const expected = allocateLabels(exams.train, 10, "tiered", { seed: config.seed });
  for (const exam of exams.train) assert.deepEqual(masks.of(exam), expected.get(exam.examId));
  // validation exams keep the even rule (early stopping compares like with like)
  for (const exam of exams.validation) {
    assert.deepEqual(
      masks.of(exam),
      labelledSlices(exam.sliceCount, 10, {
        strategy: "even-spacing",
        seed: config.seed,
        examId: exam.examId,
        sourceSliceCount: exam.lungSliceCount,
      }),
    );
  }
  assert.equal(allocation?.strategy, "tiered");
  assert.equal(allocation?.budget, evenBudget(exams.train, 10));
  const spent = exams.train.reduce((total, exam) => total + sum(masks.of(exam)), 0);
  assert.equal(spent, allocation?.budget);
  const mean = (group: string) =>
    allocation!.bySubtype.find((row) => row.group === group)!.meanLabelled;
  // 12 exams of 20 slices at 10 %: budget 24; shares 60 x 3 peripheral, 20 x 3 central, 10 x 6
  // negative -> 4.8, 1.6, 0.8 -> floors 4, 1, 0 and the 9 largest remainders (0.8) -> 5, 1, 1
  assert.deepEqual(
    ["peripheral", "central", "negative"].map(mean),
    [5, 1, 1],
  );
});

Deno.test("runLabelMasks: clot-centred reads the slice labels and labels clot slices", async () => {
  const config = tinyConfig({ fractionPercent: 5, allocation: { strategy: "clot-centred" } });
  const data = source();
  const exams = runExams(data, 0, 2);
  const { masks } = await runLabelMasks(config, data, exams.train);
  for (const exam of exams.train.filter((e) => e.examLabel === 1)) {
    const labels = (await data.read(exam.examId)).sliceLabels;
    const chosen = [...masks.of(exam).keys()].filter((z) => masks.of(exam)[z] === 1);
    assert.equal(chosen.length, 1); // 5 % of 20 slices
    assert.equal(labels[chosen[0]], 1, `${exam.examId}: the labelled slice shows the marker`);
  }
});

Deno.test("runLabelMasks: adaptive reads slice scores; a missing exam or a bad field is named", async () => {
  const dir = await Deno.makeTempDir();
  const data = source();
  const exams = runExams(data, 0, 2);
  const path = join(dir, "slice-scores.json");
  const scores = Object.fromEntries(
    exams.train.map((
      exam,
      i,
    ) => [exam.examId, Array.from({ length: 20 }, (_, z) => (z === i % 20 ? 0.5 : 0.01))]),
  );
  await writeScores(path, scores);
  const config = tinyConfig({
    fractionPercent: 5,
    allocation: { strategy: "adaptive", sliceScores: path },
  });
  const { masks } = await runLabelMasks(config, data, exams.train);
  // the budget (one slice per exam) goes to each exam's one uncertain slice (p = 0.5)
  exams.train.forEach((exam, i) =>
    assert.deepEqual([...masks.of(exam).keys()].filter((z) => masks.of(exam)[z]), [i % 20])
  );

  const first = exams.train[0].examId;
  const { [first]: _dropped, ...rest } = scores;
  await writeScores(path, rest);
  await assert.rejects(
    runLabelMasks(config, data, exams.train),
    new RegExp(`no scores for training exam '${first}'; fix:`),
  );
  await writeScores(path, { a: [2] });
  await assert.rejects(
    runLabelMasks(config, data, exams.train),
    /field exams\.a\.0: .*fix: score the training exams/,
  );
  assert.throws(
    () => tinyConfig({ allocation: { strategy: "adaptive" } }),
    /adaptive allocation needs sliceScores/,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("runLabelMasks: adaptive-2-window reads the positives' slice labels and records the slices it labelled", async () => {
  const dir = await Deno.makeTempDir();
  const data = source();
  const exams = runExams(data, 0, 2);
  // each exam's one doubtful slice (p = 0.5): in a positive exam a clear slice beside the marker
  const doubtful = new Map<string, number>();
  for (const [i, exam] of exams.train.entries()) {
    const labels = (await data.read(exam.examId)).sliceLabels;
    const beside = [...labels.keys()].find((z) =>
      labels[z] === 0 && (labels[z - 1] === 1 || labels[z + 1] === 1)
    );
    doubtful.set(exam.examId, exam.examLabel === 1 ? beside! : i % 20);
  }
  const path = join(dir, "slice-scores-5.json");
  const scores = Object.fromEntries(
    exams.train.map((exam) => [
      exam.examId,
      Array.from({ length: 20 }, (_, z) => (z === doubtful.get(exam.examId) ? 0.5 : 0.01)),
    ]),
  );
  await writeScores(path, scores);
  const config = tinyConfig({
    fractionPercent: 10,
    allocation: { strategy: "adaptive-2-window", sliceScores: path },
  });
  const { masks, allocation } = await runLabelMasks(config, data, exams.train);
  // 10 % of 20 slices: 2 per exam; round 1 (5 %) 1 per exam; round 2 looks at each doubtful slice
  const roundOne = allocateLabels(exams.train, 5, "even", { seed: config.seed });
  let skipped = 0;
  for (const exam of exams.train) {
    const z = doubtful.get(exam.examId)!;
    const firstRound = roundOne.get(exam.examId)![z] === 1;
    const expected = exam.examLabel === 0 || firstRound ? 1 : 0;
    assert.equal(masks.of(exam)[z], expected, `${exam.examId} slice ${z}`);
    if (!expected) skipped++;
  }
  assert.ok(skipped > 0);
  assert.equal(allocation?.budget, evenBudget(exams.train, 10));
  assert.equal(allocation?.labelled, allocation!.budget - skipped);
  const spent = exams.train.reduce((total, exam) => total + sum(masks.of(exam)), 0);
  assert.equal(spent, allocation?.labelled);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("training with an allocation records it in run.json", async () => {
  const backend = (await selectBackend("cpu")).name;
  const dir = await Deno.makeTempDir();
  await trainRun({
    config: tinyConfig({ fractionPercent: 50, epochs: 1, allocation: { strategy: "random" } }),
    source: tinySource(),
    runDir: dir,
    backend,
  });
  const record = JSON.parse(await Deno.readTextFile(join(dir, "run.json")));
  assert.equal(record.config.allocation.strategy, "random");
  assert.equal(record.allocation.strategy, "random");
  assert.equal(record.allocation.budget, 4 * 3); // 4 training exams x round(0.5 x 6)
  assert.equal(record.allocation.labelled, record.allocation.budget);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("slice scores of a 0 % run feed adaptive allocation end to end", async () => {
  const backend = (await selectBackend("cpu")).name;
  const dir = await Deno.makeTempDir();
  const data = tinySource();
  const zeroRun = join(dir, "fraction-0");
  await trainRun({
    config: tinyConfig({ fractionPercent: 0, epochs: 1 }),
    source: data,
    runDir: zeroRun,
    backend,
  });
  const exams = runExams(data, 0, 2);
  const path = join(dir, "slice-scores.json");
  const scores = await writeSliceScores(zeroRun, data, exams.train, path);
  assert.deepEqual(Object.keys(scores.exams).sort(), exams.train.map((e) => e.examId).sort());
  for (const exam of exams.train) assert.equal(scores.exams[exam.examId].length, exam.sliceCount);
  const config = tinyConfig({
    fractionPercent: 50,
    allocation: { strategy: "adaptive", sliceScores: path },
  });
  const { masks, allocation } = await runLabelMasks(config, data, exams.train);
  const spent = exams.train.reduce((total, exam) => total + sum(masks.of(exam)), 0);
  assert.equal(spent, allocation?.budget);
  // the labelled slices are the least certain ones: none is surer than any slice left out
  const uncertainty = (exam: (typeof exams.train)[number], z: number) =>
    1 - Math.abs(2 * scores.exams[exam.examId][z] - 1);
  const chosen = exams.train.flatMap((e) =>
    [...masks.of(e).keys()].filter((z) => masks.of(e)[z]).map((z) => uncertainty(e, z))
  );
  const left = exams.train.flatMap((e) =>
    [...masks.of(e).keys()].filter((z) => !masks.of(e)[z]).map((z) => uncertainty(e, z))
  );
  assert.ok(Math.min(...chosen) >= Math.max(...left));
  await Deno.remove(dir, { recursive: true });
});
