/** Fold averaging: mean probability per exam and fraction, exams aligned across fractions. */
import assert from "node:assert/strict";
import { averageFolds } from "../../src/predict/fold_average.ts";
import {
  type PredictionRow,
  PredictionsError,
  type PredictionsTable,
} from "../../src/train/predictions_table.ts";

function row(
  exam_id: string,
  label: 0 | 1,
  fraction: number,
  fold: number,
  score: number,
  split: PredictionRow["split"] = "public",
  subtype: PredictionRow["subtype"] = null,
): PredictionRow {
  return { exam_id, split, label, fraction, fold, score, subtype };
}

function table(rows: PredictionRow[]): PredictionsTable {
  return { file: "preds.csv", rows, hasSubtype: true };
}

Deno.test("folds are averaged per exam and fraction, exams sorted and paired", () => {
  const splits = averageFolds(table([
    row("z", 0, 100, 1, 0.3),
    row("m", 1, 0, 0, 0.2, "public", "central"),
    row("m", 1, 0, 1, 0.4, "public", "central"),
    row("m", 1, 0, 2, 0.9, "public", "central"),
    row("z", 0, 0, 0, 0.1),
    row("z", 0, 0, 2, 0.2),
    row("z", 0, 0, 1, 0.6),
    row("m", 1, 100, 0, 0.8, "public", "central"),
    row("m", 1, 100, 1, 1.0, "public", "central"),
    row("z", 0, 100, 0, 0.1),
  ]));
  assert.equal(splits.length, 1);
  const [s] = splits;
  assert.deepEqual(s.examIds, ["m", "z"]);
  assert.deepEqual(Array.from(s.labels), [1, 0]);
  assert.deepEqual(s.fractions, [0, 100]);
  const close = (a: ArrayLike<number>, b: number[]) =>
    b.forEach((v, i) => assert.ok(Math.abs(a[i] - v) < 1e-12, `${a[i]} vs ${v}`));
  close(s.scores.get(0)!, [0.5, 0.3]);
  close(s.scores.get(100)!, [0.9, 0.2]);
  assert.deepEqual(s.folds.get(0), [0, 1, 2]);
  assert.deepEqual(s.folds.get(100), [0, 1]);
  assert.equal(s.subtypesKnown, true);
});

Deno.test("train-split exams are predicted out of fold: each by its own fold", () => {
  const [train, test] = averageFolds(table([
    row("a", 1, 0, 0, 0.5, "train"),
    row("b", 0, 0, 1, 0.25, "train"),
    row("c", 0, 0, 1, 0.75, "train"),
    row("p", 1, 0, 0, 0.5),
    row("p", 1, 0, 1, 0.7),
  ]));
  assert.equal(train.split, "train");
  assert.deepEqual(Array.from(train.scores.get(0)!), [0.5, 0.25, 0.75]);
  assert.deepEqual(train.folds.get(0), [0, 1]);
  assert.deepEqual(test.folds.get(0), [0, 1]);
});

Deno.test("splits come out in the order train, public, private, external", () => {
  const splits = averageFolds(table([
    row("e", 1, 0, 0, 0.5, "external"),
    row("p", 1, 0, 0, 0.5, "private"),
    row("q", 1, 0, 0, 0.5, "public"),
  ]));
  assert.deepEqual(splits.map((s) => s.split), ["public", "private", "external"]);
  assert.equal(splits[2].subtypesKnown, false);
});

Deno.test("an exam missing a fraction that others have is named", () => {
  assert.throws(
    () =>
      averageFolds(
        table([row("a", 1, 0, 0, 0.5), row("a", 1, 50, 0, 0.5), row("b", 0, 0, 0, 0.1)]),
      ),
    (e: Error) =>
      e instanceof PredictionsError && /exam 'b'/.test(e.message) &&
      /no rows for fraction 50/.test(e.message) && /fix: /.test(e.message),
  );
});

Deno.test("exams with different folds are named with row and column", () => {
  assert.throws(
    () =>
      averageFolds(table([
        row("a", 1, 0, 0, 0.5),
        row("a", 1, 0, 1, 0.5),
        row("b", 0, 0, 0, 0.1),
      ])),
    (e: Error) => e instanceof PredictionsError && /row 3, column 'fold'/.test(e.message),
  );
});

Deno.test("a split where only some positives have a subtype is rejected", () => {
  assert.throws(
    () =>
      averageFolds(table([
        row("a", 1, 0, 0, 0.5, "public", "central"),
        row("b", 1, 0, 0, 0.5, "public", null),
        row("c", 0, 0, 0, 0.1),
      ])),
    (e: Error) =>
      e instanceof PredictionsError && /row 2, column 'subtype'/.test(e.message) &&
      /exam 'b'/.test(e.message),
  );
});
