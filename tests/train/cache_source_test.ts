import assert from "node:assert/strict";
import { join } from "node:path";
import { cacheExamSource } from "../../src/train/mod.ts";
import { writeTinyCache } from "./_cache.ts";

Deno.test("cache source: exams listed from the index, read one at a time, settings recorded", async () => {
  const dir = await Deno.makeTempDir();
  await writeTinyCache(dir);
  const source = await cacheExamSource(dir);
  assert.equal(source.exams.length, 2 * 4 + 3 * 2);
  assert.deepEqual(source.exams.filter((e) => e.split === "train").map((e) => e.fold).sort(), [
    0,
    0,
    0,
    0,
    1,
    1,
    1,
    1,
  ]);
  assert.equal(source.exams[0].sliceCount, 6);
  const exam = await source.read(source.exams[0].examId);
  assert.deepEqual(exam.dims, [6, 12, 12]);
  assert.match(String((source.settings as { configHash: string }).configHash), /^[0-9a-f]{64}$/);
});

Deno.test("cache source: a folder without a cache is refused with the fix", async () => {
  const dir = await Deno.makeTempDir();
  await assert.rejects(
    cacheExamSource(join(dir, "nothing")),
    /nothing: not a usable prepared-exam cache .*cache\.json.*fix: pass the folder written by/,
  );
});
