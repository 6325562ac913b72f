/**
 * The study-level report of a demo run: the paper's effect as pass/fail checks computed from the
 * evaluation's metrics and paired DeLong p-values, the AUCs beside the paper's published ones,
 * the stage timings, and the evaluation's own tables (paper layout). Pure functions from plain
 * data to Markdown and HTML; the demo command writes the files.
 *
 * @example
 * ```ts
 * import { demoChecks, studyReport } from "./study_report.ts";
 * // const checks = demoChecks(metrics, pairwise);
 * // const { markdown, html } = studyReport({ title: "Demo", metrics, pairwise, checks,
 * //   settings: ["profile demo"], stages: [], evaluation: { markdown: "", html: "" },
 * //   figures: ["auc_by_fraction.png"] });
 * ```
 */
import { z } from "zod";
import { type MetricsFile, type MetricsRow, type PairwiseDelong, SUBSETS } from "./evaluation.ts";
import { escapeHtml } from "./export.ts";
import { panelTitle } from "./figures.ts";
import { formatPaperAuc, PAPER_AUCS, PAPER_P_VALUES } from "./paper_reference.ts";
import { SPLITS } from "../train/predictions_table.ts";
import { formatFraction } from "./style.ts";
import { formatP, formatWithCi, renderTable, type TableText } from "./tables.ts";

/** pairwise.json: the evaluation's paired DeLong p-values between fractions. */
export const pairwiseFileSchema = z.array(z.object({
  split: z.enum(SPLITS),
  subset: z.enum(SUBSETS),
  fractions: z.array(z.number()),
  p: z.array(z.array(z.number().nullable())),
}));

/** One check of the paper's effect: pass true/false, or null when the sweep lacks its data. */
export interface DemoCheck {
  id: string;
  /** What the paper found, as a testable claim. */
  claim: string;
  /** The paper's own numbers for it. */
  paper: string;
  /** What this run measured. */
  observed: string;
  pass: boolean | null;
  /** Why a pass says little, when the run itself shows it (e.g. the model is near chance). */
  caution?: string;
}

/** Thresholds of the checks (the paper's effect, stated as numbers). */
export const CHECK_LIMITS = {
  /** The paired DeLong p-value below which 2.5 % beats 0 %. */
  alpha: 0.05,
  /** The AUC the fully supervised model must reach. */
  fullAuc: 0.9,
  /** The largest |AUC(27.5 %) - AUC(100 %)| that counts as a plateau. */
  plateau: 0.03,
} as const;

/**
 * The paper's effect on `split` (default the private test set), computed from the metrics:
 * AUC 0 % < 2.5 % with paired DeLong p < 0.05; AUC 100 % >= 0.90; |AUC 27.5 % - AUC 100 %| <=
 * 0.03; central AUC > peripheral AUC at 2.5 % and at 100 %.
 *
 * @example
 * ```ts
 * // demoChecks(metrics, pairwise).map((c) => `${c.id}: ${c.pass}`)
 * // -> ["weak-vs-semi-weak: false", "full-supervision: true", ...]
 * ```
 */
