/**
 * The label-allocation experiment's numbers: for every seed, budget and strategy, the AUC on one
 * test split (all exams, central PE against negatives, peripheral PE against negatives) with its
 * DeLong CI, and the paired DeLong test against `even` at the same budget and seed (the same
 * exams scored by both models).
 *
 * @example
 * ```ts
 * import { compareAllocations } from "./allocation_comparison.ts";
 * // const rows = compareAllocations([{ seed: 0, strategy: "even", table }, ...], [2.5, 10]);
 * // rows[0] -> { seed: 0, budget: 2.5, strategy: "even", subset: "all", auc: 0.86, ... }
 * ```
 *
 * @module
 */
import { join } from "node:path";
import { z } from "zod";
import { formatCsv, readJson, writeJsonAtomic, writeTextAtomic } from "../io/mod.ts";
import { delongAuc, delongPairedTest } from "../stats/mod.ts";
import { exportFigures, type PlotlyFigure } from "./export.ts";
import { formatP } from "./tables.ts";
import { fractionPanels } from "./figures.ts";
import { categoryColour, FIGURE_STYLE } from "./style.ts";
import { pick, type Subset, subsetIndices, SUBSETS } from "./evaluation.ts";
import { averageFolds, type SplitScores } from "../predict/mod.ts";
import {
  type ExamSource,
  labelSpending,
  type PredictionsTable,
  readPredictions,
  type Split,
  type StrategySweep,
  trainConfigSchema,
} from "../train/mod.ts";

/** One strategy's predictions for one seed (its sweep's merged predictions table). */
export interface StrategyPredictions {
  seed: number;
  strategy: string;
  table: PredictionsTable;
}

/** One row of the comparison. */
export interface AllocationComparisonRow {
  seed: number;
  /** The budget, as the even rule's fraction (percent). */
  budget: number;
  strategy: string;
  subset: Subset;
  exams: number;
  positives: number;
  auc: number;
  low: number;
  high: number;
  /** AUC minus even's at the same budget and seed (0 for even itself). */
  differenceFromEven: number;
  /** Paired DeLong p against even (1 for even itself). */
  pAgainstEven: number;
}

function splitOf(table: PredictionsTable, split: Split, what: string): SplitScores {
  const found = averageFolds(table).find((scores) => scores.split === split);
  if (found === undefined) {
    throw new Error(`${table.file}: no ${split} predictions for ${what}; fix: finish its runs`);
  }
  return found;
}

function scoresAt(scores: SplitScores, budget: number, file: string): Float64Array {
  const values = scores.scores.get(budget);
  if (values === undefined) {
    throw new Error(`${file}: no predictions at ${budget} % on ${scores.split}; fix: run it`);
  }
  return values;
}

/**
 * The comparison rows for `budgets` on `split` (default private). Every strategy's table must
 * score the same exams as `even`'s of the same seed.
 *
 * @example
 * ```ts
 * import { compareAllocations } from "./allocation_comparison.ts";
 * // compareAllocations(strategies, [2.5, 10]).filter((r) => r.subset === "peripheral")
 * ```
 */
export function compareAllocations(
  strategies: readonly StrategyPredictions[],
  budgets: readonly number[],
  split: Split = "private",
): AllocationComparisonRow[] {
  const rows: AllocationComparisonRow[] = [];
  const seeds = [...new Set(strategies.map((s) => s.seed))].sort((a, b) => a - b);
  for (const seed of seeds) {
    const even = strategies.find((s) => s.seed === seed && s.strategy === "even");
    if (even === undefined) {
      throw new Error(`seed ${seed}: no even runs to compare with; fix: run --strategies even`);
    }
    const reference = splitOf(even.table, split, `even, seed ${seed}`);
    for (const entry of strategies.filter((s) => s.seed === seed)) {
      const scores = splitOf(entry.table, split, `${entry.strategy}, seed ${seed}`);
      if (scores.examIds.join("\n") !== reference.examIds.join("\n")) {
        throw new Error(
          `${entry.table.file}: ${split} exams differ from ${even.table.file}'s; fix: train every ` +
            "strategy on the same cache",
        );
      }
      for (const budget of budgets) {
        const own = scoresAt(scores, budget, entry.table.file);
        const base = scoresAt(reference, budget, even.table.file);
        for (const subset of SUBSETS) {
          const indices = subsetIndices(scores, subset);
          if (typeof indices === "string") continue; // no such subset on this split
          const labels = pick(scores.labels, indices);
          const { auc, low, high } = delongAuc(pick(own, indices), labels);
          const test = entry.strategy === "even"
            ? { difference: 0, p: 1 }
            : delongPairedTest(pick(own, indices), pick(base, indices), labels);
          rows.push({
            seed,
            budget,
            strategy: entry.strategy,
            subset,
            exams: indices.length,
            positives: labels.reduce((a, b) => a + b, 0),
            auc,
            low,
            high,
            differenceFromEven: test.difference,
            pAgainstEven: test.p,
          });
        }
      }
    }
  }
  return rows;
}

