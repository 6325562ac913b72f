/**
 * The same study run with several seeds (data, label allocation and training all follow the
 * seed): every seed's AUC per fraction, the spread between seeds, and each seed's verdict on the
 * paper's checks. A result counts only when it holds on every seed, so the report lists them all
 * (never the best one).
 *
 * @example
 * ```ts ignore
 * import { readSeedEvaluation, writeSeedSpread } from "./seed_spread.ts";
 * const runs = [await readSeedEvaluation("runs/demo"), await readSeedEvaluation("runs/demo-1")];
 * await writeSeedSpread(runs, "figures/seeds", "deno task seeds --runs runs/demo,runs/demo-1");
 * ```
 */
import { join } from "node:path";
import { z } from "zod";
import { readJson, writeTextAtomic } from "../io/mod.ts";
import { type MetricsFile, metricsFileSchema, type PairwiseDelong } from "./evaluation.ts";
import { exportFigures, type PlotlyFigure } from "./export.ts";
import { fractionPanels } from "./figures.ts";
import { demoChecks, pairwiseFileSchema } from "./study_report.ts";
import { FIGURE_STYLE, formatFraction } from "./style.ts";

/** One seed's evaluation. */
export interface SeedEvaluation {
  seed: number;
  metrics: MetricsFile;
  pairwise: readonly PairwiseDelong[];
}

const SUBSETS = ["all", "central", "peripheral"] as const;

/** The part of a demo run's `demo-summary.json` that names its seed and kernel path. */
const demoSummarySchema = z.object({
  settings: z.object({ seed: z.number().int().min(0) }),
});

/**
 * A demo run's seed (from `<runs>/demo-summary.json`) and its evaluation
 * (`<runs>/evaluation/metrics.json` and `pairwise.json`), validated; errors name the file.
 *
 * @example
 * ```ts ignore
 * const run = await readSeedEvaluation("runs/demo"); // { seed: 0, metrics, pairwise }
 * ```
 */
export async function readSeedEvaluation(runs: string): Promise<SeedEvaluation> {
  const fix = `give the runs folder of a finished demo (${runs} is not one)`;
  const read = <S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S>> =>
    readJson(path, schema, fix).catch((error) => {
      if (error instanceof Deno.errors.NotFound) {
        throw new Error(`${path} not found: is ${runs} the runs folder of a finished demo?`);
      }
      throw error;
    });
  const summary = await read(join(runs, "demo-summary.json"), demoSummarySchema);
  return {
    seed: summary.settings.seed,
    metrics: await read(join(runs, "evaluation", "metrics.json"), metricsFileSchema),
    pairwise: await read(join(runs, "evaluation", "pairwise.json"), pairwiseFileSchema),
  };
}

/**
 * Write `seeds.md` (every seed's AUCs and checks) and `auc_by_fraction_seeds.{html,png,svg}` into
 * `dir`; returns why the static images are missing, or null.
 *
 * @example
 * ```ts
 * // await writeSeedSpread(runs, "figures/seeds", "deno task demo --seeds 0,1,2");
 * ```
 */
export async function writeSeedSpread(
  runs: readonly SeedEvaluation[],
  dir: string,
  command: string,
): Promise<string | null> {
  if (runs.length === 0) throw new Error("no runs to compare: give at least one demo run");
  await writeTextAtomic(
    join(dir, "seeds.md"),
    `# The demo on ${runs.length} seed(s)\n\nCommand: ${command}\n\n${seedSpreadMarkdown(runs)}`,
  );
  const exported = await exportFigures(
    [{ name: "auc_by_fraction_seeds", figure: seedSpreadFigure(runs) }],
    dir,
    { formats: ["png", "svg"] },
  );
  return exported.staticError;
}

/** The AUC of each seed at `fraction` on `split` / `subset` (seeds without the row are left out). */
function aucs(runs: readonly SeedEvaluation[], split: string, subset: string, fraction: number) {
  return runs.flatMap((run) => {
    const row = run.metrics.rows.find((r) =>
      r.split === split && r.subset === subset && r.fraction === fraction
    );
    return row
      ? [{ seed: run.seed, auc: row.auc, low: row.auc_ci_low, high: row.auc_ci_high }]
      : [];
  });
}

/** Fractions evaluated by any seed, ascending. */
function fractionsOf(runs: readonly SeedEvaluation[]): number[] {
  return [...new Set(runs.flatMap((r) => r.metrics.rows.map((row) => row.fraction)))]
    .sort((a, b) => a - b);
}

/**
 * A markdown report: per subset of `split`, a table of every seed's AUC (95 % DeLong CI) per
 * fraction with the mean and range over seeds, then each seed's verdict on the report's checks.
 *
 * @example
 * ```ts
 * // seedSpreadMarkdown(runs, "private").startsWith("## Private") === true
 * ```
 */
