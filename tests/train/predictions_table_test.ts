/** Reading and validating the predictions table: every malformed case names row, column, fix. */
import assert from "node:assert/strict";
import pl from "nodejs-polars";
import { PredictionsError, readPredictions } from "../../src/train/predictions_table.ts";

const HEADER = "exam_id,split,label,fraction,fold,score,subtype";

async function withCsv<T>(lines: string[], fn: (path: string) => T): Promise<T> {
  const path = await Deno.makeTempFile({ suffix: ".csv" });
  try {
    await Deno.writeTextFile(path, `${lines.join("\n")}\n`);
    return fn(path);
  } finally {
    await Deno.remove(path);
  }
}

async function assertRejects(lines: string[], patterns: RegExp[]) {
  await withCsv(lines, (path) => {
    assert.throws(() => readPredictions(path), (error: Error) => {
      assert.ok(error instanceof PredictionsError, `not a PredictionsError: ${error}`);
      assert.ok(error.message.includes(path), `no file name in: ${error.message}`);
      assert.match(error.message, /fix: /);
      for (const pattern of patterns) assert.match(error.message, pattern);
      return true;
    });
  });
}

const GOOD = [
  HEADER,
  "a,public,1,0,0,0.9,central",
  "a,public,1,0,1,0.7,central",
  "b,public,0,0,0,0.2,",
  "b,public,0,0,1,0.1,",
];

Deno.test("a well-formed CSV reads into typed rows", async () => {
  const table = await withCsv(GOOD, readPredictions);
  assert.equal(table.rows.length, 4);
  assert.equal(table.hasSubtype, true);
  assert.deepEqual(table.rows[0], {
    exam_id: "a",
    split: "public",
    label: 1,
    fraction: 0,
    fold: 0,
    score: 0.9,
    subtype: "central",
  });
  assert.equal(table.rows[2].subtype, null);
});

Deno.test("the subtype column is optional", async () => {
  const table = await withCsv(
    ["exam_id,split,label,fraction,fold,score", "a,public,1,0,0,0.9", "b,public,0,0,0,0.1"],
    readPredictions,
  );
  assert.equal(table.hasSubtype, false);
  assert.equal(table.rows[0].subtype, null);
});

Deno.test("a missing column is named with the expected header", async () => {
  await assertRejects(
    ["exam_id,split,label,fraction,fold,subtype", "a,public,1,0,0,central"],
    [/missing column 'score'/, /exam_id, split, label, fraction, fold, score/],
  );
});

Deno.test("a non-numeric score names its row and column", async () => {
  await assertRejects(
    [HEADER, "a,public,1,0,0,0.9,central", "a,public,1,0,1,high,central"],
    [/row 2, column 'score'/, /"high"/],
  );
});

Deno.test("a NaN or infinite score names its row and column", async () => {
  await assertRejects([HEADER, "a,public,1,0,0,NaN,central"], [/row 1, column 'score'/, /NaN/]);
  await assertRejects([HEADER, "a,public,1,0,0,inf,central"], [/row 1, column 'score'/]);
});

Deno.test("an empty score cell names its row and column", async () => {
  await assertRejects([HEADER, "a,public,1,0,0,,central"], [
    /row 1, column 'score'/,
    /an empty cell/,
  ]);
});

Deno.test("a label other than 0/1 names its row and column", async () => {
  await assertRejects([HEADER, "a,public,2,0,0,0.5,central"], [/row 1, column 'label'/]);
});

Deno.test("an unknown split names its row and column", async () => {
  await assertRejects([HEADER, "a,test,1,0,0,0.5,central"], [/row 1, column 'split'/, /public/]);
});

Deno.test("a fraction above 100 names its row and column", async () => {
  await assertRejects([HEADER, "a,public,1,150,0,0.5,central"], [/row 1, column 'fraction'/]);
});

Deno.test("a score outside [0, 1] names its row and column", async () => {
  await assertRejects([HEADER, "a,public,1,0,0,1.5,central"], [/row 1, column 'score'/]);
});

Deno.test("an unknown subtype names its row and column", async () => {
  await assertRejects([HEADER, "a,public,1,0,0,0.5,segmental"], [/row 1, column 'subtype'/]);
});

Deno.test("a duplicate (exam, fraction, fold) names both rows", async () => {
  await assertRejects(
    [HEADER, "a,public,1,0,0,0.9,central", "b,public,0,0,0,0.2,", "a,public,1,0,0,0.8,central"],
    [/row 3 duplicates row 1/, /exam_id 'a', fraction 0, fold 0/],
  );
});

Deno.test("a negative exam with a subtype is rejected", async () => {
  await assertRejects([HEADER, "b,public,0,0,0,0.2,central"], [/row 1, column 'subtype'/]);
});

Deno.test("an exam whose label changes between rows is rejected", async () => {
  await assertRejects(
    [HEADER, "a,public,1,0,0,0.9,", "a,public,0,0,1,0.7,"],
    [/row 2, column 'label'/, /row 1/],
  );
});

Deno.test("an exam in two splits is rejected", async () => {
  await assertRejects(
    [HEADER, "a,public,0,0,0,0.9,", "a,private,0,0,1,0.7,"],
    [/row 2, column 'split'/],
  );
});

Deno.test("a header without rows is rejected", async () => {
  await assertRejects([HEADER], [/no rows/]);
});

Deno.test("a Parquet file with typed columns reads like the CSV", async () => {
  const path = await Deno.makeTempFile({ suffix: ".parquet" });
  try {
    pl.DataFrame({
      exam_id: ["a", "a", "b"],
      split: ["private", "private", "private"],
      label: [1, 1, 0],
      fraction: [2.5, 2.5, 2.5],
      fold: [0, 1, 0],
      score: [0.8, 0.6, 0.3],
      subtype: ["peripheral", "peripheral", null],
    }).writeParquet(path);
    const table = readPredictions(path);
    assert.equal(table.rows.length, 3);
    assert.deepEqual(table.rows[1], {
      exam_id: "a",
      split: "private",
      label: 1,
      fraction: 2.5,
      fold: 1,
      score: 0.6,
      subtype: "peripheral",
    });
  } finally {
    await Deno.remove(path);
  }
});
