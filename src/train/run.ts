/**
 * One training run: a label fraction and a validation fold. Trains on the other folds with
 * class-weighted sampling, Adam, cosine annealing and gradient accumulation; validates every
 * epoch (loss for early stopping, exam AUC for the best checkpoint); then the best checkpoint
 * predicts the validation fold and the public, private and external splits.
 *
 * Resumable: after every epoch the weights, the optimiser state and `state.json` are written
 * (atomically); a rerun continues from the last finished epoch and gives the same result as an
 * uninterrupted run (every epoch's randomness is derived from the seed, fold and epoch). A stop
 * request (`stop`, e.g. on SIGTERM) ends the call at the next optimiser step: the weights and
 * optimiser state of that step and the position in the epoch are written, and a rerun continues
 * from that step with the same result. A finished run is never retrained. The files it writes are
 * listed in `run_folder.ts`.
 *
 * @example
 * ```ts
 * import { trainRun } from "./run.ts";
 * import { trainConfigSchema } from "./config.ts";
 * // const result = await trainRun({ config: trainConfigSchema.parse({ fractionPercent: 2.5,
 * //   fold: 0 }), source, runDir: "runs/x/fraction-2.5/fold-0", backend: "wasm" });
 * ```
 */
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { mixSeed, Rng, SEED_STREAMS } from "../util/mod.ts";
import { formatCsv, runRecord, writeJsonAtomic, writeTextAtomic } from "../io/mod.ts";
import { auc } from "../stats/mod.ts";
import {
  Adam,
  clipByGlobalNorm,
  createNetwork,
  examSliceLoss,
  loadWeightsInto,
  type Network,
  readCheckpoint,
  writeCheckpoint,
} from "../model/mod.ts";
import { runLabelMasks } from "./allocation_masks.ts";
import { disposeBatch, LabelMasks, loadBatch } from "./batch.ts";
import { sliceLossDenominator, type TrainConfig } from "./config.ts";
import { bestCheckpoint } from "./best_checkpoint.ts";
import { updateEarlyStopping } from "./early_stopping.ts";
import { evaluateExams } from "./evaluate_exams.ts";
import type { ExamInfo, ExamSource } from "./exam_source.ts";
import { type Prediction, predictionsCsv } from "./predictions.ts";
import {
  type EpochLog,
  readRunState,
  type RunState,
  runStatePath,
  writeRunState,
} from "./run_folder.ts";
import { sampleExams, stratifiedSubset } from "./sampler.ts";
import { cosineLearningRate } from "./schedule.ts";

/** What `trainRun` needs. */
export interface TrainRunOptions {
  config: TrainConfig;
  source: ExamSource;
  /** This run's folder, e.g. runs/NAME/fraction-2.5/fold-0. */
  runDir: string;
  /** The tfjs backend in use (recorded). */
  backend: string;
  /** The command line, for the run record. */
  command?: string;
  /** Exams processed so far in this call and the total this call will process. */
  onProgress?: (done: number, total: number) => void;
  /** Called after every epoch with its log line. */
  onEpoch?: (log: EpochLog) => void;
  /** Stop (as an interruption would) after this many epochs in this call. */
  maxEpochsThisCall?: number;
  /**
   * A stop request (e.g. SIGTERM from a batch scheduler): once aborted, the call saves its state
   * after the current optimiser step and returns unfinished, with `stopped` set.
   */
  stop?: AbortSignal;
}

/** Outcome of a call: finished (predictions written) or stopped early to be resumed. */
export interface TrainRunResult {
  finished: boolean;
  /** Epochs already done when this call started (0 = fresh start). */
  resumedFromEpoch: number;
  /** True when the run had finished before this call (nothing was trained). */
  alreadyFinished: boolean;
  /** True when `stop` ended this call inside or between epochs (state saved, resumable). */
  stopped?: boolean;
  state: RunState;
  predictionsPath: string | null;
}

/** The exams of a run: training folds, validation fold, and the test splits. */
export interface RunExams {
  train: ExamInfo[];
  validation: ExamInfo[];
  test: ExamInfo[];
}