export function demoChecks(
  metrics: MetricsFile,
  pairwise: readonly PairwiseDelong[],
  split = "private",
): DemoCheck[] {
  const row = (subset: string, fraction: number): MetricsRow | undefined =>
    metrics.rows.find((r) => r.split === split && r.subset === subset && r.fraction === fraction);
  const auc = (r: MetricsRow | undefined) => r ? r.auc.toFixed(3) : "not run";
  const missing = (...rows: (MetricsRow | undefined)[]) => rows.some((r) => r === undefined);
  const checks: DemoCheck[] = [];

  const weak = row("all", 0);
  const semi = row("all", 2.5);
  const p = pairedP(pairwise, split, "all", 0, 2.5);
  checks.push({
    id: "weak-vs-semi-weak",
    claim: `AUC at 0 % < AUC at 2.5 %, paired DeLong p < ${CHECK_LIMITS.alpha}`,
    paper: "0.682 -> 0.858 (significant)",
    observed: `${auc(weak)} -> ${auc(semi)}, p = ${p === undefined ? "n/a" : formatP(p)}`,
    pass: missing(weak, semi) || p === undefined
      ? null
      : weak!.auc < semi!.auc && p !== null && p < CHECK_LIMITS.alpha,
  });

  const full = row("all", 100);
  checks.push({
    id: "full-supervision",
    claim: `AUC at 100 % >= ${CHECK_LIMITS.fullAuc.toFixed(2)}`,
    paper: "0.932",
    observed: auc(full),
    pass: full ? full.auc >= CHECK_LIMITS.fullAuc : null,
  });

  const plateau = row("all", 27.5);
  checks.push({
    id: "plateau",
    claim: `AUC at 27.5 % within ${CHECK_LIMITS.plateau} of AUC at 100 %`,
    paper: "0.928 vs 0.932 (p = 0.187)",
    observed: missing(plateau, full)
      ? `${auc(plateau)} vs ${auc(full)}`
      : `${auc(plateau)} vs ${auc(full)} (difference ${
        Math.abs(plateau!.auc - full!.auc).toFixed(3)
      })`,
    pass: missing(plateau, full)
      ? null
      : Math.abs(plateau!.auc - full!.auc) <= CHECK_LIMITS.plateau + 1e-12,
  });

  const paperSubtype: Record<number, string> = { 2.5: "0.972 > 0.829", 100: "0.987 > 0.917" };
  for (const fraction of [2.5, 100]) {
    const central = row("central", fraction);
    const peripheral = row("peripheral", fraction);
    const overall = row("all", fraction);
    const nearChance = overall !== undefined && overall.auc_ci_low !== null &&
      overall.auc_ci_low <= 0.5;
    checks.push({
      id: `central-vs-peripheral-${fraction}`,
      claim: `at ${formatFraction(fraction)}: central-PE AUC > peripheral-PE AUC`,
      paper: paperSubtype[fraction],
      observed: `${auc(central)} vs ${auc(peripheral)}`,
      pass: missing(central, peripheral) ? null : central!.auc > peripheral!.auc,
      caution: nearChance
        ? `the model at ${formatFraction(fraction)} is not distinguishable from chance ` +
          `(AUC ${formatWithCi(overall.auc, overall.auc_ci_low, overall.auc_ci_high)}, ` +
          "its 95 % CI includes 0.5)"
        : undefined,
    });
  }
  return checks;
}

/** The raw paired p-value between fractions a and b; undefined when either was not run. */
function pairedP(
  pairwise: readonly PairwiseDelong[],
  split: string,
  subset: string,
  a: number,
  b: number,
): number | null | undefined {
  const table = pairwise.find((t) => t.split === split && t.subset === subset);
  if (!table) return undefined;
  const i = table.fractions.indexOf(a);
  const j = table.fractions.indexOf(b);
  return i < 0 || j < 0 ? undefined : table.p[i][j];
}

/**
 * This run's AUC beside every AUC the paper's text prints (private test and external sets).
 *
 * @example
 * ```ts
 * // paperComparisonTable(metrics).markdown: | Set | Slice labels | Paper AUC | This run | ... |
 * ```
 */
export function paperComparisonTable(metrics: MetricsFile): TableText {
  const cells = PAPER_AUCS.map((paper) => {
    const ours = metrics.rows.find((r) =>
      r.split === paper.split && r.subset === paper.subset && r.fraction === paper.fraction
    );
    return [
      panelTitle(paper.split, paper.subset),
      formatFraction(paper.fraction),
      formatPaperAuc(paper),
      ours ? formatWithCi(ours.auc, ours.auc_ci_low, ours.auc_ci_high) : "not run",
      ours ? (ours.auc - paper.auc).toFixed(3) : "—",
      `${paper.citation.section} (paper.txt line ${paper.citation.line})`,
    ];
  });
  return renderTable(
    ["Set", "Slice labels", "Paper AUC (95 % CI)", "This run", "Difference", "Source"],
    cells,
    "AUC of this run beside the paper's published AUC (the paper: RSPECT private test set, " +
      "external = Aida + FUMPE; this run: its own data's private and external splits)",
  );
}

