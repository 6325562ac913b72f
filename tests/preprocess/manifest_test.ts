import assert from "node:assert/strict";
import { join } from "node:path";
import { examOutcomeColumns } from "../../src/data/rspect/columns.ts";
import { readPreprocessJobs } from "../../src/preprocess/manifest.ts";
import { writeManifest } from "./_fixtures.ts";

async function manifest(exams: unknown[][], slices: unknown[][], columns?: readonly string[]) {
  const dir = await Deno.makeTempDir({ prefix: "manifest-" });
  await writeManifest(dir, exams, slices, columns);
  return dir;
}

Deno.test("included exams become jobs with their slice labels; excluded ones are counted", async () => {
  const dir = await manifest(
    [
      ["1.1", "1.1.1", "train", 3, 1, "central", 2, 1, "included", "", ""],
      ["1.2", "1.2.1", "private", "", 0, "", 1, 0, "included", "", ""],
      ["1.3", "1.3.1", "train", "", 1, "", 5, 0, "excluded", "label-incoherent", "a, b"],
    ],
    [
      ["1.1", "1.1.1", "1.1.1.2", 1, 2.5, 1],
      ["1.2", "1.2.1", "1.2.1.1", 0, 0, 0],
      ["1.1", "1.1.1", "1.1.1.1", 0, 0, 0],
    ],
  );
  const { jobs, excluded } = readPreprocessJobs(dir, "/data");
  assert.deepEqual(excluded, { "label-incoherent": 1 });
  assert.deepEqual(jobs.map((j) => j.facts), [
    { examId: "1.1", seriesId: "1.1.1", split: "train", fold: 3, examLabel: 1, subtype: "central" },
    { examId: "1.2", seriesId: "1.2.1", split: "private", fold: null, examLabel: 0, subtype: null },
  ]);
  assert.equal(jobs[0].seriesDir, join("/data", "1.1", "1.1.1"));
  assert.deepEqual(jobs[0].sopUids, ["1.1.1.2", "1.1.1.1"]);
  assert.deepEqual(jobs[0].sopLabels, [1, 0]);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a bad value names the file, the row and the column", async () => {
  const badLabel = await manifest(
    [["1.1", "1.1.1", "train", 0, 2, "", 1, 0, "included", "", ""]],
    [],
  );
  assert.throws(() => readPreprocessJobs(badLabel, "/data"), /exams\.csv row 2: column label:/);
  const badSplit = await manifest(
    [["1.1", "1.1.1", "validation", 0, 0, "", 1, 0, "included", "", ""]],
    [],
  );
  assert.throws(() => readPreprocessJobs(badSplit, "/data"), /exams\.csv row 2: column split/);
  const noStatus = await manifest(
    [["1.1", "1.1.1", "train", 0, 0, "", 1, 0, "", ""]],
    [],
    examOutcomeColumns.filter((c) => c !== "status"),
  );
  assert.throws(() => readPreprocessJobs(noStatus, "/data"), /column\(s\) status missing/);
  const badSlice = await manifest(
    [["1.1", "1.1.1", "train", 0, 0, "", 1, 0, "included", "", ""]],
    [["1.1", "1.1.1", "1.1.1.1", 0, 0, "yes"]],
  );
  assert.throws(() => readPreprocessJobs(badSlice, "/data"), /slices\.csv row 2, column label/);
  for (const dir of [badLabel, badSplit, noStatus, badSlice]) {
    await Deno.remove(dir, { recursive: true });
  }
});