/**
 * Split a source's exams for validation fold `fold` of `folds`; throws when the fold does not
 * exist or a part is empty.
 *
 * @example
 * ```ts
 * import { runExams } from "./run.ts";
 * // runExams(source, 0, 5) -> { train: folds 1-4, validation: fold 0, test: public/private/external }
 * ```
 */
export function runExams(source: ExamSource, fold: number, folds: number): RunExams {
  const trainSplit = source.exams.filter((exam) => exam.split === "train");
  const found = [...new Set(trainSplit.map((exam) => exam.fold))].sort((a, b) =>
    (a ?? -1) - (b ?? -1)
  );
  const bad = trainSplit.find((exam) => exam.fold === null || exam.fold < 0 || exam.fold >= folds);
  if (bad) {
    throw new Error(
      `${source.name}: training exam '${bad.examId}' has fold ${bad.fold}, outside 0..${
        folds - 1
      }; fix: rebuild the cache with ${folds} folds or pass --fold-count ${
        Math.max(...found.map(Number)) + 1
      }`,
    );
  }
  if (fold >= folds || !found.includes(fold)) {
    throw new Error(
      `${source.name}: fold ${fold} does not exist (folds present: ${
        found.join(", ") || "none"
      }); fix: train a fold that holds exams (train --fold K, sweep --folds 0,1), give the cache's number of folds (--fold-count), or prepare more exams so that every one of the ${folds} folds holds some`,
    );
  }
  const parts: RunExams = {
    train: trainSplit.filter((exam) => exam.fold !== fold),
    validation: trainSplit.filter((exam) => exam.fold === fold),
    test: source.exams.filter((exam) => exam.split !== "train"),
  };
  if (parts.train.length === 0) {
    throw new Error(
      `${source.name}: no training exams outside fold ${fold}; fix: use a cache with more than one fold`,
    );
  }
  return parts;
}

/**
 * The validation exams scored after each epoch (`selectionExams` in config.ts): the whole fold,
 * or the same stratified draw from it at every epoch and on every resume.
 *
 * @example
 * ```ts ignore
 * selectionExams(exams.validation, { ...config, selectionExams: 256 }).length; // 256
 * ```
 */
export function selectionExams(
  validation: ExamInfo[],
  config: Pick<TrainConfig, "selectionExams" | "seed" | "fold">,
): ExamInfo[] {
  if (config.selectionExams === null) return validation;
  const random = new Rng(mixSeed(config.seed, config.fold, SEED_STREAMS.selectionExams));
  return stratifiedSubset(validation.map((exam) => exam.examLabel), config.selectionExams, random)
    .map((i) => validation[i]);
}

