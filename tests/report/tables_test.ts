/** Tables: formatting of estimates, CIs and p-values; layout of the metrics table and report. */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { averageFolds } from "../../src/predict/fold_average.ts";
import { evaluateSplits } from "../../src/report/evaluation.ts";
import { readPredictions } from "../../src/train/predictions_table.ts";
import {
  evaluationReport,
  formatP,
  formatWithCi,
  metricsTable,
  renderTable,
} from "../../src/report/tables.ts";

const dir = fileURLToPath(new URL("../testdata/report/", import.meta.url));
const splits = averageFolds(readPredictions(`${dir}small_predictions.csv`));
const evaluation = evaluateSplits(splits, {
  thresholdSplit: "public",
  referenceFraction: 100,
  ciMethod: "wilson",
});

Deno.test("estimates, CIs and p-values are printed as in the paper", () => {
  assert.equal(formatWithCi(0.6824, 0.65239, 0.7111), "0.682 (0.652, 0.711)");
  assert.equal(formatWithCi(null, null, null), "—");
  assert.equal(formatWithCi(0.5, null, null), "0.500");
  assert.equal(formatP(0.1874), "0.187");
  assert.equal(formatP(0.0004), "< 0.001");
  assert.equal(formatP(null), "—");
});

Deno.test("Markdown and HTML tables carry the same cells, HTML escaped", () => {
  const table = renderTable(["a", "b"], [["1", "<2"]], "caption & more");
  assert.equal(
    table.markdown,
    "*caption & more*\n\n| a | b |\n| --- | ---: |\n| 1 | <2 |\n",
  );
  assert.match(table.html, /<caption>caption &amp; more<\/caption>/);
  assert.match(table.html, /<td>&lt;2<\/td>/);
});

Deno.test("the metrics table has one row per fraction, the reference marked, F1 from counts", () => {
  const { markdown } = metricsTable(evaluation, "private", "all");
  const lines = markdown.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| ---"));
  assert.equal(lines.length, 1 + 3); // header + 3 fractions
  assert.match(lines[0], /AUC \(95 % CI\) \| p vs reference \| p \(Holm\) \| Accuracy/);
  assert.match(lines[3], /^\| 100 % \(ref\.\) \|/);
  const row = evaluation.metrics.rows.find((r) =>
    r.split === "private" && r.subset === "all" && r.fraction === 0
  )!;
  const f1 = (2 * row.tp) / (2 * row.tp + row.fp + row.fn);
  assert.equal(lines[1].split(" | ")[5], f1.toFixed(3));
  assert.match(markdown, /30 exams \(10 with PE\)/);
});

Deno.test("the report lists settings, thresholds, every split and subset, pairwise p-values", () => {
  const { markdown, html } = evaluationReport(evaluation, "small_predictions.csv");
  for (
    const heading of [
      "## Thresholds",
      "## Public test, all PE",
      "## Private test, central PE",
      "## Private test, peripheral PE",
    ]
  ) {
    assert.ok(markdown.includes(heading), heading);
  }
  assert.match(markdown, /- Binomial CI method: wilson/);
  assert.match(markdown, /paired DeLong p-values between fractions/);
  assert.match(html, /^<!DOCTYPE html>/);
  assert.equal((html.match(/<table/g) ?? []).length, 1 + 6 * 2);
});