export function seedSpreadMarkdown(runs: readonly SeedEvaluation[], split = "private"): string {
  const seeds = runs.map((r) => r.seed);
  const fractions = fractionsOf(runs);
  const lines: string[] = [];
  const f3 = (x: number | null) => (x === null ? "n/a" : x.toFixed(3));
  for (const subset of SUBSETS) {
    lines.push(`## ${split} split, ${subset === "all" ? "all exams" : `${subset} PE`}: AUC`, "");
    lines.push(`| fraction | ${seeds.map((s) => `seed ${s}`).join(" | ")} | mean | range |`);
    lines.push(`|---|${seeds.map(() => "---").join("|")}|---|---|`);
    for (const fraction of fractions) {
      const per = aucs(runs, split, subset, fraction);
      if (per.length === 0) continue;
      const cells = seeds.map((seed) => {
        const value = per.find((p) => p.seed === seed);
        return value ? `${f3(value.auc)} (${f3(value.low)}-${f3(value.high)})` : "not run";
      });
      const values = per.map((p) => p.auc);
      const mean = values.reduce((s, x) => s + x, 0) / values.length;
      lines.push(
        `| ${formatFraction(fraction)} | ${cells.join(" | ")} | ${mean.toFixed(3)} | ` +
          `${Math.min(...values).toFixed(3)}-${Math.max(...values).toFixed(3)} |`,
      );
    }
    lines.push("");
  }
  lines.push("## Checks of the paper's effect, per seed", "");
  lines.push(`| check | ${seeds.map((s) => `seed ${s}`).join(" | ")} |`);
  lines.push(`|---|${seeds.map(() => "---").join("|")}|`);
  const verdicts = runs.map((run) => demoChecks(run.metrics, run.pairwise, split));
  for (const [k, check] of verdicts[0].entries()) {
    const cells = verdicts.map((checks) => {
      const c = checks[k];
      const verdict = c.pass === null ? "not evaluable" : c.pass ? "pass" : "**FAIL**";
      return `${verdict}: ${c.observed}`;
    });
    lines.push(`| ${check.claim} | ${cells.join(" | ")} |`);
  }
  const all = verdicts.every((checks) => checks.every((c) => c.pass === true));
  lines.push(
    "",
    all ? "Every check passes on every seed." : "Not every check passes on every seed.",
  );
  return lines.join("\n") + "\n";
}

/**
 * AUC against the slice-label fraction on `split` (one panel per subset): every seed's curve as a
 * thin line, the range between the seeds as a band, and the mean over seeds.
 *
 * @example
 * ```ts
 * // seedSpreadFigure(runs).data.length === 3 * (runs.length + 2)
 * ```
 */
export function seedSpreadFigure(runs: readonly SeedEvaluation[], split = "private"): PlotlyFigure {
  const fractions = fractionsOf(runs);
  const panels = SUBSETS.filter((subset) =>
    runs.some((r) => r.metrics.rows.some((row) => row.split === split && row.subset === subset))
  ).map((subset) => ({ split, subset }));
  const lowest = Math.min(
    ...panels.flatMap((p) => fractions.flatMap((f) => aucs(runs, split, p.subset, f)))
      .map((a) => a.auc),
  );
  const { data, layout, axes } = fractionPanels(
    `AUC by slice-label fraction over ${runs.length} seed(s) (${split} split)`,
    panels,
    lowest,
  );
  panels.forEach((panel, k) => {
    const axis = { xaxis: `x${axes[k].suffix}`, yaxis: `y${axes[k].suffix}` };
    const per = fractions.map((f) => aucs(runs, split, panel.subset, f)).filter((a) => a.length);
    const xs = fractions.filter((f) => aucs(runs, split, panel.subset, f).length > 0);
    const low = per.map((a) => Math.min(...a.map((v) => v.auc)));
    const high = per.map((a) => Math.max(...a.map((v) => v.auc)));
    data.push({
      type: "scatter",
      mode: "lines",
      name: "range over seeds",
      legendgroup: "range",
      showlegend: k === 0,
      x: [...xs, ...[...xs].reverse()],
      y: [...high, ...[...low].reverse()],
      fill: "toself",
      fillcolor: FIGURE_STYLE.band,
      line: { width: 0 },
      hoverinfo: "skip",
      ...axis,
    });
    for (const run of runs) {
      const points = xs.map((f) => aucs([run], split, panel.subset, f)[0]);
      data.push({
        type: "scatter",
        mode: "lines+markers",
        name: `seed ${run.seed}`,
        legendgroup: `seed-${run.seed}`,
        showlegend: k === 0,
        x: xs,
        y: points.map((p) => p?.auc ?? null),
        line: { color: FIGURE_STYLE.line, width: 1, dash: "dot" },
        marker: { color: FIGURE_STYLE.line, size: 4 },
        opacity: 0.6,
        hovertemplate: `seed ${run.seed}: %{x} %: AUC %{y:.3f}<extra></extra>`,
        ...axis,
      });
    }
    data.push({
      type: "scatter",
      mode: "lines+markers",
      name: "mean over seeds",
      legendgroup: "mean",
      showlegend: k === 0,
      x: xs,
      y: per.map((a) => a.reduce((s, v) => s + v.auc, 0) / a.length),
      line: { color: FIGURE_STYLE.line, width: 2.5 },
      marker: { color: FIGURE_STYLE.line, size: 7 },
      hovertemplate: "%{x} %: mean AUC %{y:.3f}<extra></extra>",
      ...axis,
    });
  });
  // one row of panels: the legend below them, clear of the panel titles
  layout.legend = { orientation: "h", x: 0.5, xanchor: "center", y: -0.22, yanchor: "top" };
  layout.margin = { ...(layout.margin as Record<string, number>), b: 150 };
  layout.height = (layout.height as number) + 60;
  return { data, layout };
}
