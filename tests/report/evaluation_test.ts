/** The evaluation: threshold transfer, subsets, Holm families, metrics.json shape, errors. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { confusionCounts, holmAdjust, youdenThreshold } from "../../src/stats/mod.ts";
import { averageFolds, type SplitScores } from "../../src/predict/fold_average.ts";
import { evaluateSplits, pick, subsetIndices } from "../../src/report/evaluation.ts";
import { writeEvaluation } from "../../src/report/outputs.ts";
import { PredictionsError, readPredictions } from "../../src/train/predictions_table.ts";

const dir = fileURLToPath(new URL("../testdata/report/", import.meta.url));
const splits = averageFolds(readPredictions(`${dir}small_predictions.csv`));
const config = { thresholdSplit: "public", referenceFraction: 100, ciMethod: "wilson" } as const;

/** The metrics.json layout as specified in docs/evaluation.md, written out by hand. */
// deno-fmt-ignore
const ROW_KEYS = [
  "split", "subset", "fraction", "n", "n_pos", "auc", "auc_ci_low", "auc_ci_high", "auc_var",
  "threshold", "tp", "fp", "tn", "fn", "accuracy", "accuracy_ci_low", "accuracy_ci_high",
  "sensitivity", "sensitivity_ci_low", "sensitivity_ci_high", "specificity",
  "specificity_ci_low", "specificity_ci_high", "ppv", "ppv_ci_low", "ppv_ci_high", "npv",
  "npv_ci_low", "npv_ci_high", "p_vs_reference", "p_vs_reference_holm",
];

Deno.test("the threshold is picked on the public split and applied unchanged to private", () => {
  const evaluation = evaluateSplits(splits, config);
  const pub = splits.find((s) => s.split === "public")!;
  const prv = splits.find((s) => s.split === "private")!;
  let differsFromOwnYouden = 0;
  for (const fraction of pub.fractions) {
    const expected = youdenThreshold(pub.scores.get(fraction)!, pub.labels).threshold;
    assert.equal(evaluation.thresholds.get(fraction), expected);
    for (const row of evaluation.metrics.rows.filter((r) => r.fraction === fraction)) {
      assert.equal(row.threshold, expected, `${row.split}/${row.subset}/${fraction}`);
    }
    const row = evaluation.metrics.rows.find((r) =>
      r.split === "private" && r.subset === "all" && r.fraction === fraction
    )!;
    const counts = confusionCounts(prv.scores.get(fraction)!, prv.labels, expected);
    assert.deepEqual({ tp: row.tp, fp: row.fp, tn: row.tn, fn: row.fn }, counts);
    const own = youdenThreshold(prv.scores.get(fraction)!, prv.labels).threshold;
    if (own !== expected) differsFromOwnYouden++;
  }
  // The private split's own optimum differs, so re-tuning on private would have been caught.
  assert.ok(differsFromOwnYouden > 0);
});

Deno.test("central and peripheral subsets keep all negatives and their own positives", () => {
  const rows = evaluateSplits(splits, config).metrics.rows.filter((r) =>
    r.split === "private" && r.fraction === 0
  );
  const n = (subset: string) => rows.find((r) => r.subset === subset)!;
  assert.deepEqual([n("all").n, n("all").n_pos], [30, 10]);
  assert.deepEqual([n("central").n, n("central").n_pos], [24, 4]);
  assert.deepEqual([n("peripheral").n, n("peripheral").n_pos], [26, 6]);
  const prv = splits.find((s) => s.split === "private")!;
  const central = subsetIndices(prv, "central") as Int32Array;
  const labels = pick(prv.labels, central);
  for (let i = 0; i < central.length; i++) {
    if (labels[i] === 1) assert.equal(prv.subtypes[central[i]], "central");
  }
});

Deno.test("Holm is applied within each split+subset family of fractions", () => {
  const rows = evaluateSplits(splits, config).metrics.rows;
  const pooled = holmAdjust(rows.map((r) => r.p_vs_reference));
  let differsFromPooled = 0;
  for (const split of ["public", "private"]) {
    for (const subset of ["all", "central", "peripheral"]) {
      const family = rows.filter((r) => r.split === split && r.subset === subset);
      assert.equal(family.length, 3);
      const reference = family.find((r) => r.fraction === 100)!;
      assert.equal(reference.p_vs_reference, null);
      assert.equal(reference.p_vs_reference_holm, null);
      const expected = holmAdjust(family.map((r) => r.p_vs_reference));
      family.forEach((r, i) => {
        if (r.p_vs_reference === null) return;
        assert.equal(r.p_vs_reference_holm, expected[i]);
        assert.ok(r.p_vs_reference_holm! >= r.p_vs_reference);
        if (r.p_vs_reference_holm !== pooled[rows.indexOf(r)]) differsFromPooled++;
      });
    }
  }
  assert.ok(differsFromPooled > 0, "pooling all families would give the same values");
});

