import assert from "node:assert/strict";
import { mixSeed, Rng, SEED_STREAMS } from "../../src/util/mod.ts";

Deno.test("seed stream tags keep their values (every dataset and trained run depends on them)", () => {
  assert.deepEqual(SEED_STREAMS, {
    phantomExam: 0xe3a,
    examPlanBlock: 0xb10c,
    epochDraw: 1,
    augmentation: 2,
    randomAllocation: 0xa11c,
    adaptiveTies: 0xa11d,
    selectionExams: 0x5e1,
  });
  assert.equal(new Set(Object.values(SEED_STREAMS)).size, Object.keys(SEED_STREAMS).length);
});

Deno.test("mixSeed and Rng give the same numbers on every machine", () => {
  assert.equal(mixSeed(0, SEED_STREAMS.phantomExam, 7), 2954016957);
  const rng = new Rng(mixSeed(42, 7));
  assert.deepEqual([rng.nextUint32(), rng.nextUint32(), rng.nextUint32()], [
    953023448,
    18041723,
    3617182451,
  ]);
  assert.notEqual(mixSeed(1, 2), mixSeed(2, 1));
});
