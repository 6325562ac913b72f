/** Metrics files for the report tests: rows with a given AUC, the paper's shape, p-values. */
import type { MetricsFile, MetricsRow, PairwiseDelong } from "../../src/report/evaluation.ts";

/** A metrics row with the given AUC; the other fields do not enter the checks. */
export function row(subset: MetricsRow["subset"], fraction: number, auc: number): MetricsRow {
  return {
    split: "private",
    subset,
    fraction,
    n: 100,
    n_pos: 30,
    auc,
    auc_ci_low: auc - 0.05,
    auc_ci_high: Math.min(1, auc + 0.05),
    auc_var: 0.0006,
    threshold: 0.5,
    tp: 20,
    fp: 10,
    tn: 60,
    fn: 10,
    accuracy: 0.8,
    accuracy_ci_low: 0.71,
    accuracy_ci_high: 0.87,
    sensitivity: 0.67,
    sensitivity_ci_low: 0.49,
    sensitivity_ci_high: 0.81,
    specificity: 0.86,
    specificity_ci_low: 0.76,
    specificity_ci_high: 0.92,
    ppv: 0.67,
    ppv_ci_low: 0.49,
    ppv_ci_high: 0.81,
    npv: 0.86,
    npv_ci_low: 0.76,
    npv_ci_high: 0.92,
    p_vs_reference: null,
    p_vs_reference_holm: null,
  };
}

/** The paper's shape: every check passes. */
export function paperLike(): MetricsFile {
  const rows: MetricsRow[] = [];
  const all = { 0: 0.68, 2.5: 0.86, 27.5: 0.92, 100: 0.93 };
  const central = { 0: 0.82, 2.5: 0.97, 27.5: 0.98, 100: 0.99 };
  const peripheral = { 0: 0.65, 2.5: 0.83, 27.5: 0.91, 100: 0.92 };
  for (const [subset, values] of Object.entries({ all, central, peripheral })) {
    for (const [fraction, auc] of Object.entries(values)) {
      rows.push(row(subset as MetricsRow["subset"], Number(fraction), auc));
    }
  }
  return { threshold_split: "public", reference_fraction: 100, ci_method: "wilson", rows };
}

/** Paired p-values between 0, 2.5, 27.5 and 100 %: 0.5 everywhere but 0 vs 2.5 %. */
export function pairwise(p0vs25: number | null): PairwiseDelong[] {
  const fractions = [0, 2.5, 27.5, 100];
  const p = fractions.map(() => fractions.map(() => 0.5 as number | null));
  p[0][1] = p[1][0] = p0vs25;
  for (let i = 0; i < 4; i++) p[i][i] = null;
  return [{ split: "private", subset: "all", fractions, p }];
}
