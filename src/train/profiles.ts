/**
 * The study's profiles (tiny, demo, paper; the synthetic data of each is
 * src/data/phantom/profile.ts): the prepared size, the training budget and settings, whether runs
 * stop early, and what each stage costs per exam for the first ETA of `deno task demo`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PROFILE_DEFAULTS } from "./profiles.ts";
 * assert.deepEqual(PROFILE_DEFAULTS.paper.size, [184, 256, 256]);
 * assert.equal(PROFILE_DEFAULTS.paper.earlyStopping, true);
 * ```
 */
import type { ProfileName } from "../data/phantom/profile.ts";
import type { TrainConfigInput } from "./config.ts";

/**
 * Where the training's convolutions run: oneDNN, the kernels compiled on this machine or
 * XNNPACK on wasm, or another backend.
 */
export type KernelPath = "onednn" | "compiled" | "xnnpack" | "other";

/** Training settings a profile fixes beyond the flags (fraction, fold, epochs, seed, samples). */
export type ProfileTraining = Omit<
  TrainConfigInput,
  "fractionPercent" | "fold" | "epochs" | "seed" | "samplesPerEpoch"
>;

/**
 * The demo profile's training settings, for a CPU budget of 20,000 exam-steps per fraction (20
 * epochs x 1000 exams; docs/demo.md, "Training settings of the demo profile"): Adam at a
 * constant 1e-3 in steps of 8 exams, batch norm after each encoder conv and global max pooling
 * (so that one small clot among many vessels is found soon and not averaged away), one BiLSTM
 * layer, horizontal flips as the only augmentation (resampling, blur and cutout soften or erase
 * clots two pixels wide), and the slice term of the loss averaged over all slices rather than
 * the labelled ones, so that it shrinks with the fraction: averaged over the labelled slices,
 * the one labelled slice per exam of 2.5 % (mostly negative) weighs as much as 32 and drowns the
 * exam signal of an encoder trained from scratch. After each epoch a fixed draw of 256
 * validation exams (a third of the fold) chooses the best epoch: scoring the whole fold took a
 * quarter of the training time. The tiny profile uses them too, with a budget of its own.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { trainConfigSchema } from "./config.ts";
 * import { DEMO_PROFILE_TRAINING } from "./profiles.ts";
 * const config = trainConfigSchema.parse({ ...DEMO_PROFILE_TRAINING, fractionPercent: 2.5, fold: 0 });
 * assert.equal(config.batchSize, 8);
 * ```
 */
export const DEMO_PROFILE_TRAINING: ProfileTraining = {
  sliceLossMean: "all",
  selectionExams: 256,
  learningRate: 1e-3,
  minLearningRate: 1e-3,
  batchSize: 8,
  microBatchSize: 8,
  model: { spatialPooling: "max", lstmLayers: 1, encoderNorm: "batch" },
  augmentation: {
    maxRotationDegrees: 0,
    maxScale: 0,
    maxTranslate: 0,
    gridDistortionProbability: 0,
    maxBrightness: 0,
    maxContrast: 0,
    blurProbability: 0,
    noiseProbability: 0,
    cutoutProbability: 0,
  },
};

/**
 * Per-profile defaults of what the flags leave open, and cost weights for the job's ETA.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PROFILE_DEFAULTS } from "./profiles.ts";
 * const demo = PROFILE_DEFAULTS.demo;
 * assert.equal(demo.epochs * demo.samplesPerEpoch!, 20000); // exam-steps per fraction
 * ```
 */