/** Train (or resume, or skip when finished) one fraction/fold run. */
export async function trainRun(options: TrainRunOptions): Promise<TrainRunResult> {
  const { config, source, runDir } = options;
  const exams = runExams(source, config.fold, config.folds);
  const predictionsPath = join(runDir, "predictions.csv");
  let state = await resumeState(runDir, config, source);
  if (state?.finished) {
    return {
      finished: true,
      resumedFromEpoch: state.epochsDone,
      alreadyFinished: true,
      state,
      predictionsPath,
    };
  }
  const resumedFromEpoch = state?.epochsDone ?? 0;
  state ??= {
    format: "pe-fewer-labels/train-state",
    config,
    sourceSettings: source.settings,
    backend: options.backend,
    epochsDone: 0,
    optimizerSteps: 0,
    best: null,
    bestValLoss: null,
    epochsWithoutImprovement: 0,
    stoppedEarly: false,
    finished: false,
    log: [],
    epochInProgress: null,
  };
  const { masks, allocation } = await runLabelMasks(config, source, exams.train);
  await writeJsonAtomic(join(runDir, "run.json"), {
    ...runRecord(options.command ?? "train", config, config.seed),
    backend: options.backend,
    source: { name: source.name, settings: source.settings },
    exams: {
      train: exams.train.length,
      validation: exams.validation.length,
      test: exams.test.length,
    },
    ...(allocation === null ? {} : { allocation }),
    resumedFromEpoch,
  });

  const network = createNetwork(config.model, mixSeed(config.seed, config.fold));
  const adam = new Adam(
    [...network.params.variables].filter(([, v]) => v.trainable),
    { weightDecay: config.weightDecay },
  );
  try {
    if (resumedFromEpoch > 0 || state.epochInProgress) await restore(network, adam, runDir, state);
    const samples = config.samplesPerEpoch ?? exams.train.length;
    const epochsLeft = Math.min(
      config.epochs - state.epochsDone,
      options.maxEpochsThisCall ?? Infinity,
    );
    const total = epochsLeft * samples;
    let processed = 0;
    // The best checkpoint is chosen by validation AUC (best_checkpoint.ts); a fold with one
    // class only has none, and falls back to the validation loss.
    const selection = selectionExams(exams.validation, config);
    const useAuc = new Set(selection.map((e) => e.examLabel)).size === 2;
    for (let n = 0; n < epochsLeft && !state.stoppedEarly && !options.stop?.aborted; n++) {
      const epoch = state.epochsDone; // 0-based index of the epoch being trained
      const resumed = state.epochInProgress?.epoch === epoch ? state.epochInProgress : null;
      const started = performance.now() - (resumed?.trainSeconds ?? 0) * 1000;
      const learningRate = cosineLearningRate(
        epoch,
        config.epochs,
        config.learningRate,
        config.minLearningRate,
      );
      const drawn = sampleExams(
        exams.train.map((exam) => exam.examLabel),
        samples,
        new Rng(mixSeed(config.seed, config.fold, epoch, SEED_STREAMS.epochDraw)),
      );
      let lossSum = resumed?.lossSum ?? 0;
      let batches = resumed?.batches ?? 0;
      for (let start = resumed?.nextDraw ?? 0; start < drawn.length; start += config.batchSize) {
        if (options.stop?.aborted) {
          state.epochInProgress = {
            epoch,
            nextDraw: start,
            lossSum,
            batches,
            trainSeconds: (performance.now() - started) / 1000,
          };
          await saveStep(network, adam, runDir, state);
          return stoppedResult(resumedFromEpoch, state);
        }
        const indices = drawn.slice(start, start + config.batchSize);
        lossSum += await trainStep(network, adam, source, exams.train, indices, start, epoch, {
          config,
          masks,
          learningRate,
        });
        batches++;
        state.optimizerSteps = adam.steps;
        processed += indices.length;
        options.onProgress?.(processed, total);
      }
      const trainSeconds = (performance.now() - started) / 1000;
      state.epochInProgress = null;
      const validation = await evaluateExams(network, source, selection, masks, config);
      const valLoss = validation.loss;
      const valAuc = useAuc ? auc(validation.scores, selection.map((e) => e.examLabel)) : null;
      const log: EpochLog = {
        epoch: epoch + 1,
        loss: lossSum / batches,
        valLoss,
        valAuc,
        learningRate,
        seconds: (performance.now() - started) / 1000,
        examsPerSecond: samples / trainSeconds,
      };
      if (!Number.isFinite(log.loss) || !Number.isFinite(log.valLoss)) {
        throw new Error(
          `${runDir}: the loss is not a number after epoch ${log.epoch} (training ${log.loss}, validation ${log.valLoss}); fix: lower --lr or set --clip-norm, then delete the run folder`,
        );
      }
      state.log.push(log);
      state.epochsDone = epoch + 1;
      const best = bestCheckpoint(state.best, log);
      if (best !== state.best) {
        state.best = best;
        await writeCheckpoint(join(runDir, "best-weights.json"), network.params.named(), {
          epoch: best.epoch,
          metric: best.metric,
          value: best.value,
        });
      }
      Object.assign(state, updateEarlyStopping(state, valLoss, state.epochsDone, config));
      await saveEpoch(network, adam, runDir, state);
      options.onEpoch?.(log);
    }
    if (state.epochsDone < config.epochs && !state.stoppedEarly) {
      return options.stop?.aborted ? stoppedResult(resumedFromEpoch, state) : {
        finished: false,
        resumedFromEpoch,
        alreadyFinished: false,
        state,
        predictionsPath: null,
      };
    }
    await loadWeightsInto(network.params, join(runDir, "best-weights.json"));
    const predicted = [...exams.validation, ...exams.test];
    const { scores } = await evaluateExams(network, source, predicted, masks, config);
    const rows: Prediction[] = predicted.map((exam, i) => ({
      examId: exam.examId,
      split: exam.split,
      examLabel: exam.examLabel,
      fractionPercent: config.fractionPercent,
      fold: config.fold,
      score: scores[i],
      subtype: exam.subtype,
    }));
    await writeTextAtomic(predictionsPath, predictionsCsv(rows));
    state.finished = true;
    await writeRunState(runDir, state);
    return { finished: true, resumedFromEpoch, alreadyFinished: false, state, predictionsPath };
  } finally {
    adam.dispose();
    network.dispose();
  }
}

