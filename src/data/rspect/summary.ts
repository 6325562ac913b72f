/**
 * Counts of a cleaning run: per split (exams, excluded, included, positive, central,
 * peripheral, negative, like the paper's Table 4), per exclusion reason, per fold, and the flow
 * of counts through the steps (like the paper's Fig. 4).
 *
 * @example
 * ```ts ignore
 * import { summarize, summaryTable } from "./summary.ts";
 * import { z } from "zod";
import { readJson } from "../../io/mod.ts";
import type { ExamOutcome } from "./clean.ts";
 * declare const outcomes: ExamOutcome[];
 * const summary = summarize(outcomes, 5);
 * console.log(summaryTable(summary)); // | split | exams | excluded | included | ...
 * ```
 */
import { z } from "zod";
import { readJson } from "../../io/mod.ts";
import type { ExamOutcome } from "./clean.ts";
import { type ExclusionReason, exclusionReasons } from "./rules.ts";
import { SplitSchema } from "./schema.ts";

/** Counts of one split. */
export interface SplitCounts {
  exams: number;
  excluded: number;
  included: number;
  positive: number;
  central: number;
  peripheral: number;
  negative: number;
}

/** One step of the flow: exams left after it, and what it removed by reason. */
export interface FlowStep {
  step: string;
  remaining: number;
  removed: Partial<Record<ExclusionReason, number>>;
}

/** The summary written to summary.json. */
export interface CleaningSummary {
  examsInLabels: number;
  included: number;
  excluded: number;
  bySplit: Record<string, SplitCounts>;
  byReason: Partial<Record<ExclusionReason, number>>;
  byLabel: { positive: number; negative: number };
  bySubtype: { central: number; peripheral: number };
  byFold: { fold: number; exams: number; positive: number; central: number }[];
  /** DICOM folders with no rows in train.csv. */
  unlabelledFolders: number;
  flow: FlowStep[];
}

const countsByReason = z.record(z.string(), z.number().int().min(0));

/** The schema of summary.json (see {@link CleaningSummary}). */
export const cleaningSummarySchema = z.object({
  examsInLabels: z.number().int().min(0),
  included: z.number().int().min(0),
  excluded: z.number().int().min(0),
  bySplit: z.record(
    z.string(),
    z.object({
      exams: z.number(),
      excluded: z.number(),
      included: z.number(),
      positive: z.number(),
      central: z.number(),
      peripheral: z.number(),
      negative: z.number(),
    }),
  ),
  byReason: countsByReason,
  byLabel: z.object({ positive: z.number(), negative: z.number() }),
  bySubtype: z.object({ central: z.number(), peripheral: z.number() }),
  byFold: z.array(
    z.object({ fold: z.number(), exams: z.number(), positive: z.number(), central: z.number() }),
  ),
  unlabelledFolders: z.number().int().min(0),
  flow: z.array(z.object({ step: z.string(), remaining: z.number(), removed: countsByReason })),
});

/**
 * Read a manifest's summary.json (written by `cleanRspect`); a bad file fails naming the field
 * and the fix.
 *
 * @example
 * ```ts ignore
 * const summary = await readCleaningSummary("data-manifests/demo/summary.json");
 * console.log(summaryTable(summary));
 * ```
 */
export async function readCleaningSummary(path: string): Promise<CleaningSummary> {
  return await readJson(path, cleaningSummarySchema, "rerun `deno task clean`") as CleaningSummary;
}

/** The steps of the flow and the reasons each one applies. */
export const flowSteps: { step: string; reasons: readonly ExclusionReason[] }[] = [
  {
    step: "label rules",
    reasons: ["inconsistent-exam-labels", "indeterminate", "label-incoherent"],
  },
  { step: "files present", reasons: ["missing-files", "missing-labels"] },
  {
    step: "DICOM checks",
    reasons: exclusionReasons.filter((r) =>
      ![
        "inconsistent-exam-labels",
        "indeterminate",
        "label-incoherent",
        "missing-files",
        "missing-labels",
        "not-in-labels",
      ]
        .includes(r)
    ),
  },
];