/** Where a strategy's budget went: labelled slices per training exam by group, one seed. */
export interface AllocationSpending {
  seed: number;
  budget: number;
  strategy: string;
  /** Labelled slices per training exam over all of them. */
  perExam: number;
  bySubtype: { group: string; meanLabelled: number }[];
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function format(value: number, digits = 3): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "n/a";
}

/**
 * The experiment's report: AUC per budget and strategy (mean over seeds, with the range when
 * there are several), the difference from even with its paired p (every seed), and where each
 * strategy spent the budget.
 *
 * @example
 * ```ts
 * import { allocationMarkdown } from "./allocation_comparison.ts";
 * // await Deno.writeTextFile("runs/allocation/allocation.md", allocationMarkdown(rows, spending));
 * ```
 */
export function allocationMarkdown(
  rows: readonly AllocationComparisonRow[],
  spending: readonly AllocationSpending[],
  split = "private",
): string {
  const seeds = [...new Set(rows.map((r) => r.seed))];
  const budgets = [...new Set(rows.map((r) => r.budget))].sort((a, b) => a - b);
  const strategies = [...new Set(rows.map((r) => r.strategy))];
  const cell = (budget: number, strategy: string, subset: Subset) => {
    const found = rows.filter((r) =>
      r.budget === budget && r.strategy === strategy && r.subset === subset
    );
    if (found.length === 0) return "";
    const aucs = found.map((r) => r.auc);
    const range = found.length > 1
      ? ` [${format(Math.min(...aucs))}-${format(Math.max(...aucs))}]`
      : ` (${format(found[0].low)}-${format(found[0].high)})`;
    return `${format(mean(aucs))}${range}`;
  };
  const versus = (budget: number, strategy: string, subset: Subset) =>
    rows.filter((r) => r.budget === budget && r.strategy === strategy && r.subset === subset)
      .map((r) =>
        `${r.differenceFromEven >= 0 ? "+" : ""}${format(r.differenceFromEven)} (p ${
          formatP(r.pAgainstEven)
        })`
      )
      .join("; ");
  const lines = [
    "# Label allocation at an equal budget",
    "",
    `Test split: ${split}. Seeds: ${
      seeds.join(", ")
    }. Budgets: the even rule's labelled slices at ` +
    `${budgets.join(" % and ")} %. AUC with its DeLong 95 % CI (one seed) or the range over ` +
    "seeds; the difference from even at the same budget and seed with the paired DeLong p, every seed.",
    "",
    "| budget | strategy | AUC all | AUC central | AUC peripheral | vs even: all | vs even: peripheral |",
    "| ---: | --- | --- | --- | --- | --- | --- |",
  ];
  for (const budget of budgets) {
    for (const strategy of strategies) {
      const isEven = strategy === "even";
      lines.push(
        `| ${budget} % | ${strategy} | ${cell(budget, strategy, "all")} | ` +
          `${cell(budget, strategy, "central")} | ${cell(budget, strategy, "peripheral")} | ` +
          `${isEven ? "" : versus(budget, strategy, "all")} | ` +
          `${isEven ? "" : versus(budget, strategy, "peripheral")} |`,
      );
    }
  }
  const better = rows.filter((r) => r.strategy !== "even" && r.pAgainstEven < 0.05);
  lines.push(
    "",
    better.length === 0
      ? "No strategy differs from even at p < 0.05 in any subset, budget or seed."
      : `At p < 0.05: ${
        better.map((r) =>
          `${r.strategy} ${r.differenceFromEven > 0 ? "above" : "below"} even (${r.subset}, ` +
          `${r.budget} %, seed ${r.seed}, ${r.differenceFromEven >= 0 ? "+" : ""}${
            format(r.differenceFromEven)
          })`
        ).join("; ")
      }.`,
    "",
    "## Where the budget went (labelled slices per training exam)",
    "",
    "| seed | budget | strategy | all exams | negative | central | peripheral |",
    "| ---: | ---: | --- | ---: | ---: | ---: | ---: |",
  );
  for (const entry of spending) {
    const group = (name: string) =>
      format(entry.bySubtype.find((g) => g.group === name)?.meanLabelled ?? NaN, 2);
    lines.push(
      `| ${entry.seed} | ${entry.budget} % | ${entry.strategy} | ${format(entry.perExam, 2)} | ` +
        `${group("negative")} | ${group("central")} | ${group("peripheral")} |`,
    );
  }
  return lines.join("\n") + "\n";
}