export const PROFILE_DEFAULTS: Record<ProfileName, {
  size: [number, number, number];
  epochs: number;
  samplesPerEpoch: number | null;
  encoder: "small" | "large";
  /** The rest of the training configuration (the paper profile keeps the method's defaults). */
  training: ProfileTraining;
  /**
   * Whether runs stop early (validation loss not improved for `patience` epochs, the method);
   * false: every run trains its whole budget (`minEpochs` = epochs), the best-AUC epoch is kept.
   */
  earlyStopping: boolean;
  /**
   * Seconds per exam (synth, clean, preprocess, one training step, one inference; step and
   * inference per kernel path), the whole machine's time with the runs sharing it: measured on
   * the 2-core development machine for tiny and demo, guessed for a GPU machine for paper. They
   * weight the stages in the job's first ETA; the bar then follows the measured speed.
   */
  cost: {
    synth: number;
    clean: number;
    preprocess: number;
    step: Record<KernelPath, number>;
    infer: Record<KernelPath, number>;
  };
}> = {
  tiny: {
    size: [16, 32, 32],
    epochs: 1,
    samplesPerEpoch: null,
    encoder: "small",
    training: DEMO_PROFILE_TRAINING,
    earlyStopping: false,
    cost: {
      synth: 0.05,
      clean: 0.01,
      preprocess: 0.02,
      step: { onednn: 0.1, compiled: 0.1, xnnpack: 0.1, other: 0.1 },
      infer: { onednn: 0.02, compiled: 0.02, xnnpack: 0.02, other: 0.02 },
    },
  },
  demo: {
    size: [32, 64, 64],
    // 20 x 1000 exam-steps: on generator v4 (no right-ventricle cue) one labelled slice per exam
    // leaves exam labels alone behind only after ~15,000 (with 10 epochs: 0.618 vs 0.610), and
    // exam labels alone catch up late (seed 0: validation AUC 0.60 at epoch 20, 0.85 at 24;
    // docs/demo.md). With 256 exams choosing the best epoch, the job fits 30 min on the kernels
    // compiled here (2 cores).
    epochs: 20,
    samplesPerEpoch: 1000,
    encoder: "small",
    training: DEMO_PROFILE_TRAINING,
    earlyStopping: false,
    // xnnpack: the oneDNN sweep's 1,329 s took 3,321 s without libdnnl2 (docs/demo.md);
    // compiled: a training step 1.3x oneDNN's (bench/train_step.ts)
    cost: {
      synth: 0.02,
      clean: 0.0035,
      preprocess: 0.015,
      step: { onednn: 0.008, compiled: 0.0104, xnnpack: 0.02, other: 0.008 },
      infer: { onednn: 0.0036, compiled: 0.0047, xnnpack: 0.009, other: 0.0036 },
    },
  },
  paper: {
    size: [184, 256, 256],
    epochs: 30,
    samplesPerEpoch: null,
    encoder: "large",
    training: {},
    earlyStopping: true,
    cost: {
      synth: 5,
      clean: 0.3,
      preprocess: 3,
      step: { onednn: 5, compiled: 7, xnnpack: 10, other: 0.5 },
      infer: { onednn: 2, compiled: 3, xnnpack: 4, other: 0.2 },
    },
  },
};

/**
 * A profile's training settings for a sweep (everything but fraction, fold and seed): its
 * training, budget and encoder, with runs that train the whole budget where the profile does not
 * stop early. `overrides` are the flags that change them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { profileTrainingBase } from "./profiles.ts";
 * const base = profileTrainingBase("demo", { epochs: 4 });
 * assert.equal(base.minEpochs, 4);
 * assert.equal(base.samplesPerEpoch, 1000);
 * ```
 */
export function profileTrainingBase(
  profile: ProfileName,
  overrides: { epochs?: number; samplesPerEpoch?: number | null; encoder?: "small" | "large" } = {},
): Omit<TrainConfigInput, "fractionPercent" | "fold" | "seed"> {
  const defaults = PROFILE_DEFAULTS[profile];
  const epochs = overrides.epochs ?? defaults.epochs;
  return {
    ...defaults.training,
    ...(defaults.earlyStopping ? {} : { minEpochs: epochs }),
    epochs,
    samplesPerEpoch: overrides.samplesPerEpoch === undefined
      ? defaults.samplesPerEpoch
      : overrides.samplesPerEpoch,
    model: { ...defaults.training.model, encoder: overrides.encoder ?? defaults.encoder },
  };
}