/**
 * This run's paired DeLong p-values for the comparisons the paper's text quotes.
 *
 * @example
 * ```ts
 * // paperPValueTable(pairwise).markdown
 * ```
 */
export function paperPValueTable(pairwise: readonly PairwiseDelong[]): TableText {
  const cells = PAPER_P_VALUES.map((paper) => {
    const [a, b] = paper.fractions;
    const ours = pairedP(pairwise, paper.split, paper.subset, a, b);
    return [
      panelTitle(paper.split, paper.subset),
      `${formatFraction(a)} vs ${formatFraction(b)}`,
      paper.p.toFixed(3),
      ours === undefined ? "not run" : formatP(ours),
    ];
  });
  return renderTable(
    ["Set", "Fractions", "Paper p", "This run p"],
    cells,
    "Paired DeLong p-values (two-sided, unadjusted) for the comparisons the paper quotes",
  );
}

/** One stage of the demo as the report lists it. */
export interface StageTiming {
  stage: string;
  /** "ran" in this invocation, or "complete" (found finished and skipped). */
  status: "ran" | "complete";
  /** Seconds of the run that produced the stage's outputs. */
  seconds: number;
  /** What the stage did, in a few words. */
  detail: string;
}

/** Everything the study report shows. */
export interface StudyReportInput {
  title: string;
  /** Settings lines (profile, exams, fractions, folds, epochs, backend, commands). */
  settings: readonly string[];
  metrics: MetricsFile;
  pairwise: readonly PairwiseDelong[];
  checks: readonly DemoCheck[];
  stages: readonly StageTiming[];
  /** The evaluation report (paper-layout tables) to append. */
  evaluation: TableText;
  /** Figure files beside the report (names relative to it), shown in this order. */
  figures: readonly string[];
  /** Known differences from the paper's setting, one sentence each. */
  caveats: readonly string[];
}

/**
 * The study report as Markdown and HTML.
 *
 * @example
 * ```ts
 * // const { markdown } = studyReport(input); // "# Demo ..."
 * ```
 */