/**
 * One optimiser step over the training exams `train[indices]` (a batch), accumulating
 * gradients over micro-batches; returns the summed loss of the micro-batches. `drawOffset` and
 * `epoch` seed each exam's augmentation.
 *
 * @example
 * ```ts ignore
 * const loss = await trainStep(network, adam, source, exams.train, [0, 1, 2, 3], 0, 0, {
 *   config,
 *   masks: new LabelMasks(config),
 *   learningRate: config.learningRate,
 * });
 * ```
 */
export async function trainStep(
  network: Network,
  adam: Adam,
  source: ExamSource,
  train: readonly ExamInfo[],
  indices: readonly number[],
  drawOffset: number,
  epoch: number,
  context: { config: TrainConfig; masks: LabelMasks; learningRate: number },
): Promise<number> {
  const { config, masks } = context;
  const labelledCount = sliceLossDenominator(config, indices.map((i) => masks.of(train[i])));
  let accumulated: Record<string, tf.Tensor> | null = null;
  let loss = 0;
  for (let start = 0; start < indices.length; start += config.microBatchSize) {
    const part = indices.slice(start, start + config.microBatchSize);
    const seeds = part.map((_, j) =>
      config.augmentation.enabled
        ? mixSeed(
          config.seed,
          config.fold,
          epoch,
          SEED_STREAMS.augmentation,
          drawOffset + start + j,
        )
        : null
    );
    const batch = await loadBatch(source, part.map((i) => train[i].examId), seeds, masks, config);
    const { value, grads } = tf.variableGrads(() => {
      const out = network.apply(batch.images, batch.size, true);
      return examSliceLoss({ ...out, ...batch }, {
        examWeight: config.examLossWeight,
        sliceWeight: config.sliceLossWeight,
        examCount: indices.length,
        labelledCount,
      });
    }, adam.variables());
    network.commitBatchStatistics();
    disposeBatch(batch);
    loss += (await value.data())[0];
    value.dispose();
    const byName = adam.byParameterName(grads);
    if (accumulated === null) {
      accumulated = byName;
    } else {
      const previous: Record<string, tf.Tensor> = accumulated;
      accumulated = {};
      for (const name of new Set([...Object.keys(previous), ...Object.keys(byName)])) {
        accumulated[name] = previous[name] && byName[name]
          ? tf.add(previous[name], byName[name])
          : tf.clone(previous[name] ?? byName[name]);
      }
      tf.dispose([...Object.values(previous), ...Object.values(byName)]);
    }
  }
  const grads = config.gradientClipNorm === null
    ? accumulated!
    : clipByGlobalNorm(accumulated!, config.gradientClipNorm).grads;
  adam.step(grads, context.learningRate);
  return loss;
}