/**
 * AUC against the labelled slices per training exam, one panel per subset, one line per
 * strategy (the mean over seeds, error bars to the lowest and highest seed). The strategies sit
 * side by side around each budget's tick, which marks the true slices per exam.
 *
 * @example
 * ```ts
 * import { allocationFigure } from "./allocation_comparison.ts";
 * // allocationFigure(rows, spending).data.length === 3 * strategies
 * ```
 */
export function allocationFigure(
  rows: readonly AllocationComparisonRow[],
  spending: readonly AllocationSpending[],
  split = "private",
): PlotlyFigure {
  const subsets = SUBSETS.filter((subset) => rows.some((r) => r.subset === subset));
  const strategies = [...new Set(rows.map((r) => r.strategy))];
  const budgets = [...new Set(rows.map((r) => r.budget))].sort((a, b) => a - b);
  // the budget per exam: every strategy spends it but adaptive-2-window, which labels fewer
  const perExam = (budget: number) =>
    Math.max(...spending.filter((s) => s.budget === budget).map((s) => s.perExam));
  const { data, layout, axes } = fractionPanels(
    `AUC by label allocation at equal budgets (${split} split)`,
    subsets.map((subset) => ({ split, subset })),
    Math.min(...rows.map((r) => r.auc)),
  );
  // Five strategies' names do not fit beside the panel titles: the legend goes below the panels.
  layout.legend = {
    orientation: "h",
    x: 0.5,
    xanchor: "center",
    yref: "container",
    y: 0,
    yanchor: "bottom",
  };
  layout.margin = { ...FIGURE_STYLE.margin, b: FIGURE_STYLE.margin.b + 40 };
  layout.height = (layout.height as number) + 40;
  const xs = budgets.map(perExam);
  // The axis pads both sides, so one budget sits in the middle. Within the padding the
  // strategies are spread apart, so that their error bars at one budget do not hide each other.
  const pad = 0.15 * Math.max(...xs, 1);
  const spread = strategies.length > 1 ? (1.2 * pad) / (strategies.length - 1) : 0;
  const dodge = (s: number) => (s - (strategies.length - 1) / 2) * spread;
  axes.forEach(({ suffix }) => {
    layout[`xaxis${suffix}`] = {
      ...(layout[`xaxis${suffix}`] as Record<string, unknown>),
      title: { text: "Labelled slices per training exam" },
      range: [Math.min(...xs) - pad, Math.max(...xs) + pad],
      tickvals: xs,
      ticktext: budgets.map((b, i) => `${format(xs[i], 1)} (${b} %)`),
    };
  });
  subsets.forEach((subset, k) => {
    const axis = { xaxis: `x${axes[k].suffix}`, yaxis: `y${axes[k].suffix}` };
    strategies.forEach((strategy, s) => {
      const per = budgets.map((budget) =>
        rows.filter((r) => r.budget === budget && r.strategy === strategy && r.subset === subset)
          .map((r) => r.auc)
      );
      const centre = per.map((aucs) => (aucs.length ? mean(aucs) : null));
      data.push({
        type: "scatter",
        mode: "lines+markers",
        name: strategy,
        legendgroup: strategy,
        showlegend: k === 0,
        x: xs.map((x) => x + dodge(s)),
        y: centre,
        error_y: {
          type: "data",
          symmetric: false,
          array: per.map((aucs, i) => (aucs.length ? Math.max(...aucs) - centre[i]! : 0)),
          arrayminus: per.map((aucs, i) => (aucs.length ? centre[i]! - Math.min(...aucs) : 0)),
          thickness: 1,
        },
        line: { color: categoryColour(s), width: strategy === "even" ? 3 : 2 },
        marker: { color: categoryColour(s), size: 7 },
        hovertemplate: `${strategy}: %{y:.3f}<extra></extra>`,
        ...axis,
      });
    });
  });
  return { data, layout };
}

