/**
 * What several `deno task` commands share: the training flags (`train`, `sweep`, `slurm`), the
 * sweep's flags, the training of one run from its command line (`train`, and `slurm task` in
 * the array job), and how a run's progress and epochs are printed. Command files import these
 * pieces, never each other.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseFlags } from "./flags.ts";
 * import { sweepFlagsSchema, trainingSettings } from "./_shared.ts";
 * const flags = parseFlags(["--cache", "cache/x", "--out", "runs/x", "--epochs", "3"],
 *   sweepFlagsSchema, "sweep");
 * assert.equal(trainingSettings(flags).epochs, 3);
 * assert.deepEqual(flags.fractions, [0, 2.5, 5, 10, 20, 27.5, 35, 42.5, 50, 75, 100]);
 * ```
 */
import { z } from "zod";
import { PAPER_LABEL_FRACTIONS } from "../labels/fractions.ts";
import { allocationConfigSchema } from "../labels/mod.ts";
import { backendPreferenceSchema, selectBackend } from "../model/backend.ts";
import {
  cacheExamSource,
  type EpochLog,
  mergeRunPredictions,
  runFolder,
  type TrainConfigInput,
  trainConfigSchema,
  trainRun,
  type TrainRunResult,
} from "../train/mod.ts";
import { type ProgressBar, progressBar } from "../ui/progress.ts";
import { foldCountFlag, foldsFlag, parseFlags, tierWeightsFlag } from "./flags.ts";

const number = z.coerce.number();

/** Flags shared by `train` and `sweep` (every training setting). */
export const trainingFlagsSchema = z.object({
  cache: z.string({ error: "required: the prepared-exam cache folder" }),
  out: z.string({ error: "required: the run folder, e.g. runs/NAME" }),
  backend: backendPreferenceSchema.default("auto"),
  /** How many folds the cache's training split is cut into (the method: five). */
  foldCount: foldCountFlag,
  epochs: number.pipe(z.number().int().min(1)).optional(),
  seed: number.pipe(z.number().int().min(0)).optional(),
  batchSize: number.pipe(z.number().int().min(1)).optional(),
  microBatch: number.pipe(z.number().int().min(1)).optional(),
  lr: number.pipe(z.number().positive()).optional(),
  minLr: number.pipe(z.number().min(0)).optional(),
  weightDecay: number.pipe(z.number().min(0)).optional(),
  clipNorm: number.pipe(z.number().positive()).optional(),
  examWeight: number.pipe(z.number().min(0)).optional(),
  sliceWeight: number.pipe(z.number().min(0)).optional(),
  sliceLossMean: z.enum(["labelled", "all"]).optional(),
  patience: number.pipe(z.number().int().min(1)).optional(),
  minEpochs: number.pipe(z.number().int().min(0)).optional(),
  samplesPerEpoch: number.pipe(z.number().int().min(1)).optional(),
  /**
   * Which slices get labels: even (the method), published (the authors' code's rule), or another
   * allocation of the same budget over the training exams (labels/allocation.ts).
   */
  allocation: z.enum(["even", "published", ...allocationConfigSchema.shape.strategy.options])
    .optional(),
  /** For the adaptive allocations: the slice-scores JSON of the run it ranks by. */
  allocationScores: z.string().min(1).optional(),
  /** For `--allocation tiered`: its weights (default 3,1,0.5; labels/allocation.ts). */
  tierWeights: tierWeightsFlag.optional(),
  inputChannels: z.enum(["adjacent", "repeat"]).optional(),
  encoder: z.enum(["small", "large"]).optional(),
  examPooling: z.enum(["attention", "last"]).optional(),
  sliceFeatures: z.enum(["bilstm", "projected"]).optional(),
  spatialPooling: z.enum(["average", "max"]).optional(),
  encoderNorm: z.enum(["none", "batch"]).optional(),
  lstmLayers: number.pipe(z.number().int().min(1)).optional(),
  noAugment: z.literal(true).optional(),
});

/** Validated shared flags. */
export type TrainingFlags = z.infer<typeof trainingFlagsSchema>;

/** Shared flags -> training settings (fraction and fold are added by the command). */
export function trainingSettings(
  flags: TrainingFlags,
): Omit<TrainConfigInput, "fractionPercent" | "fold"> {
  if (flags.tierWeights && flags.allocation !== "tiered") {
    throw new Error(
      "--tier-weights sets the weights of the tiered allocation only; fix: add --allocation " +
        "tiered, or leave --tier-weights out",
    );
  }
  return {
    folds: flags.foldCount,
    epochs: flags.epochs,
    seed: flags.seed,
    batchSize: flags.batchSize,
    microBatchSize: flags.microBatch,
    learningRate: flags.lr,
    minLearningRate: flags.minLr,
    weightDecay: flags.weightDecay,
    gradientClipNorm: flags.clipNorm,
    examLossWeight: flags.examWeight,
    sliceLossWeight: flags.sliceWeight,
    sliceLossMean: flags.sliceLossMean,
    patience: flags.patience,
    minEpochs: flags.minEpochs,
    samplesPerEpoch: flags.samplesPerEpoch,
    masking: flags.allocation === "published" ? "published" : "even-spacing",
    allocation: flags.allocation === undefined || flags.allocation === "even" ||
        flags.allocation === "published"
      ? undefined
      : {
        strategy: flags.allocation,
        sliceScores: flags.allocationScores,
        tierWeights: flags.tierWeights,
      },
    inputChannels: flags.inputChannels,
    model: {
      encoder: flags.encoder,
      examPooling: flags.examPooling,
      sliceFeatures: flags.sliceFeatures,
      spatialPooling: flags.spatialPooling,
      encoderNorm: flags.encoderNorm,
      lstmLayers: flags.lstmLayers,
    },
    augmentation: { enabled: flags.noAugment ? false : undefined },
  };
}

