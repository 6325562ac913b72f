/** Split files and stratified folds. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { assignFolds, type FoldItem, readSplitFile } from "../../../src/data/rspect/mod.ts";

const dir = await Deno.makeTempDir({ prefix: "splits-test-" });

function items(negative: number, peripheral: number, central: number): FoldItem[] {
  const out: FoldItem[] = [];
  const add = (n: number, stratum: FoldItem["stratum"]) => {
    for (let i = 0; i < n; i++) out.push({ studyUid: `${stratum}.${i}`, stratum });
  };
  add(negative, "negative");
  add(peripheral, "peripheral");
  add(central, "central");
  return out;
}

Deno.test("five folds: sizes and every stratum balanced to within one exam", () => {
  const all = items(4797, 1765, 396); // the paper's training set
  const folds = assignFolds(all, 5, 0);
  assert.equal(folds.size, all.length);
  const count = (filter: (item: FoldItem) => boolean) => {
    const c = [0, 0, 0, 0, 0];
    for (const item of all) if (filter(item)) c[folds.get(item.studyUid)!]++;
    return c;
  };
  const spread = (c: number[]) => Math.max(...c) - Math.min(...c);
  assert.ok(spread(count(() => true)) <= 1, "fold sizes");
  for (const stratum of ["negative", "peripheral", "central"]) {
    const c = count((item) => item.stratum === stratum);
    assert.ok(spread(c) <= 1, `${stratum}: ${c}`);
  }
});

Deno.test("folds are fixed by the seed and independent of input order", () => {
  const all = items(50, 20, 7);
  const a = assignFolds(all, 5, 7);
  const b = assignFolds([...all].reverse(), 5, 7);
  assert.deepEqual([...a.entries()].sort(), [...b.entries()].sort());
  const c = assignFolds(all, 5, 8);
  assert.notDeepEqual([...a.entries()].sort(), [...c.entries()].sort());
});

Deno.test("split file: read, and a bad split value names row, column and the choices", async () => {
  const good = join(dir, "good.csv");
  await Deno.writeTextFile(good, "study_uid,split\n1.2,train\n1.3,private\n");
  assert.deepEqual([...readSplitFile(good)], [["1.2", "train"], ["1.3", "private"]]);
  const bad = join(dir, "bad.csv");
  await Deno.writeTextFile(bad, "study_uid,split\n1.2,train\n1.3,test\n");
  assert.throws(
    () => readSplitFile(bad),
    /bad\.csv: row 2 \(line 3\), column 'split'.*train, public, private, external/,
  );
  const twice = join(dir, "twice.csv");
  await Deno.writeTextFile(twice, "study_uid,split\n1.2,train\n1.2,public\n");
  assert.throws(() => readSplitFile(twice), /study 1\.2 is in both train and public/);
  const columns = join(dir, "columns.csv");
  await Deno.writeTextFile(columns, "study,split\n1.2,train\n");
  assert.throws(() => readSplitFile(columns), /column 'study_uid' is missing/);
});

globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