export function studyReport(input: StudyReportInput): TableText {
  const checkTable = renderTable(
    ["Check", "Claim", "Paper", "This run", "Result"],
    input.checks.map((c) => [c.id, c.claim, c.paper, c.observed, verdict(c.pass)]),
    "The paper's effect on the private test split, computed from this run's metrics",
  );
  const stageTable = renderTable(
    ["Stage", "Status", "Seconds", "Detail"],
    [
      ...input.stages.map((s) => [s.stage, s.status, s.seconds.toFixed(1), s.detail]),
      ["total", "", input.stages.reduce((sum, s) => sum + s.seconds, 0).toFixed(1), ""],
    ],
    "Stages (seconds of the run that produced each stage's outputs)",
  );
  const comparison = paperComparisonTable(input.metrics);
  const pValues = paperPValueTable(input.pairwise);
  const differences = differencesFromPaper(input.checks, input.caveats);
  const markdown = [
    `# ${input.title}`,
    "",
    ...input.settings.map((s) => `- ${s}`),
    "",
    "## The paper's effect: checks",
    "",
    checkTable.markdown,
    "## Where this run differs from the paper",
    "",
    ...differences.map((d) => `- ${d}`),
    "",
    "## Beside the paper's numbers",
    "",
    comparison.markdown,
    pValues.markdown,
    "## Figures",
    "",
    ...input.figures.filter((f) => f.endsWith(".png")).map((f) => `![${f}](${f})\n`),
    "## Stages",
    "",
    stageTable.markdown,
    "## Evaluation tables (paper layout)",
    "",
    demoteHeadings(input.evaluation.markdown),
  ].join("\n");
  const body = /<body>([\s\S]*)<\/body>/.exec(input.evaluation.html)?.[1] ?? "";
  const html = [
    "<!DOCTYPE html>",
    `<html><head><meta charset="utf-8"><title>${escapeHtml(input.title)}</title>`,
    "<style>body{font-family:DejaVu Sans,Arial,sans-serif;margin:2em;}",
    "table{border-collapse:collapse;margin:0.5em 0 2em;font-size:0.9em;}",
    "caption{text-align:left;font-style:italic;padding-bottom:0.4em;}",
    "th,td{border:1px solid #ccc;padding:0.25em 0.6em;text-align:right;}",
    "th:first-child,td:first-child{text-align:left;} img{max-width:100%;}</style></head><body>",
    `<h1>${escapeHtml(input.title)}</h1>`,
    `<ul>${input.settings.map((s) => `<li>${escapeHtml(s)}</li>`).join("")}</ul>`,
    "<h2>The paper's effect: checks</h2>",
    checkTable.html,
    "<h2>Where this run differs from the paper</h2>",
    `<ul>${differences.map((d) => `<li>${escapeHtml(d)}</li>`).join("")}</ul>`,
    "<h2>Beside the paper's numbers</h2>",
    comparison.html,
    pValues.html,
    "<h2>Figures</h2>",
    ...input.figures.filter((f) => f.endsWith(".png")).map((f) => {
      const page = f.replace(/\.png$/, ".html");
      const link = input.figures.includes(page) ? page : f;
      return `<p><a href="${escapeHtml(link)}"><img src="${escapeHtml(f)}" alt="${
        escapeHtml(f)
      }"></a></p>`;
    }),
    "<h2>Stages</h2>",
    stageTable.html,
    "<h2>Evaluation tables (paper layout)</h2>",
    body.replace(/<h1>[\s\S]*?<\/h1>/, "").replace(/<(\/?)h2>/g, "<$1h3>"),
    "</body></html>",
    "",
  ].join("\n");
  return { markdown, html };
}

/** One sentence per failed or unevaluable check, then the caveats. */
function differencesFromPaper(
  checks: readonly DemoCheck[],
  caveats: readonly string[],
): string[] {
  const lines = checks.flatMap((c) => {
    if (c.pass === null) return [`${c.id}: not evaluable (${c.observed}); the paper: ${c.paper}.`];
    if (!c.pass) {
      return [`${c.id}: the paper found ${c.claim} (${c.paper}); this run: ${c.observed}.`];
    }
    return [];
  });
  const full = checks.find((c) => c.id === "full-supervision");
  for (const c of checks.filter((c) => c.pass === true && c.caution !== undefined)) {
    lines.push(`${c.id}: passes, as weak evidence only (${c.observed}): ${c.caution}.`);
  }
  if (full?.pass === false) {
    for (const c of checks.filter((c) => c.pass === true && c.caution === undefined)) {
      lines.push(
        `${c.id}: passes, as weak evidence only (${c.observed}): the fully supervised model ` +
          `is at AUC ${full.observed} (below ${CHECK_LIMITS.fullAuc.toFixed(2)}), so the models ` +
          "have learned the task far less well than the paper's.",
      );
    }
  }
  if (lines.length === 0) lines.push("Every check of the paper's effect passes on this run.");
  return [...lines, ...caveats];
}

function verdict(pass: boolean | null): string {
  return pass === null ? "not evaluable" : pass ? "pass" : "FAIL";
}

function demoteHeadings(markdown: string): string {
  return markdown.replace(/^# .*\n/m, "").replace(/^## /gm, "### ");
}
