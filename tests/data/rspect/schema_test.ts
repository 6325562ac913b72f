/** train.csv validation: column set (with suggestions) and 0/1 values, naming row and column. */
import assert from "node:assert/strict";
import { join } from "node:path";
import pl from "nodejs-polars";
import { readTrainCsv, rspectColumns } from "../../../src/data/rspect/mod.ts";

const dir = await Deno.makeTempDir({ prefix: "schema-test-" });
let n = 0;

function row(
  overrides: Record<string, string | number> = {},
  k = 0,
): Record<string, string | number> {
  const base: Record<string, string | number> = {
    StudyInstanceUID: "1.2.1",
    SeriesInstanceUID: "1.2.1.1",
    SOPInstanceUID: `1.2.1.1.${k}`,
  };
  for (const c of rspectColumns.slice(3)) base[c] = 0;
  base.negative_exam_for_pe = 1;
  return { ...base, ...overrides };
}

async function csv(columns: string[], rows: Record<string, string | number>[]): Promise<string> {
  const path = join(dir, `train${++n}.csv`);
  const lines = [columns.join(","), ...rows.map((r) => columns.map((c) => r[c] ?? "").join(","))];
  await Deno.writeTextFile(path, `${lines.join("\n")}\n`);
  return path;
}

const columns = [...rspectColumns];

Deno.test("a valid table reads with 17 columns, labels as Int8, row order kept", async () => {
  const path = await csv(columns, [row({}, 0), row({}, 1), row({}, 2)]);
  const table = readTrainCsv(path);
  assert.equal(table.height, 3);
  assert.deepEqual(table.columns.sort(), [...rspectColumns].sort());
  assert.deepEqual(table.getColumn("SOPInstanceUID").toArray(), [
    "1.2.1.1.0",
    "1.2.1.1.1",
    "1.2.1.1.2",
  ]);
  assert.ok(table.getColumn("negative_exam_for_pe").dtype.equals(pl.Int8));
});

Deno.test("a missing column is named with the fix", async () => {
  const path = await csv(columns.filter((c) => c !== "qa_motion"), [row()]);
  assert.throws(() => readTrainCsv(path), (e: Error) => {
    assert.match(e.message, new RegExp(`${path}: bad columns`));
    assert.match(e.message, /column 'qa_motion' is missing: add it/);
    return true;
  });
});

Deno.test("a misspelled column suggests the closest expected name", async () => {
  const misspelled = columns.map((c) => (c === "rv_lv_ratio_gte_1" ? "rv_lv_ratio_gt_1" : c));
  const path = await csv(misspelled, [row({ rv_lv_ratio_gt_1: 0 })]);
  assert.throws(
    () => readTrainCsv(path),
    /column 'rv_lv_ratio_gt_1' is not an RSPECT column: rename it to 'rv_lv_ratio_gte_1'/,
  );
});

Deno.test("an unknown extra column is refused; a split column is allowed", async () => {
  const path = await csv([...columns, "notes"], [row({ notes: "x" })]);
  assert.throws(() => readTrainCsv(path), /column 'notes' is not an RSPECT column: remove it/);
  const ok = await csv([...columns, "split"], [row({ split: "public" })]);
  assert.equal(readTrainCsv(ok).getColumn("split").get(0), "public");
  const bad = await csv([...columns, "split"], [
    row({ split: "public" }),
    row({ split: "test" }, 1),
  ]);
  assert.throws(
    () => readTrainCsv(bad),
    /column 'split', row 2 \(line 3\) holds 'test': use one of train/,
  );
});

Deno.test("a value 2 names column, row, line and the fix", async () => {
  const path = await csv(columns, [row({}, 0), row({}, 1), row({}, 2), row({ central_pe: 2 }, 3)]);
  assert.throws(
    () => readTrainCsv(path),
    new RegExp(`${path}: column 'central_pe', row 4 \\(line 5\\) holds '2': use 0 or 1`),
  );
});

Deno.test("a non-number and an empty label cell are named too", async () => {
  const text = await csv(columns, [row({}, 0), row({ qa_contrast: "yes" }, 1)]);
  assert.throws(
    () => readTrainCsv(text),
    /column 'qa_contrast', row 2 \(line 3\) holds 'yes': use 0 or 1/,
  );
  const empty = await csv(columns, [row({ chronic_pe: "" }, 0)]);
  assert.throws(
    () => readTrainCsv(empty),
    /column 'chronic_pe', row 1 \(line 2\) holds an empty cell: use 0 or 1/,
  );
  const negative = await csv(columns, [row({}, 0), row({ indeterminate: -1 }, 1)]);
  assert.throws(
    () => readTrainCsv(negative),
    /column 'indeterminate', row 2 \(line 3\) holds '-1'/,
  );
});

Deno.test("an empty UID is named", async () => {
  const path = await csv(columns, [row({}, 0), row({ SOPInstanceUID: "" }, 1)]);
  assert.throws(
    () => readTrainCsv(path),
    /column 'SOPInstanceUID', row 2 \(line 3\) holds an empty cell: fill in the UID/,
  );
});

globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
