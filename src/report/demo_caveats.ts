/**
 * What a demo run is not, said in its study report beside the paper's numbers: synthetic data
 * instead of RSPECT, an encoder trained from scratch instead of an ImageNet-pretrained CoAtNet,
 * far fewer exam-steps than the paper's design (with what the demo's calibration saw at that
 * budget), and the folds run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { demoCaveats } from "./demo_caveats.ts";
 * const caveats = demoCaveats({
 *   exams: 6000, trainedOn: 3120, folds: [0], encoder: "small", epochs: 24, examSteps: 24000,
 * });
 * assert.equal(caveats.length, 4);
 * assert.match(caveats[0], /6,958 exams per cross-validation round/);
 * ```
 */
import { PAPER_TRAINING } from "./paper_reference.ts";

/** The settings of a demo run the caveats name. */
export interface DemoRunSize {
  /** Synthetic exams generated. */
  exams: number;
  /** Training exams of the first validation fold's run. */
  trainedOn: number;
  /** Validation folds run (of five). */
  folds: readonly number[];
  encoder: string;
  epochs: number;
  /** Exam-steps per fraction (epochs x exams per epoch). */
  examSteps: number;
}

/**
 * The caveats of a demo run's report, one paragraph each (data, model, training, folds).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { demoCaveats } from "./demo_caveats.ts";
 * const [, model] = demoCaveats({
 *   exams: 40, trainedOn: 20, folds: [0, 1], encoder: "small", epochs: 1, examSteps: 20,
 * });
 * assert.equal(model, "Model: a small CNN encoder trained from scratch, not CoAtNet-0 pretrained on ImageNet.");
 * ```
 */
export function demoCaveats(run: DemoRunSize): string[] {
  const paperExams = PAPER_TRAINING.examsPerRound.toLocaleString("en-US");
  // 6,958 exams x 30 epochs, to the nearest 100,000 as the text rounds it
  const paperSteps = (Math.round(PAPER_TRAINING.examsPerRound * PAPER_TRAINING.epochs / 1e5) * 1e5)
    .toLocaleString("en-US");
  return [
    `Data: a synthetic phantom (${run.exams} exams, ${run.trainedOn} training exams in the run of ` +
    `fold ${run.folds[0]}), not RSPECT; the paper trained on ${paperExams} exams per ` +
    "cross-validation round.",
    `Model: a ${run.encoder} CNN encoder trained from scratch, not CoAtNet-0 pretrained on ` +
    "ImageNet.",
    `Training: ${run.examSteps} exam-steps per fraction (${run.epochs} epoch(s)); the paper ` +
    `trained up to ${PAPER_TRAINING.epochs} epochs over ${paperExams} exams (~${paperSteps} ` +
    "exam-steps). In the demo's PyTorch calibration (docs/synthetic-data.md) one labelled slice " +
    "per exam stayed near chance (0.56) after 15,000 exam-steps, below exam labels alone " +
    "(0.73), while 27.5-100 % had left chance by 6,000.",
    `Folds: ${run.folds.length} of 5 run (the paper averages five folds' predictions).`,
  ];
}
