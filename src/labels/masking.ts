/**
 * Label-fraction masking: which resampled slices of an exam keep their slice label when only a
 * fraction of slice labels is available. The exam label is always kept; only slice labels are
 * thinned.
 *
 * - `even-spacing` (the method): k = round(f x D) labelled slices, evenly spaced (spacing D/k)
 *   from a per-exam start offset drawn once from the run's seed and the exam id, so the same
 *   slices stay labelled in every epoch, for positive and negative exams alike.
 * - `published` (the authors' code): the parameter there is the fraction masked; the kept
 *   count is floor(f x N_source) capped at D, and the masked positions are
 *   floor(linspace(0, D - 1, D - kept)).
 *
 * Fractions are given in percent (0..100), as in the predictions table.
 *
 * @example
 * ```ts
 * import { labelledSlices } from "./masking.ts";
 * const kept = labelledSlices(184, 2.5, {
 *   strategy: "even-spacing", seed: 0, examId: "1.2.3", sourceSliceCount: 300,
 * });
 * kept.reduce((a, b) => a + b, 0); // 5 = round(0.025 x 184)
 * ```
 */
import { mixSeed, Rng } from "../util/random.ts";

/** The masking strategies: the method's even spacing and the published code's variant. */
export const MASKING_STRATEGIES = ["even-spacing", "published"] as const;
/** A masking strategy name. */
export type MaskingStrategy = (typeof MASKING_STRATEGIES)[number];

/** What masking needs to know about the run and the exam. */
export interface MaskingOptions {
  strategy: MaskingStrategy;
  /** The run's seed; with `examId` it fixes the even-spacing start offset. */
  seed: number;
  examId: string;
  /** Source slices of the exam (lung slices before resampling); used by `published`. */
  sourceSliceCount: number;
}

/**
 * Labelled-slice mask [D]: 1 where the slice label is kept for training, 0 where it is hidden.
 *
 * @example
 * ```ts
 * import { labelledSlices } from "./masking.ts";
 * labelledSlices(4, 100, { strategy: "even-spacing", seed: 1, examId: "a", sourceSliceCount: 4 });
 * // Uint8Array [1, 1, 1, 1]
 * ```
 */
export function labelledSlices(
  sliceCount: number,
  fractionPercent: number,
  options: MaskingOptions,
): Uint8Array {
  checkFraction(fractionPercent);
  if (!Number.isInteger(sliceCount) || sliceCount < 0) {
    throw new Error(`slice count must be a whole number >= 0, got ${sliceCount}`);
  }
  const kept = new Uint8Array(sliceCount);
  if (options.strategy === "even-spacing") {
    const offset = new Rng(examSeed(options.seed, options.examId)).uniform();
    for (const z of evenSpacingPositions(sliceCount, fractionPercent, offset)) kept[z] = 1;
  } else {
    kept.fill(1);
    const masked = publishedMaskedPositions(
      sliceCount,
      fractionPercent,
      options.sourceSliceCount,
    );
    for (const z of masked) kept[z] = 0;
  }
  return kept;
}

/**
 * Even spacing: k = round(f x D) positions floor(offset + i x D/k), i = 0..k-1, where
 * `offsetUnit` in [0, 1) scales the start offset to [0, D/k). Positions are distinct and in
 * [0, D). Rounding is half up (2.5 % of 20 slices = 0.5 -> 1 slice).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evenSpacingPositions } from "./masking.ts";
 * assert.deepEqual(evenSpacingPositions(10, 20, 0), [0, 5]);
 * assert.deepEqual(evenSpacingPositions(10, 20, 0.5), [2, 7]); // offset 0.5 x 10/2 = 2.5
 * ```
 */
export function evenSpacingPositions(
  sliceCount: number,
  fractionPercent: number,
  offsetUnit: number,
): number[] {
  checkFraction(fractionPercent);
  if (!(offsetUnit >= 0 && offsetUnit < 1)) {
    throw new Error(`offset must be in [0, 1), got ${offsetUnit}`);
  }
  const k = Math.min(sliceCount, Math.round((fractionPercent * sliceCount) / 100));
  if (k === 0) return [];
  const spacing = sliceCount / k;
  const offset = offsetUnit * spacing;
  const positions: number[] = [];
  for (let i = 0; i < k; i++) {
    positions.push(Math.min(sliceCount - 1, Math.floor(offset + i * spacing)));
  }
  return positions;
}

/**
 * The published code's masked positions: kept = min(D, floor(f x N_source)),
 * masked = floor(linspace(0, D - 1, D - kept)) (numpy's linspace: the last point is D - 1).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { publishedMaskedPositions } from "./masking.ts";
 * // D = 10, N = 20, 25 % kept: kept = 5, masked = floor([0, 2.25, 4.5, 6.75, 9])
 * assert.deepEqual(publishedMaskedPositions(10, 25, 20), [0, 2, 4, 6, 9]);
 * ```
 */
export function publishedMaskedPositions(
  sliceCount: number,
  fractionPercent: number,
  sourceSliceCount: number,
): number[] {
  checkFraction(fractionPercent);
  if (!Number.isInteger(sourceSliceCount) || sourceSliceCount < 0) {
    throw new Error(`source slice count must be a whole number >= 0, got ${sourceSliceCount}`);
  }
  const kept = Math.min(sliceCount, Math.floor((fractionPercent * sourceSliceCount) / 100));
  const n = sliceCount - kept;
  if (n === 0) return [];
  if (n === 1) return [0];
  const step = (sliceCount - 1) / (n - 1);
  const masked: number[] = [];
  for (let i = 0; i < n; i++) masked.push(i === n - 1 ? sliceCount - 1 : Math.floor(i * step));
  return masked;
}

/**
 * A 32-bit seed for one exam of a run: the run's seed mixed with the exam id's characters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { examSeed } from "./masking.ts";
 * assert.equal(examSeed(0, "1.2.3") === examSeed(0, "1.2.3"), true);
 * assert.equal(examSeed(0, "1.2.3") !== examSeed(1, "1.2.3"), true);
 * ```
 */
export function examSeed(seed: number, examId: string): number {
  const codes: number[] = [];
  for (let i = 0; i < examId.length; i++) codes.push(examId.charCodeAt(i));
  return mixSeed(seed, ...codes);
}

function checkFraction(fractionPercent: number): void {
  if (!(fractionPercent >= 0 && fractionPercent <= 100)) {
    throw new Error(
      `label fraction must be in [0, 100] percent, got ${fractionPercent}; fix: give e.g. 27.5`,
    );
  }
}
