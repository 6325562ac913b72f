/**
 * The clot masks of a synthetic exam, for checking where a model looks: the generator is
 * deterministic from (dataset seed, exam index), so an exam of a written dataset is generated
 * again in memory with its truth maps, and its clots give a binary mask on the source grid
 * (the DICOM series' voxels: slice 0 = lowest z, rows = y, columns = x). A margin in mm
 * (`dilateMask`) allows for the coarse resolution of the model's attention maps.
 *
 * @example
 * ```ts ignore
 * import { readTruth } from "./truth.ts";
 * import { clotMask, dilateMask, regenerateExam } from "./clot_mask.ts";
 * const truth = await readTruth("data/synthetic/truth.json");
 * const exam = regenerateExam(truth, truth.exams.find((e) => e.label === "positive")!.studyUid);
 * const mask = clotMask(exam); // Uint8Array [slices, rows, cols], 1 inside a clot
 * const margin = dilateMask(mask, [exam.grid.slices, exam.grid.rows, exam.grid.cols],
 *   [exam.grid.dz, exam.grid.px, exam.grid.px], 5);
 * ```
 */
import { generateExam, type PhantomExam } from "./exam.ts";
import { phantomProfile } from "./profile.ts";
import { examPlans } from "./schedule.ts";
import type { TruthFile } from "./truth.ts";

/** A voxel belongs to a clot when the clot fills at least half of it (as for slice labels). */
export const CLOT_MASK_MIN_COVERAGE = 128;

/**
 * Generate exam `studyUid` of the dataset described by `truth` again, with its truth maps.
 * Throws when the study is not in the truth file or the regenerated exam differs from it.
 *
 * @example
 * ```ts ignore
 * import { readTruth } from "./truth.ts";
 * import { regenerateExam } from "./clot_mask.ts";
 * const truth = await readTruth("data/synthetic/truth.json");
 * const exam = regenerateExam(truth, truth.exams[0].studyUid); // exam.clotCoverage is set
 * ```
 */
export function regenerateExam(truth: TruthFile, studyUid: string): PhantomExam {
  const entry = truth.exams.find((e) => e.studyUid === studyUid);
  if (!entry) {
    throw new Error(
      `study ${studyUid} is not in the truth file (seed ${truth.settings.seed}, ` +
        `${truth.settings.exams} exams); fix: give the --data folder the cache was prepared from`,
    );
  }
  const { seed, exams, profile } = truth.settings;
  const plan = examPlans(seed, exams)[entry.index];
  const exam = generateExam(seed, phantomProfile(profile), plan, { keepTruthMaps: true });
  if (exam.truth.studyUid !== studyUid || exam.truth.slices !== entry.slices) {
    throw new Error(
      `study ${studyUid}: regenerating exam ${entry.index} gave another exam (generator version ` +
        `changed?); fix: regenerate the dataset with \`deno task synth\``,
    );
  }
  return exam;
}

/**
 * Binary clot mask [slices, rows, cols] of an exam generated with `keepTruthMaps`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateExam } from "./exam.ts";
 * import { examPlans } from "./schedule.ts";
 * import { phantomProfile } from "./profile.ts";
 * import { clotMask } from "./clot_mask.ts";
 * const exam = generateExam(0, phantomProfile("tiny"), examPlans(0, 10)[0], { keepTruthMaps: true });
 * assert.equal(clotMask(exam).length === exam.grid.voxels, true);
 * ```
 */
export function clotMask(exam: PhantomExam): Uint8Array {
  const coverage = exam.clotCoverage;
  if (!coverage) throw new Error("clotMask: generate the exam with keepTruthMaps: true");
  return coverage.map((v) => (v >= CLOT_MASK_MIN_COVERAGE ? 1 : 0));
}

/**
 * Dilate a binary mask [slices, rows, cols] by a ball of `radiusMm` in patient space
 * (`spacing` [z, y, x] mm): a voxel is set when a mask voxel's centre lies within the radius.
 * Radius 0 returns a copy.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dilateMask } from "./clot_mask.ts";
 * const mask = new Uint8Array(27);
 * mask[13] = 1; // centre of 3 x 3 x 3
 * assert.equal(dilateMask(mask, [3, 3, 3], [2, 1, 1], 1).reduce((a, b) => a + b), 5); // in-plane cross
 * ```
 */
export function dilateMask(
  mask: Uint8Array,
  dims: readonly [number, number, number],
  spacing: readonly [number, number, number],
  radiusMm: number,
): Uint8Array {
  const [slices, rows, cols] = dims;
  if (mask.length !== slices * rows * cols) {
    throw new Error(`dilateMask: ${mask.length} values for ${slices}x${rows}x${cols}`);
  }
  const out = mask.slice();
  if (radiusMm <= 0) return out;
  const [dz, dy, dx] = spacing;
  const reach = [dz, dy, dx].map((s) => Math.floor(radiusMm / s + 1e-9));
  const offsets: [number, number, number][] = [];
  for (let a = -reach[0]; a <= reach[0]; a++) {
    for (let b = -reach[1]; b <= reach[1]; b++) {
      for (let c = -reach[2]; c <= reach[2]; c++) {
        if ((a * dz) ** 2 + (b * dy) ** 2 + (c * dx) ** 2 <= radiusMm ** 2 + 1e-9) {
          offsets.push([a, b, c]);
        }
      }
    }
  }
  for (let k = 0, v = 0; k < slices; k++) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++, v++) {
        if (!mask[v]) continue;
        for (const [a, b, e] of offsets) {
          const kk = k + a, rr = r + b, cc = c + e;
          if (kk < 0 || kk >= slices || rr < 0 || rr >= rows || cc < 0 || cc >= cols) continue;
          out[(kk * rows + rr) * cols + cc] = 1;
        }
      }
    }
  }
  return out;
}