/**
 * Writes the experiment's results to `dir`: `allocation.csv` (every row), `allocation.json`
 * (rows and spending, for {@link readAllocationReport}), `allocation.md` (the report, with the
 * command that made it) and the figure `auc_by_allocation` (HTML, and PNG/SVG where they can be
 * rendered). Returns why PNG/SVG were not written, or null.
 *
 * @example
 * ```ts ignore
 * await writeAllocationReport(rows, spending, "runs/allocation", "deno task allocate-experiment");
 * ```
 */
export async function writeAllocationReport(
  rows: readonly AllocationComparisonRow[],
  spending: readonly AllocationSpending[],
  dir: string,
  command: string,
  split = "private",
): Promise<string | null> {
  const columns = [
    "seed",
    "budget",
    "strategy",
    "subset",
    "exams",
    "positives",
    "auc",
    "low",
    "high",
    "differenceFromEven",
    "pAgainstEven",
  ] as const;
  await writeTextAtomic(
    join(dir, "allocation.csv"),
    formatCsv(columns, rows.map((row) => columns.map((column) => row[column]))),
  );
  await writeJsonAtomic(join(dir, "allocation.json"), { split, command, rows, spending });
  await writeTextAtomic(
    join(dir, "allocation.md"),
    `${allocationMarkdown(rows, spending, split)}\nCommand: \`${command}\`\n`,
  );
  const exported = await exportFigures(
    [{ name: "auc_by_allocation", figure: allocationFigure(rows, spending, split) }],
    dir,
    { formats: ["png", "svg"] },
  );
  return exported.staticError;
}

/** `allocation.json`: what {@link writeAllocationReport} wrote. */
export const allocationReportSchema = z.object({
  split: z.string(),
  command: z.string(),
  rows: z.array(z.object({
    seed: z.number().int(),
    budget: z.number(),
    strategy: z.string(),
    subset: z.enum(SUBSETS),
    exams: z.number().int(),
    positives: z.number().int(),
    auc: z.number(),
    low: z.number(),
    high: z.number(),
    differenceFromEven: z.number(),
    pAgainstEven: z.number(),
  })),
  spending: z.array(z.object({
    seed: z.number().int(),
    budget: z.number(),
    strategy: z.string(),
    perExam: z.number(),
    bySubtype: z.array(z.object({ group: z.string(), meanLabelled: z.number() }).passthrough()),
  })),
});

/**
 * Reads `dir/allocation.json` (validated; a bad field is named with the fix).
 *
 * @example
 * ```ts ignore
 * const { rows, spending } = await readAllocationReport("runs/allocation");
 * ```
 */
export function readAllocationReport(dir: string): Promise<z.infer<typeof allocationReportSchema>> {
  return readJson(
    join(dir, "allocation.json"),
    allocationReportSchema,
    "rerun deno task allocate-experiment",
  );
}

/**
 * The experiment's rows and spending from its sweeps: every strategy compared with `even` at
 * each budget on `split`, and the labelled slices per training exam of each run.
 *
 * @example
 * ```ts ignore
 * const sweeps = await runAllocationExperiment(options);
 * const { rows, spending } = await summariseAllocationExperiment(sweeps, source, [2.5, 10]);
 * ```
 */
export async function summariseAllocationExperiment(
  sweeps: readonly StrategySweep[],
  source: ExamSource,
  budgets: readonly number[],
  split: Split = "private",
): Promise<{ rows: AllocationComparisonRow[]; spending: AllocationSpending[] }> {
  const spending: AllocationSpending[] = [];
  for (const sweep of sweeps) {
    for (const run of sweep.runs.filter((r) => budgets.includes(r.fractionPercent))) {
      const bySubtype = await labelSpending(
        trainConfigSchema.parse(run.result.state.config),
        source,
      );
      const exams = bySubtype.reduce((n, g) => n + g.exams, 0);
      const labelled = bySubtype.reduce((n, g) => n + g.meanLabelled * g.exams, 0);
      spending.push({
        seed: sweep.seed,
        budget: run.fractionPercent,
        strategy: sweep.strategy,
        perExam: labelled / exams,
        bySubtype,
      });
    }
  }
  const rows = compareAllocations(
    sweeps.map((sweep) => ({
      seed: sweep.seed,
      strategy: sweep.strategy,
      table: readPredictions(join(sweep.outDir, "predictions.csv")),
    })),
    budgets,
    split,
  );
  return { rows, spending };
}
