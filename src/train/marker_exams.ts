/**
 * A pipeline check dataset: small exams of noise where each positive exam carries a bright
 * square on a run of slices (those slices are labelled positive). A working training pipeline
 * learns it within a few epochs; a broken one (labels shuffled, gradients lost) does not.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { markerExams } from "./marker_exams.ts";
 * const exams = markerExams({ trainPerFold: 4, folds: 2, testPerSplit: 2, dims: [8, 16, 16], seed: 1 });
 * assert.equal(exams.length, 14); // 2 x 4 + 3 x 2
 * ```
 */
import { mixSeed, Rng } from "../util/random.ts";
import type { PreparedExam } from "../preprocess/prepared_exam.ts";

/** Size of the marker dataset. */
export interface MarkerExamOptions {
  /** Training exams per fold (half positive). */
  trainPerFold: number;
  folds: number;
  /** Exams in each of the public, private and external splits (half positive). */
  testPerSplit: number;
  /** [D, H, W] of every exam. */
  dims: [number, number, number];
  seed: number;
}

/** Build the marker exams (ids `marker-<split>-<n>`). */
export function markerExams(options: MarkerExamOptions): PreparedExam[] {
  const exams: PreparedExam[] = [];
  const make = (split: PreparedExam["split"], fold: number | null, n: number) => {
    const rng = new Rng(mixSeed(options.seed, exams.length));
    exams.push(
      markerExam(`marker-${split}-${n}`, split, fold, n % 2 === 0 ? 1 : 0, options.dims, rng),
    );
  };
  let n = 0;
  for (let fold = 0; fold < options.folds; fold++) {
    for (let i = 0; i < options.trainPerFold; i++) make("train", fold, n++);
  }
  for (const split of ["public", "private", "external"] as const) {
    for (let i = 0; i < options.testPerSplit; i++) make(split, null, n++);
  }
  return exams;
}

function markerExam(
  examId: string,
  split: PreparedExam["split"],
  fold: number | null,
  examLabel: 0 | 1,
  dims: [number, number, number],
  rng: Rng,
): PreparedExam {
  const [depth, height, width] = dims;
  const voxels = new Uint8Array(depth * height * width);
  for (let i = 0; i < voxels.length; i++) voxels[i] = rng.int(120);
  const sliceLabels = new Uint8Array(depth);
  if (examLabel === 1) {
    const run = Math.max(1, Math.floor(depth / 3));
    const z0 = rng.int(depth - run + 1);
    const side = Math.max(2, Math.floor(height / 4));
    const y0 = rng.int(height - side + 1);
    const x0 = rng.int(width - side + 1);
    for (let z = z0; z < z0 + run; z++) {
      sliceLabels[z] = 1;
      for (let y = y0; y < y0 + side; y++) {
        voxels.fill(255, (z * height + y) * width + x0, (z * height + y) * width + x0 + side);
      }
    }
  }
  return {
    examId,
    seriesId: `${examId}.1`,
    split,
    fold,
    examLabel,
    subtype: examLabel === 1 ? (rng.chance(0.3) ? "central" : "peripheral") : null,
    dims,
    voxels,
    sliceLabels,
    lungSliceCount: depth + rng.int(depth),
  };
}
