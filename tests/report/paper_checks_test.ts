/** The demo's checks of the paper's effect and the study report built from them. */
import assert from "node:assert/strict";
import type { MetricsFile, PairwiseDelong } from "../../src/report/evaluation.ts";
import { pairwise, paperLike } from "./_metrics_fixture.ts";
import { demoChecks, paperComparisonTable, studyReport } from "../../src/report/study_report.ts";

/** The study report with nothing but the metrics, their checks and p-values. */
function bareReport(
  metrics: MetricsFile,
  checks: ReturnType<typeof demoChecks>,
  p: PairwiseDelong[],
) {
  return studyReport({
    title: "Demo",
    settings: [],
    metrics,
    pairwise: p,
    checks,
    stages: [],
    evaluation: { markdown: "", html: "" },
    figures: [],
    caveats: [],
  });
}

const byId = (checks: ReturnType<typeof demoChecks>) =>
  Object.fromEntries(checks.map((c) => [c.id, c.pass]));

Deno.test("a result shaped like the paper passes every check", () => {
  assert.deepEqual(byId(demoChecks(paperLike(), pairwise(0.001))), {
    "weak-vs-semi-weak": true,
    "full-supervision": true,
    "plateau": true,
    "central-vs-peripheral-2.5": true,
    "central-vs-peripheral-100": true,
  });
});

Deno.test("each check fails on its own counter-example", () => {
  // Not significant: p at the limit is not below it.
  assert.equal(byId(demoChecks(paperLike(), pairwise(0.05)))["weak-vs-semi-weak"], false);
  // An undefined p-value (too few exams) is no evidence.
  assert.equal(byId(demoChecks(paperLike(), pairwise(null)))["weak-vs-semi-weak"], false);

  const low = paperLike();
  low.rows.find((r) => r.subset === "all" && r.fraction === 100)!.auc = 0.899;
  const lowChecks = byId(demoChecks(low, pairwise(0.001)));
  assert.equal(lowChecks["full-supervision"], false);
  // 0.92 vs 0.899: difference 0.021, still a plateau.
  assert.equal(lowChecks["plateau"], true);

  const gap = paperLike();
  gap.rows.find((r) => r.subset === "all" && r.fraction === 27.5)!.auc = 0.899;
  assert.equal(byId(demoChecks(gap, pairwise(0.001)))["plateau"], false);

  const flipped = paperLike();
  flipped.rows.find((r) => r.subset === "peripheral" && r.fraction === 2.5)!.auc = 0.975;
  assert.equal(byId(demoChecks(flipped, pairwise(0.001)))["central-vs-peripheral-2.5"], false);
});

Deno.test("a plateau of exactly 0.03 passes; a missing fraction is not evaluable", () => {
  const edge = paperLike();
  edge.rows.find((r) => r.subset === "all" && r.fraction === 27.5)!.auc = 0.9;
  assert.equal(byId(demoChecks(edge, pairwise(0.001)))["plateau"], true);

  const partial = paperLike();
  partial.rows = partial.rows.filter((r) => r.fraction !== 2.5);
  const checks = byId(demoChecks(partial, pairwise(0.001)));
  assert.equal(checks["weak-vs-semi-weak"], null);
  assert.equal(checks["central-vs-peripheral-2.5"], null);
  assert.equal(checks["full-supervision"], true);
});

