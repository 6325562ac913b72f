/**
 * The purpose tags that keep the random streams of the stages apart: `mixSeed` of the run's seed
 * with a tag (and indices) gives a stream unrelated to every other. Each tag is named after what
 * its stream draws; the numbers are fixed, since changing one changes every output drawn from it
 * (datasets, label allocations, trained weights).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mixSeed } from "./random.ts";
 * import { SEED_STREAMS } from "./seed_streams.ts";
 * const exam7 = mixSeed(0, SEED_STREAMS.phantomExam, 7);
 * assert.notEqual(exam7, mixSeed(0, SEED_STREAMS.examPlanBlock, 7));
 * ```
 */

/** Purpose tags of the seeded random streams (see the module doc). */
export const SEED_STREAMS = {
  /** The phantom: one exam's anatomy, clots, artefacts and noise (`mixSeed(seed, tag, exam)`). */
  phantomExam: 0xe3a,
  /** The phantom: the plans of one block of exams (`mixSeed(seed, tag, block)`). */
  examPlanBlock: 0xb10c,
  /** Training: the exams drawn in one epoch (`mixSeed(seed, fold, epoch, tag)`). */
  epochDraw: 1,
  /** Training: one drawn exam's augmentation (`mixSeed(seed, fold, epoch, tag, draw)`). */
  augmentation: 2,
  /** Label allocation `random`: one exam's labelled positions (`mixSeed(examSeed, tag)`). */
  randomAllocation: 0xa11c,
  /** Label allocation `adaptive`: the order among equally uncertain slices (`mixSeed(seed, tag)`). */
  adaptiveTies: 0xa11d,
  /** Training: the validation exams that choose the best epoch (`mixSeed(seed, fold, tag)`). */
  selectionExams: 0x5e1,
} as const;
