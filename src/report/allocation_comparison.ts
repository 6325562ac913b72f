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
import { delongAuc, delongPairedTest } from "../stats/mod.ts";
import { pick, type Subset, subsetIndices, SUBSETS } from "./evaluation.ts";
import { averageFolds, type SplitScores } from "./fold_average.ts";
import { type PredictionsTable, type Split } from "./predictions.ts";

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