/** Write the epoch's weights and optimiser state, then state.json, then drop older files. */
async function saveEpoch(network: Network, adam: Adam, runDir: string, state: RunState) {
  const tag = `epoch-${String(state.epochsDone).padStart(3, "0")}`;
  await writeCheckpoint(join(runDir, `${tag}-weights.json`), network.params.named(), {
    epoch: state.epochsDone,
  });
  await writeCheckpoint(join(runDir, `${tag}-optimizer.json`), adam.state(), {
    epoch: state.epochsDone,
    steps: adam.steps,
  });
  await writeRunState(runDir, state);
  await writeTextAtomic(join(runDir, "epochs.csv"), epochsCsv(state.log));
  for await (const entry of Deno.readDir(runDir)) {
    const match = /^epoch-(\d{3})-(weights|optimizer)\.(json|bin)$/.exec(entry.name);
    const older = match && Number(match[1]) < state.epochsDone;
    if (older || /^step-(weights|optimizer)\.(json|bin)$/.test(entry.name)) {
      await Deno.remove(join(runDir, entry.name));
    }
  }
}

/** Write the network and optimiser state of a stop inside an epoch, then state.json. */
async function saveStep(network: Network, adam: Adam, runDir: string, state: RunState) {
  await writeCheckpoint(join(runDir, "step-weights.json"), network.params.named(), {
    epoch: state.epochsDone,
  });
  await writeCheckpoint(join(runDir, "step-optimizer.json"), adam.state(), {
    epoch: state.epochsDone,
    steps: adam.steps,
  });
  await writeRunState(runDir, state);
}

/** The result of a call that `stop` ended (state saved). */
function stoppedResult(resumedFromEpoch: number, state: RunState): TrainRunResult {
  return {
    finished: false,
    resumedFromEpoch,
    alreadyFinished: false,
    stopped: true,
    state,
    predictionsPath: null,
  };
}

/** Load the weights and optimiser state named by `state` (a stop inside an epoch, or its last epoch). */
async function restore(network: Network, adam: Adam, runDir: string, state: RunState) {
  const tag = state.epochInProgress ? "step" : `epoch-${String(state.epochsDone).padStart(3, "0")}`;
  await loadWeightsInto(network.params, join(runDir, `${tag}-weights.json`));
  const optimizerPath = join(runDir, `${tag}-optimizer.json`);
  const optimizer = await readCheckpoint(optimizerPath);
  adam.restore(optimizer.tensors, state.optimizerSteps, optimizerPath);
  tf.dispose(Object.values(optimizer.tensors));
}

/**
 * The state of a run folder to resume from: null when the run has not started; an error naming
 * the differing field when the run was started with other settings or on a cache built with
 * other settings.
 *
 * @example
 * ```ts ignore
 * import { resumeState } from "./run.ts";
 * const state = await resumeState("runs/x/fraction-5/fold-0", config, source);
 * state?.finished, state?.epochsDone;
 * ```
 */
export async function resumeState(
  runDir: string,
  config: TrainConfig,
  source: Pick<ExamSource, "name" | "settings">,
): Promise<RunState | null> {
  const state = await readRunState(runDir, "delete the run folder to train it again");
  if (state === null) return null;
  const path = runStatePath(runDir);
  const configDiff = firstDifference(state.config, config);
  if (configDiff !== null) {
    throw new Error(
      `${path}: this run was started with other settings (config.${configDiff}); fix: use another --out folder, or pass the same settings to resume`,
    );
  }
  const sourceDiff = firstDifference(state.sourceSettings, source.settings);
  if (sourceDiff !== null) {
    throw new Error(
      `${path}: this run was trained on a cache built with other settings (${
        sourceDiff || "settings"
      } differs from ${source.name}); fix: use another --out folder or the cache the run was started with`,
    );
  }
  return state;
}

/** Path of the first differing field of two JSON values ("" for the root), or null if equal. */
function firstDifference(a: unknown, b: unknown, path = ""): string | null {
  if (JSON.stringify(a) === JSON.stringify(b)) return null;
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      const diff = firstDifference(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        path ? `${path}.${key}` : key,
      );
      if (diff !== null) return diff;
    }
  }
  return path;
}

function epochsCsv(log: readonly EpochLog[]): string {
  return formatCsv(
    ["epoch", "loss", "val_loss", "val_auc", "learning_rate", "seconds", "exams_per_second"],
    log.map((
      l,
    ) => [l.epoch, l.loss, l.valLoss, l.valAuc, l.learningRate, l.seconds, l.examsPerSecond]),
  );
}