/** A progress callback drawing one bar per run (created when the total is first known). */
export function runProgress(label: string): {
  onProgress: (done: number, total: number) => void;
  finish: (note?: string) => void;
} {
  let bar: ProgressBar | null = null;
  return {
    onProgress: (done, total) => {
      bar ??= progressBar(label, total);
      bar.update(done);
    },
    finish: (note) => bar?.done(note),
  };
}

/** One epoch log line as text. */
export function formatEpoch(log: EpochLog): string {
  return `epoch ${log.epoch}: loss ${log.loss.toFixed(4)}, val loss ${
    log.valLoss.toFixed(4)
  }, val AUC ${log.valAuc === null ? "n/a" : log.valAuc.toFixed(3)}, lr ${
    log.learningRate.toExponential(2)
  }, ${log.seconds.toFixed(1)} s, ${log.examsPerSecond.toFixed(2)} exams/s`;
}

/** The paper's label fractions as `--fractions` takes them. */
export const PAPER_FRACTIONS = PAPER_LABEL_FRACTIONS.join(",");

/**
 * `--fractions`: a comma-separated list of label fractions in percent (0..100), in the order
 * given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fractionsFlag } from "./_shared.ts";
 * assert.deepEqual(fractionsFlag.parse("0,27.5"), [0, 27.5]);
 * assert.equal(fractionsFlag.safeParse("0,150").success, false);
 * ```
 */
export const fractionsFlag = z.string().transform((text, ctx) => {
  const values = text.split(",").map((part) => part.trim() === "" ? NaN : Number(part));
  const bad = values.find((v) => !(v >= 0 && v <= 100));
  if (bad !== undefined || values.length === 0) {
    ctx.addIssue({
      code: "custom",
      message:
        `'${text}' must be a comma-separated list of percentages in 0..100, e.g. ${PAPER_FRACTIONS}`,
    });
    return z.NEVER;
  }
  return values;
});

/** The flags of `sweep` (and of `slurm submit`). */
export const sweepFlagsSchema = trainingFlagsSchema.extend({
  fractions: z.string().default(PAPER_FRACTIONS).pipe(fractionsFlag),
  /** Which validation folds to run: `all` (0..fold-count-1) or a list such as `0,1`. */
  folds: foldsFlag("all"),
  /** Training runs at once, each in its own worker (wasm only; default 1). */
  parallelRuns: z.coerce.number().int().min(1).default(1),
});

/** The flags of `train`. */
export const trainFlagsSchema = trainingFlagsSchema.extend({
  fraction: number.pipe(z.number().min(0, "below 0 %").max(100, "above 100 %")),
  fold: number.pipe(z.number().int().min(0)),
  folds: z.never({
    error: "train runs one validation fold (--fold K); the number of folds in the cache is " +
      "--fold-count N; several folds: deno task sweep --folds 0,1",
  }).optional(),
});

/**
 * Train one fraction/fold run as described by `args`; `stop` ends it at the next optimiser step
 * with its state saved (default: on SIGTERM).
 *
 * @example
 * ```ts ignore
 * import { trainCommand } from "./_shared.ts";
 * const result = await trainCommand([
 *   "--cache", "cache/x", "--fraction", "5", "--fold", "0", "--out", "runs/x",
 * ]);
 * console.log(result.finished, result.stopped);
 * ```
 */
export async function trainCommand(
  args: string[],
  stop?: AbortSignal,
): Promise<TrainRunResult> {
  const flags = parseFlags(args, trainFlagsSchema, "train");
  const config = trainConfigSchema.parse({
    ...trainingSettings(flags),
    fractionPercent: flags.fraction,
    fold: flags.fold,
  });
  const source = await cacheExamSource(flags.cache);
  const backend = await selectBackend(flags.backend); // logs the choice and its reason
  const progress = runProgress(`train ${flags.fraction}% fold ${flags.fold}`);
  const onTerm = new AbortController();
  const abortOnTerm = () => onTerm.abort();
  if (!stop) Deno.addSignalListener("SIGTERM", abortOnTerm);
  const result = await trainRun({
    config,
    source,
    runDir: runFolder(flags.out, flags.fraction, flags.fold),
    backend: backend.name,
    command: `train ${args.join(" ")}`,
    onProgress: progress.onProgress,
    onEpoch: (log) => console.log(formatEpoch(log)),
    stop: stop ?? onTerm.signal,
  }).finally(() => {
    if (!stop) Deno.removeSignalListener("SIGTERM", abortOnTerm);
  });
  if (result.stopped) {
    const at = result.state.epochInProgress;
    console.log(
      `train: stopped on request ${
        at
          ? `in epoch ${at.epoch + 1} (at exam ${at.nextDraw})`
          : `after epoch ${result.state.epochsDone}`
      }; state saved, rerun the command to continue`,
    );
    return result;
  }
  progress.finish();
  if (result.alreadyFinished) console.log("already finished: nothing to train");
  const merged = await mergeRunPredictions(flags.out);
  console.log(
    `train: ${result.state.epochsDone} epochs${
      result.state.stoppedEarly ? " (stopped early)" : ""
    }, best epoch ${
      result.state.best?.epoch ?? "-"
    }; ${merged} finished run(s) merged into ${flags.out}/predictions.csv`,
  );
  return result;
}