Deno.test("metrics.json and metrics.csv have exactly the documented shape", async () => {
  const out = await Deno.makeTempDir();
  try {
    const evaluation = evaluateSplits(splits, { ...config, ciMethod: "clopper-pearson" });
    await writeEvaluation(evaluation, splits, out, { source: "small", figures: false });
    const json = JSON.parse(await Deno.readTextFile(join(out, "metrics.json")));
    assert.deepEqual(Object.keys(json), [
      "threshold_split",
      "reference_fraction",
      "ci_method",
      "rows",
    ]);
    assert.equal(json.threshold_split, "public");
    assert.equal(json.reference_fraction, 100);
    assert.equal(json.ci_method, "clopper-pearson");
    assert.equal(json.rows.length, 18);
    for (const row of json.rows) assert.deepEqual(Object.keys(row), ROW_KEYS);
    const csv = (await Deno.readTextFile(join(out, "metrics.csv"))).trim().split("\n");
    assert.equal(csv[0], ROW_KEYS.join(","));
    assert.equal(csv.length, 19);
    const first = csv[1].split(",");
    assert.equal(Number(first[ROW_KEYS.indexOf("auc")]), json.rows[0].auc);
    const reference = json.rows.find((r: { fraction: number }) => r.fraction === 100);
    assert.equal(reference.p_vs_reference, null);
    for (const name of ["report.md", "report.html"]) {
      assert.ok((await Deno.stat(join(out, name))).size > 0, name);
    }
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

function only(split: string): SplitScores[] {
  return splits.filter((s) => s.split === split);
}

Deno.test("a missing threshold split is a clear error", () => {
  assert.throws(
    () => evaluateSplits(only("private"), config),
    (e: Error) =>
      e instanceof PredictionsError && /threshold split 'public' has no rows/.test(e.message) &&
      /--threshold-split/.test(e.message),
  );
});

Deno.test("a split without the reference fraction is a clear error", () => {
  assert.throws(
    () => evaluateSplits(splits, { ...config, referenceFraction: 27.5 }),
    (e: Error) =>
      e instanceof PredictionsError &&
      /split public has no rows at the reference fraction 27.5/.test(e.message) &&
      /--reference-fraction/.test(e.message),
  );
});

Deno.test("a fraction absent from the threshold split is a clear error", () => {
  const pub = only("public")[0];
  const prv = only("private")[0];
  const extra = new Map(prv.scores);
  extra.set(5, prv.scores.get(0)!);
  const withExtra: SplitScores = { ...prv, scores: extra, fractions: [0, 5, 50, 100] };
  assert.throws(
    () => evaluateSplits([pub, withExtra], config),
    (e: Error) =>
      e instanceof PredictionsError &&
      /fraction 5 has rows on split private but none on the threshold split public/.test(
        e.message,
      ),
  );
});

Deno.test("a split without subtypes is evaluated on all exams and the skip is listed", () => {
  const pub = only("public")[0];
  const plain: SplitScores = {
    ...pub,
    subtypes: pub.subtypes.map(() => null),
    subtypesKnown: false,
  };
  const evaluation = evaluateSplits([plain], config);
  assert.deepEqual([...new Set(evaluation.metrics.rows.map((r) => r.subset))], ["all"]);
  assert.equal(evaluation.skipped.length, 2);
  assert.match(evaluation.skipped[0], /no subtype/);
});

Deno.test("pairwise DeLong p-values are symmetric and agree with the reference comparison", () => {
  const evaluation = evaluateSplits(splits, config);
  assert.equal(evaluation.pairwise.length, 6);
  for (const pairwise of evaluation.pairwise) {
    const k = pairwise.fractions.length;
    for (let a = 0; a < k; a++) {
      assert.equal(pairwise.p[a][a], null);
      for (let b = 0; b < k; b++) assert.equal(pairwise.p[a][b], pairwise.p[b][a]);
    }
    const ref = pairwise.fractions.indexOf(100);
    for (const row of evaluation.metrics.rows) {
      if (row.split !== pairwise.split || row.subset !== pairwise.subset) continue;
      const a = pairwise.fractions.indexOf(row.fraction);
      if (a !== ref) assert.equal(pairwise.p[a][ref], row.p_vs_reference);
    }
  }
});
