import assert from "node:assert/strict";
import { Rng } from "../../src/util/random.ts";
import { classWeights, sampleExams, stratifiedSubset } from "../../src/train/mod.ts";

Deno.test("class weights N/N_pos and N/N_neg reproduce the paper's 3.22 and 1.45", () => {
  const labels = [...new Array(2161).fill(1), ...new Array(4797).fill(0)];
  const { positive, negative } = classWeights(labels);
  assert.equal(positive.toFixed(2), "3.22");
  assert.equal(negative.toFixed(2), "1.45");
});

Deno.test("weighted sampling draws both classes about equally, reproducibly", () => {
  const labels = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]; // 10 % positive
  const drawn = sampleExams(labels, 4000, new Rng(3));
  const positives = drawn.filter((i) => labels[i] === 1).length;
  // expected 2000; binomial sd ~32
  assert.ok(Math.abs(positives - 2000) < 150, `${positives} positives of 4000`);
  assert.deepEqual(sampleExams(labels, 50, new Rng(3)), drawn.slice(0, 50));
  assert.ok(drawn.every((i) => i >= 0 && i < labels.length));
});

Deno.test("one class only is refused with the fix", () => {
  assert.throws(() => classWeights([0, 0, 0]), /both classes.*0 positive, 3 negative.*fix/);
});

Deno.test("the selection subset keeps each class's share, draws without replacement, reproducibly", () => {
  // 742 validation exams, 240 positive (the demo's fold 0 has about this mix).
  const labels = Array.from({ length: 742 }, (_, i) => (i % 742 < 240 ? 1 : 0));
  const subset = stratifiedSubset(labels, 256, new Rng(9));
  assert.equal(subset.length, 256);
  assert.equal(new Set(subset).size, 256);
  assert.deepEqual(subset, [...subset].sort((a, b) => a - b));
  assert.equal(subset.filter((i) => labels[i] === 1).length, Math.round((256 * 240) / 742));
  assert.deepEqual(stratifiedSubset(labels, 256, new Rng(9)), subset);
  assert.notDeepEqual(stratifiedSubset(labels, 256, new Rng(10)), subset);
  // A rare class keeps one exam; a count covering the list returns all of it.
  const rare = [1, ...Array.from({ length: 99 }, () => 0)];
  assert.ok(stratifiedSubset(rare, 10, new Rng(1)).includes(0));
  assert.deepEqual(stratifiedSubset([1, 0, 1], 5, new Rng(1)), [0, 1, 2]);
});
