/**
 * The whole evaluation on a small hand-sized predictions file, compared cell by cell with an
 * independent evaluation in R (pROC, prop.test, binom.test, p.adjust):
 * tests/testdata/report/reference_metrics.R -> reference_metrics.json.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { averageFolds } from "../../src/predict/fold_average.ts";
import { evaluateSplits, METRICS_COLUMNS, type MetricsRow } from "../../src/report/evaluation.ts";
import { readPredictions } from "../../src/train/predictions_table.ts";

const dir = fileURLToPath(new URL("../testdata/report/", import.meta.url));
const reference = JSON.parse(Deno.readTextFileSync(`${dir}reference_metrics.json`)) as Record<
  string,
  Record<string, unknown>[]
>;
const splits = averageFolds(readPredictions(`${dir}small_predictions.csv`));

function close(actual: unknown, expected: unknown, what: string) {
  if (expected === null || typeof expected === "string") {
    assert.equal(actual, expected, what);
    return;
  }
  assert.equal(typeof actual, "number", `${what}: got ${actual}`);
  const a = actual as number;
  const e = expected as number;
  assert.ok(Math.abs(a - e) <= 1e-9 * Math.max(1, Math.abs(e)), `${what}: ${a} vs R ${e}`);
}

for (const ciMethod of ["wilson", "clopper-pearson"] as const) {
  Deno.test(`evaluation matches R (pROC, ${ciMethod}) on small_predictions.csv`, () => {
    const rows = evaluateSplits(splits, {
      thresholdSplit: "public",
      referenceFraction: 100,
      ciMethod,
    }).metrics.rows;
    const expected = reference[ciMethod];
    assert.equal(rows.length, expected.length);
    assert.equal(rows.length, 2 * 3 * 3);
    for (const want of expected) {
      const got = rows.find((r) =>
        r.split === want.split && r.subset === want.subset && r.fraction === want.fraction
      );
      assert.ok(got, `no row for ${want.split}/${want.subset}/${want.fraction}`);
      for (const column of METRICS_COLUMNS) {
        close(
          got[column as keyof MetricsRow],
          want[column],
          `${want.split}/${want.subset}/${want.fraction} ${column}`,
        );
      }
    }
  });
}
