import assert from "node:assert/strict";
import type { ExplainedExam } from "../../src/explain/phantom_truth.ts";
import { massPoints, summariseMass } from "../../src/explain/mass_summary.ts";
import { massPoint as point } from "./_mass_point.ts";

Deno.test("per-fraction summary: mean, normal 95 % CI, median, chance, exams above chance", () => {
  // values 0.2, 0.4, 0.6: mean 0.4, sd 0.2, half-width 1.96 x 0.2 / sqrt(3) = 0.22632
  const [zero, full] = summariseMass([
    point(100, 0.9, 0.2),
    point(0, 0.2),
    point(0, 0.6, 0.3),
    point(0, 0.4),
    point(0, null), // no attention mass: not counted
  ]);
  assert.equal(zero.fraction, 0);
  assert.equal(zero.exams, 3);
  assert.ok(Math.abs(zero.mean! - 0.4) < 1e-12);
  assert.ok(Math.abs(zero.low! - (0.4 - 0.226320)) < 1e-5);
  assert.ok(Math.abs(zero.high! - (0.4 + 0.226320)) < 1e-5);
  assert.ok(Math.abs(zero.median! - 0.4) < 1e-12);
  assert.ok(Math.abs(zero.chance! - (0.1 + 0.3 + 0.1) / 3) < 1e-12);
  assert.equal(zero.aboveChance, 3);
  assert.ok(Math.abs(zero.lift! - (0.2 / 0.1 + 0.6 / 0.3 + 0.4 / 0.1) / 3) < 1e-12);
  assert.deepEqual(
    { exams: full.exams, mean: full.mean, low: full.low, median: full.median },
    { exams: 1, mean: 0.9, low: null, median: 0.9 },
  );
});

Deno.test("points of the detected exams, at voxel or slice level", () => {
  const exam = (examId: string, detected: boolean) =>
    ({
      examId,
      subtype: "central",
      detected,
      massInside: 0.3,
      chance: 0.05,
      sliceMassInside: 0.7,
      sliceChance: 0.2,
    }) as ExplainedExam;
  const exams = [exam("a", true), exam("b", false)];
  assert.deepEqual(massPoints(0, exams, "voxel"), [
    { fraction: 0, examId: "a", subtype: "central", massInside: 0.3, chance: 0.05 },
  ]);
  assert.deepEqual(massPoints(0, exams, "slice")[0].massInside, 0.7);
});