Deno.test("the study report shows the checks, the paper's numbers and the differences", () => {
  const metrics = paperLike();
  metrics.rows.find((r) => r.subset === "all" && r.fraction === 100)!.auc = 0.7;
  const checks = demoChecks(metrics, pairwise(0.001));
  const report = studyReport({
    title: "Demo",
    settings: ["profile demo"],
    metrics,
    pairwise: pairwise(0.001),
    checks,
    stages: [{ stage: "synth", status: "ran", seconds: 12.34, detail: "10 exams" }],
    evaluation: {
      markdown: "# Evaluation report\n\n## Thresholds\n",
      html: "<body><h1>x</h1></body>",
    },
    figures: ["auc_by_fraction.png", "auc_by_fraction.html"],
    caveats: ["synthetic data"],
  });
  assert.match(
    report.markdown,
    /\| full-supervision \| AUC at 100 % >= 0\.90 \| 0\.932 \| 0\.700 \| FAIL \|/,
  );
  assert.match(report.markdown, /\| plateau \|.*\| FAIL \|/);
  assert.match(report.markdown, /- full-supervision: the paper found/);
  assert.match(report.markdown, /- synthetic data/);
  // Full supervision fails at 0.70 and the plateau (0.92 vs 0.70) fails; the passing
  // central-vs-peripheral checks are flagged as no evidence.
  assert.match(report.markdown, /- central-vs-peripheral-100: passes, as weak evidence only/);
  assert.match(report.markdown, /!\[auc_by_fraction\.png\]\(auc_by_fraction\.png\)/);
  assert.match(report.markdown, /### Thresholds/);
  assert.match(report.html, /<a href="auc_by_fraction\.html"><img src="auc_by_fraction\.png"/);
  assert.match(report.html, /<td>12\.3<\/td>/);
  assert.match(report.markdown, /\| total \| {2}\| 12\.3 \| {2}\|/);
});

Deno.test("the comparison table puts this run's AUC beside the paper's, 'not run' elsewhere", () => {
  const table = paperComparisonTable(paperLike()).markdown;
  assert.match(
    table,
    /\| Private test, all PE \| 27\.5 % \| 0\.928 \(0\.910, 0\.945\) \| 0\.920 \(0\.870, 0\.970\) \| -0\.008 \|/,
  );
  assert.match(table, /\| External.* \| 0 % \| 0\.656 \(0\.522, 0\.790\) \| not run \| — \|/);
});

Deno.test("a plateau of two untrained models is flagged as meaningless", () => {
  const chance = paperLike();
  for (const r of chance.rows) r.auc = 0.5;
  const checks = demoChecks(chance, pairwise(0.9));
  assert.equal(byId(checks)["plateau"], true);
  const report = bareReport(chance, checks, pairwise(0.9));
  assert.match(report.markdown, /- plateau: passes, as weak evidence only/);
  // Equal AUCs: central > peripheral fails, so it gets no such note.
  assert.doesNotMatch(report.markdown, /- central-vs-peripheral-2\.5: passes only/);
});

Deno.test("a run with every check passing says so and flags nothing", () => {
  const metrics = paperLike();
  const checks = demoChecks(metrics, pairwise(0.001));
  const report = bareReport(metrics, checks, pairwise(0.001));
  assert.match(report.markdown, /- Every check of the paper's effect passes on this run\./);
  assert.doesNotMatch(report.markdown, /weak evidence|FAIL/);
});

Deno.test("central above peripheral in a model not distinguishable from chance is weak evidence", () => {
  const metrics = paperLike();
  const overall = metrics.rows.find((r) => r.subset === "all" && r.fraction === 2.5)!;
  Object.assign(overall, { auc: 0.545, auc_ci_low: 0.492, auc_ci_high: 0.599 });
  Object.assign(metrics.rows.find((r) => r.subset === "central" && r.fraction === 2.5)!, {
    auc: 0.596,
  });
  Object.assign(metrics.rows.find((r) => r.subset === "peripheral" && r.fraction === 2.5)!, {
    auc: 0.533,
  });
  const checks = demoChecks(metrics, pairwise(0.9));
  assert.equal(byId(checks)["central-vs-peripheral-2.5"], true);
  const report = bareReport(metrics, checks, pairwise(0.9));
  assert.match(
    report.markdown,
    /- central-vs-peripheral-2\.5: passes, as weak evidence only \(0\.596 vs 0\.533\): the model at 2\.5 % is not distinguishable from chance \(AUC 0\.545 \(0\.492, 0\.599\), its 95 % CI includes 0\.5\)\./,
  );
  // At 100 % the model is far from chance: no such note.
  assert.doesNotMatch(report.markdown, /central-vs-peripheral-100: passes, as weak/);
});
