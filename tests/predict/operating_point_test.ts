import assert from "node:assert/strict";
import { chooseOperatingPoint, operatingPoints } from "../../src/predict/operating_point.ts";
import { parsePredictions } from "../../src/train/predictions_table.ts";

/** Two folds, two fractions, 4 public exams (2 positive) and 2 private ones. */
function table() {
  const rows: string[][] = [];
  const publicExams = [["a", "0"], ["b", "0"], ["c", "1"], ["d", "1"]];
  // fraction 0: fold means a 0.3, b 0.5, c 0.4, d 0.9 -> one of 4 pairs misordered
  // fraction 100: fold means a 0.1, b 0.2, c 0.6, d 0.7 -> perfectly separated
  const scores: Record<string, Record<string, [number, number]>> = {
    "0": { a: [0.2, 0.4], b: [0.5, 0.5], c: [0.3, 0.5], d: [0.8, 1.0] },
    "100": { a: [0.1, 0.1], b: [0.1, 0.3], c: [0.6, 0.6], d: [0.7, 0.7] },
  };
  for (const fraction of ["0", "100"]) {
    for (const [id, label] of publicExams) {
      for (const fold of [0, 1]) {
        rows.push([
          id,
          "public",
          label,
          fraction,
          String(fold),
          String(scores[fraction][id][fold]),
        ]);
      }
    }
    for (const fold of [0, 1]) rows.push(["e", "private", "1", fraction, String(fold), "0.99"]);
  }
  const col = (i: number) => rows.map((r) => r[i]);
  return parsePredictions(
    {
      exam_id: col(0),
      split: col(1),
      label: col(2),
      fraction: col(3),
      fold: col(4),
      score: col(5),
    },
    rows.length,
    "inline.csv",
  );
}

Deno.test("operatingPoints: fold-averaged public AUC and Youden threshold, by hand", () => {
  const [zero, hundred] = operatingPoints(table());
  assert.equal(zero.fractionPercent, 0);
  assert.deepEqual(zero.folds, [0, 1]);
  assert.equal(zero.exams, 4);
  assert.equal(zero.positives, 2);
  // positives {0.4, 0.9} vs negatives {0.3, 0.5}: 3 of 4 pairs ordered -> 0.75
  assert.ok(Math.abs(zero.auc! - 0.75) < 1e-12);
  // best J: threshold between 0.5 and 0.9 (sens 0.5, spec 1) ties with between 0.3 and 0.4
  // (sens 1, spec 0.5); the lower threshold wins: (0.3 + 0.4) / 2
  assert.ok(Math.abs(zero.threshold! - 0.35) < 1e-12);
  assert.equal(zero.sensitivity, 1);
  assert.equal(zero.specificity, 0.5);
  assert.equal(hundred.auc, 1);
  assert.ok(Math.abs(hundred.threshold! - 0.4) < 1e-12); // between 0.2 and 0.6
  assert.equal(chooseOperatingPoint([zero, hundred]).fractionPercent, 100);
});

Deno.test("operatingPoints: only the folds asked for are averaged", () => {
  const [zero] = operatingPoints(table(), { folds: [1] });
  assert.deepEqual(zero.folds, [1]);
  // fold 1 alone: negatives {0.4, 0.5}, positives {0.5, 1.0}: pairs 1 + 1 + 0.5 + 1 -> 3.5 / 4
  assert.ok(Math.abs(zero.auc! - 0.875) < 1e-12);
});

Deno.test("operatingPoints: a split with one class gives no threshold, and no choice", () => {
  const points = operatingPoints(table(), { split: "private" });
  assert.equal(points.length, 2);
  assert.equal(points[0].auc, null);
  assert.equal(points[0].threshold, null);
  assert.match(points[0].note!, /holds no negative exam/);
  assert.throws(() => chooseOperatingPoint(points), /fix: pass --fraction/);
  assert.deepEqual(operatingPoints(table(), { split: "external" }), []);
});
