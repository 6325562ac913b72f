/**
 * Training configuration: one zod schema for a fraction/fold run (optimiser, schedule, loss
 * weights, masking, sampling, early stopping, network and augmentation). Defaults follow
 * docs/training.md (the method; the published code's choices are options).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { trainConfigSchema } from "./config.ts";
 * const config = trainConfigSchema.parse({ fractionPercent: 27.5, fold: 0 });
 * assert.equal(config.learningRate, 1e-4);
 * ```
 */
import { z } from "zod";
import { allocationConfigSchema, MASKING_STRATEGIES } from "../labels/mod.ts";
import { augmentationConfigSchema, modelConfigSchema } from "../model/mod.ts";
import { channelModeSchema } from "../preprocess/model_input.ts";

/** Configuration of one training run (one label fraction, one validation fold). */
export const trainConfigSchema = z.object({
  /** Slice labels kept, in percent (0..100). */
  fractionPercent: z.number().min(0, "below 0 %").max(100, "above 100 %"),
  /** Validation fold (0-based); the other folds train. */
  fold: z.number().int().min(0),
  /** Folds in the cache index. */
  folds: z.number().int().min(2).default(5),
  seed: z.number().int().min(0).default(0),
  epochs: z.number().int().min(1).default(30),
  /** Exams per optimiser step. */
  batchSize: z.number().int().min(1).default(16),
  /** Exams per forward pass; gradients are accumulated up to batchSize. */
  microBatchSize: z.number().int().min(1).default(4),
  learningRate: z.number().positive().default(1e-4),
  /** Cosine annealing floor (T_max = epochs). */
  minLearningRate: z.number().min(0).default(1e-6),
  /** Decoupled weight decay (AdamW); 0 = Adam (the method). */
  weightDecay: z.number().min(0).default(0),
  /** Clip the gradient's global L2 norm to this (the published code: 1.0); null = no clipping. */
  gradientClipNorm: z.number().positive().nullable().default(null),
  examLossWeight: z.number().min(0).default(0.05),
  sliceLossWeight: z.number().min(0).default(0.95),
  /**
   * The slice term's mean: over the labelled slices of the batch (the method), or over all of
   * its slices, so that each labelled slice weighs the same at every fraction and the slice term
   * shrinks with the fraction (the demo profile; docs/demo.md).
   */
  sliceLossMean: z.enum(["labelled", "all"]).default("labelled"),
  /** Per-exam rule of which slices keep their label (validation exams always use it). */
  masking: z.enum(MASKING_STRATEGIES).default("even-spacing"),
  /**
   * Another allocation of the training exams' slice labels at the same total budget
   * (labels/allocation.ts); absent: every exam by `masking`.
   */
  allocation: allocationConfigSchema.optional(),
  /** Slice channels: adjacent slices (method) or the slice repeated (published). */
  inputChannels: channelModeSchema.default("adjacent"),
  /** Exams drawn per epoch by class-weighted sampling; null = the training set's size. */
  samplesPerEpoch: z.number().int().min(1).nullable().default(null),
  /** Stop when validation loss has not improved for this many epochs. */
  patience: z.number().int().min(1).default(7),
  /**
   * Validation exams scored after each epoch to choose the best epoch (and to stop early): a
   * fixed draw of this many from the validation fold, stratified by exam label; null = the whole
   * fold (the method). The run's predictions cover the whole fold either way.
   */
  selectionExams: z.number().int().min(2).nullable().default(null),
  /** Never stop before this many epochs. */
  minEpochs: z.number().int().min(0).default(0),
  model: modelConfigSchema.prefault({}),
  augmentation: augmentationConfigSchema.prefault({}),
});

/** A validated training configuration. */
export type TrainConfig = z.infer<typeof trainConfigSchema>;
/** Input of `trainConfigSchema` (defaults not yet filled). */
export type TrainConfigInput = z.input<typeof trainConfigSchema>;

/**
 * The slice term's denominator for these exams (see `sliceLossMean`): their labelled slices, or
 * all their slices.
 *
 * @example
 * ```ts ignore
 * sliceLossDenominator(config, exams.map((e) => masks.of(e))); // e.g. 12 labelled of 320
 * ```
 */
export function sliceLossDenominator(
  config: Pick<TrainConfig, "sliceLossMean">,
  examMasks: readonly Uint8Array[],
): number {
  return examMasks.reduce(
    (n, mask) =>
      n + (config.sliceLossMean === "all" ? mask.length : mask.reduce((a, b) => a + b, 0)),
    0,
  );
}
