/**
 * The explainability check's numbers per label fraction: one point per detected positive exam
 * (its share of attention inside the dilated clot mask, or on the slices the mask reaches, and
 * what a uniform map would score), and their summary per fraction (mean with a 95 % CI, median,
 * chance level, lift over chance). Plain numbers; the figure and table are in
 * src/report/explain_figures.ts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { summariseMass } from "./mass_summary.ts";
 * const [zero] = summariseMass([
 *   { fraction: 0, examId: "a", subtype: "central", massInside: 0.4, chance: 0.1 },
 *   { fraction: 0, examId: "b", subtype: "peripheral", massInside: 0.2, chance: 0.1 },
 * ]);
 * assert.equal(zero.exams, 2);
 * assert.ok(Math.abs(zero.mean! - 0.3) < 1e-12 && Math.abs(zero.lift! - 3) < 1e-12);
 * ```
 */
import type { ExplainedExam } from "./phantom_truth.ts";

/**
 * Which share a set of points holds: of the voxels (`voxel`: attention on the clot's voxels) or
 * of the slices (`slice`: attention on the slices the clot reaches).
 */
export type MassLevel = "voxel" | "slice";

/** The check's numbers for one exam of one label fraction. */
export interface MassPoint {
  fraction: number;
  examId: string;
  subtype: "central" | "peripheral" | null;
  /** Share of attention inside the dilated clot mask (null: the map had no mass). */
  massInside: number | null;
  /** The mask's share of the voxels the model saw (a uniform map's score). */
  chance: number;
}

/** Summary of one label fraction. */
export interface MassSummary {
  fraction: number;
  /** Exams with a map (massInside not null). */
  exams: number;
  mean: number | null;
  /** Normal-approximation 95 % CI of the mean (null with fewer than 2 exams). */
  low: number | null;
  high: number | null;
  median: number | null;
  /** Mean chance level (uniform map). */
  chance: number | null;
  /** Mean of each exam's share over its chance level (1 = no better than a uniform map). */
  lift: number | null;
  /** Exams whose share beats their chance level. */
  aboveChance: number;
}

/**
 * Per label fraction: the exams' share of attention inside the clot mask (mean, normal 95 %
 * CI, median), the mean chance level and how many exams beat their own chance level.
 *
 * @example
 * ```ts
 * import { summariseMass } from "./mass_summary.ts";
 * summariseMass([{ fraction: 0, examId: "a", subtype: "central", massInside: 0.4, chance: 0.1 }]);
 * // [{ fraction: 0, exams: 1, mean: 0.4, low: null, ..., lift: 4, aboveChance: 1 }]
 * ```
 */
export function summariseMass(points: readonly MassPoint[]): MassSummary[] {
  const fractions = [...new Set(points.map((p) => p.fraction))].sort((a, b) => a - b);
  return fractions.map((fraction) => {
    const rows = points.filter((p) => p.fraction === fraction && p.massInside !== null);
    const values = rows.map((p) => p.massInside as number);
    const n = values.length;
    const mean = n > 0 ? values.reduce((a, b) => a + b, 0) / n : null;
    let low: number | null = null, high: number | null = null;
    if (mean !== null && n >= 2) {
      const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
      const half = 1.959963984540054 * sd / Math.sqrt(n);
      [low, high] = [Math.max(0, mean - half), Math.min(1, mean + half)];
    }
    const sorted = [...values].sort((a, b) => a - b);
    const median = n === 0
      ? null
      : n % 2 === 1
      ? sorted[(n - 1) / 2]
      : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    const chance = n > 0 ? rows.reduce((a, p) => a + p.chance, 0) / n : null;
    const aboveChance = rows.filter((p) => (p.massInside as number) > p.chance).length;
    const ratios = rows.filter((p) => p.chance > 0).map((p) => (p.massInside as number) / p.chance);
    const lift = ratios.length > 0 ? ratios.reduce((a, b) => a + b, 0) / ratios.length : null;
    return { fraction, exams: n, mean, low, high, median, chance, lift, aboveChance };
  });
}

/**
 * The points of one label fraction's detected exams at `level`: the voxel-level share
 * (`massInside`, `chance`) or the slice-level one (`sliceMassInside`, `sliceChance`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { ExplainedExam } from "./phantom_truth.ts";
 * import { massPoints } from "./mass_summary.ts";
 * const exam = { examId: "a", subtype: "central", detected: true, massInside: 0.4, chance: 0.1,
 *   sliceMassInside: 0.8, sliceChance: 0.2 } as ExplainedExam;
 * assert.deepEqual(massPoints(27.5, [exam], "slice"), [
 *   { fraction: 27.5, examId: "a", subtype: "central", massInside: 0.8, chance: 0.2 },
 * ]);
 * ```
 */
export function massPoints(
  fraction: number,
  exams: readonly ExplainedExam[],
  level: MassLevel,
): MassPoint[] {
  return exams.filter((e) => e.detected).map((e) => ({
    fraction,
    examId: e.examId,
    subtype: e.subtype,
    massInside: level === "voxel" ? e.massInside : e.sliceMassInside,
    chance: level === "voxel" ? e.chance : e.sliceChance,
  }));
}