/** Count the outcomes of a run (folders not in train.csv are counted apart). */
export function summarize(outcomes: readonly ExamOutcome[], folds: number): CleaningSummary {
  const labelled = outcomes.filter((o) => o.exam !== null);
  const included = labelled.filter((o) => !o.exclusion);
  const bySplit: Record<string, SplitCounts> = {};
  for (const o of labelled) {
    const split = o.split ?? "train";
    const c = bySplit[split] ??= {
      exams: 0,
      excluded: 0,
      included: 0,
      positive: 0,
      central: 0,
      peripheral: 0,
      negative: 0,
    };
    c.exams++;
    if (o.exclusion) {
      c.excluded++;
      continue;
    }
    c.included++;
    if (o.label === 1) c.positive++;
    else c.negative++;
    if (o.subtype) c[o.subtype]++;
  }
  const byReason: Partial<Record<ExclusionReason, number>> = {};
  for (const o of labelled) {
    if (o.exclusion) byReason[o.exclusion.reason] = (byReason[o.exclusion.reason] ?? 0) + 1;
  }
  const byFold = Array.from({ length: folds }, (_, fold) => {
    const members = included.filter((o) => o.fold === fold);
    return {
      fold,
      exams: members.length,
      positive: members.filter((o) => o.label === 1).length,
      central: members.filter((o) => o.subtype === "central").length,
    };
  });
  let remaining = labelled.length;
  const flow: FlowStep[] = [{ step: "exams in train.csv", remaining, removed: {} }];
  for (const { step, reasons } of flowSteps) {
    const removed: Partial<Record<ExclusionReason, number>> = {};
    for (const r of reasons) {
      const n = labelled.filter((o) => o.exclusion?.reason === r).length;
      if (n > 0) removed[r] = n;
      remaining -= n;
    }
    flow.push({ step, remaining, removed });
  }
  return {
    examsInLabels: labelled.length,
    included: included.length,
    excluded: labelled.length - included.length,
    bySplit,
    byReason,
    byLabel: {
      positive: included.filter((o) => o.label === 1).length,
      negative: included.filter((o) => o.label === 0).length,
    },
    bySubtype: {
      central: included.filter((o) => o.subtype === "central").length,
      peripheral: included.filter((o) => o.subtype === "peripheral").length,
    },
    byFold,
    unlabelledFolders: outcomes.filter((o) => o.exam === null).length,
    flow,
  };
}

/** The per-split counts as a Markdown table (splits in train, public, private, external order). */
export function summaryTable(summary: CleaningSummary): string {
  const order: readonly string[] = SplitSchema.options;
  const splits = Object.keys(summary.bySplit).sort((a, b) => order.indexOf(a) - order.indexOf(b));
  const columns = [
    "exams",
    "excluded",
    "included",
    "positive",
    "central",
    "peripheral",
    "negative",
  ] as const;
  const lines = [
    `| split | ${columns.join(" | ")} |`,
    `|---|${columns.map(() => "---:").join("|")}|`,
    ...splits.map((s) => `| ${s} | ${columns.map((c) => summary.bySplit[s][c]).join(" | ")} |`),
  ];
  return lines.join("\n");
}

/**
 * Exclusions by reason as a Markdown table, most frequent first; DICOM folders without labels
 * are the last row (`not-in-labels`).
 */
export function reasonTable(summary: CleaningSummary): string {
  const rows: [string, number][] = Object.entries(summary.byReason).sort((a, b) => b[1] - a[1]);
  if (summary.unlabelledFolders > 0) rows.push(["not-in-labels", summary.unlabelledFolders]);
  return ["| reason | exams |", "|---|---:|", ...rows.map(([r, n]) => `| ${r} | ${n} |`)].join(
    "\n",
  );
}
