import assert from "node:assert/strict";
import { clotMask, dilateMask, regenerateExam } from "../../../src/data/phantom/clot_mask.ts";
import { generateExam } from "../../../src/data/phantom/exam.ts";
import { phantomProfile } from "../../../src/data/phantom/profile.ts";
import { examPlans } from "../../../src/data/phantom/schedule.ts";
import { GENERATOR_VERSION } from "../../../src/data/phantom/profile.ts";
import type { TruthFile } from "../../../src/data/phantom/truth.ts";

Deno.test("dilation by a ball in mm on an anisotropic grid (counted by hand)", () => {
  const dims = [5, 7, 7] as const;
  const mask = new Uint8Array(5 * 49);
  mask[(2 * 7 + 3) * 7 + 3] = 1; // centre voxel
  const count = (m: Uint8Array) => m.reduce((a, b) => a + b, 0);
  // spacing z 2 mm, y/x 1 mm, radius 2 mm: in-plane disc of radius 2 (13 voxels) on the centre
  // slice, one voxel on each neighbouring slice (2 mm away)
  assert.equal(count(dilateMask(mask, dims, [2, 1, 1], 2)), 13 + 2);
  // radius 1.5 mm: in-plane 3 x 3 (9: diagonals at 1.41 mm), no neighbouring slice
  assert.equal(count(dilateMask(mask, dims, [2, 1, 1], 1.5)), 9);
  assert.deepEqual(dilateMask(mask, dims, [2, 1, 1], 0), mask);
  // at the edge the ball is cut, never wrapped to the next row
  const edge = new Uint8Array(5 * 49);
  edge[0] = 1;
  const grown = dilateMask(edge, dims, [2, 1, 1], 1);
  assert.deepEqual([...grown.keys()].filter((i) => grown[i]), [0, 1, 7]);
});

Deno.test("the clot mask of a regenerated positive exam covers exactly its positive slices", () => {
  const seed = 3, exams = 10;
  const plans = examPlans(seed, exams);
  const plan = plans.find((p) => p.label === "positive")!;
  const original = generateExam(seed, phantomProfile("tiny"), plan);
  const truth: TruthFile = {
    settings: {
      profile: "tiny",
      seed,
      exams,
      eraseClots: false,
      generatorVersion: GENERATOR_VERSION,
    },
    exams: [original.truth],
  };
  const again = regenerateExam(truth, original.truth.studyUid);
  assert.deepEqual(again.stored, original.stored);
  const mask = clotMask(again);
  const { rows, cols, slices } = again.grid;
  const withClot = [];
  for (let k = 0; k < slices; k++) {
    if (mask.subarray(k * rows * cols, (k + 1) * rows * cols).some((v) => v === 1)) {
      withClot.push(k);
    }
  }
  // the generator's positive slices are those where a clot fills at least half a voxel
  assert.deepEqual(withClot, original.truth.positiveSlices);
  assert.throws(() => regenerateExam(truth, "2.25.1"), /not in the truth file/);
  assert.throws(() => clotMask(original), /keepTruthMaps/);
});
