/**
 * The run folder, its one owner: where the run of a label fraction and validation fold lives
 * (`OUT/fraction-F/fold-K/`), which runs a folder holds, and the run's progress file
 * `state.json`. Files in a run's folder:
 *
 * ```
 * run.json                     run record (command, config, seed, versions, backend, source)
 * state.json                   progress: epochs done, best epoch, early stopping, epoch log
 * epochs.csv                   epoch, loss, val_loss, val_auc, learning_rate, seconds, exams_per_second
 * epoch-NNN-weights.json/.bin  last epoch's network (tfjs weights manifest + binary)
 * epoch-NNN-optimizer.json/.bin  last epoch's Adam moments
 * step-weights.json/.bin, step-optimizer.json/.bin  network and Adam moments of a stop inside an
 *                              epoch (`state.epochInProgress` says where); gone after the epoch
 * best-weights.json/.bin       best validation AUC so far
 * predictions.csv              evaluation schema, written when the run finishes
 * ```
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listRunFractions, readRunState, runFolder } from "./run_folder.ts";
 * const out = await Deno.makeTempDir();
 * assert.equal(runFolder("runs/x", 27.5, 0), "runs/x/fraction-27.5/fold-0");
 * await Deno.mkdir(runFolder(out, 2.5, 1), { recursive: true });
 * assert.deepEqual(await listRunFractions(out), [2.5]);
 * assert.equal(await readRunState(runFolder(out, 2.5, 1), "train it"), null); // not started
 * ```
 */
import { join } from "node:path";
import { z } from "zod";
import { errorMessage, readJson, writeJsonAtomic } from "../io/mod.ts";

/** One line of the epoch log. */
export const epochLogSchema = z.object({
  epoch: z.number().int().min(1),
  loss: z.number(),
  valLoss: z.number(),
  /** null when the validation fold holds one class only. */
  valAuc: z.number().nullable(),
  learningRate: z.number(),
  seconds: z.number(),
  examsPerSecond: z.number(),
});

/** An epoch log line. */
export type EpochLog = z.infer<typeof epochLogSchema>;

/** The best checkpoint so far: by validation AUC, or by validation loss (value -loss). */
export const bestCheckpointSchema = z.object({
  epoch: z.number().int(),
  metric: z.enum(["auc", "loss"]),
  value: z.number(),
});

/** The best checkpoint so far. */
export type BestCheckpoint = z.infer<typeof bestCheckpointSchema>;

/** `state.json` of a run folder. */
export const runStateSchema = z.object({
  format: z.literal("pe-fewer-labels/train-state"),
  config: z.unknown(),
  sourceSettings: z.unknown(),
  backend: z.string(),
  epochsDone: z.number().int().min(0),
  optimizerSteps: z.number().int().min(0),
  /** Best checkpoint: by validation AUC, or by validation loss when the fold has one class. */
  best: bestCheckpointSchema.nullable(),
  bestValLoss: z.number().nullable(),
  epochsWithoutImprovement: z.number().int().min(0),
  stoppedEarly: z.boolean(),
  finished: z.boolean(),
  log: z.array(epochLogSchema),
  /** Where a stop inside an epoch left it (null between epochs). */
  epochInProgress: z.object({
    /** 0-based index of the epoch. */
    epoch: z.number().int().min(0),
    /** Position in the epoch's draw where training continues. */
    nextDraw: z.number().int().min(0),
    lossSum: z.number(),
    batches: z.number().int().min(0),
    trainSeconds: z.number().min(0),
  }).nullable().default(null),
});

/** The state of a run folder. */
export type RunState = z.infer<typeof runStateSchema>;

/**
 * The folder of one fraction/fold run inside a run folder, e.g. `OUT/fraction-27.5/fold-0`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runFolder } from "./run_folder.ts";
 * assert.equal(runFolder("runs/x", 100, 4), "runs/x/fraction-100/fold-4");
 * ```
 */
export function runFolder(outDir: string, fractionPercent: number, fold: number): string {
  return join(outDir, `fraction-${fractionPercent}`, `fold-${fold}`);
}

/**
 * Label fractions (percent, ascending) with a `fraction-F` folder in the run folder `outDir`;
 * an unreadable folder fails naming it and the fix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listRunFractions } from "./run_folder.ts";
 * await assert.rejects(listRunFractions("no/such/run"), /not a readable run folder/);
 * ```
 */
export async function listRunFractions(outDir: string): Promise<number[]> {
  const fractions: number[] = [];
  try {
    for await (const entry of Deno.readDir(outDir)) {
      const match = /^fraction-([0-9.]+)$/.exec(entry.name);
      if (match && entry.isDirectory) fractions.push(Number(match[1]));
    }
  } catch (error) {
    throw new Error(
      `${outDir}: not a readable run folder (${
        errorMessage(error)
      }); fix: give the --out folder of \`deno task train\` or \`deno task sweep\``,
    );
  }
  return fractions.sort((a, b) => a - b);
}

/**
 * Validation folds (ascending) with a `fold-K` folder under fraction `fractionPercent`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { listRunFolds, runFolder } from "./run_folder.ts";
 * const out = await Deno.makeTempDir();
 * for (const fold of [3, 0]) await Deno.mkdir(runFolder(out, 10, fold), { recursive: true });
 * assert.deepEqual(await listRunFolds(out, 10), [0, 3]);
 * ```
 */
export async function listRunFolds(outDir: string, fractionPercent: number): Promise<number[]> {
  const folds: number[] = [];
  for await (const entry of Deno.readDir(join(outDir, `fraction-${fractionPercent}`))) {
    const match = /^fold-(\d+)$/.exec(entry.name);
    if (match && entry.isDirectory) folds.push(Number(match[1]));
  }
  return folds.sort((a, b) => a - b);
}

/**
 * Path of a run's `state.json`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runStatePath } from "./run_folder.ts";
 * assert.equal(runStatePath("runs/x/fraction-5/fold-0"), "runs/x/fraction-5/fold-0/state.json");
 * ```
 */
export function runStatePath(runDir: string): string {
  return join(runDir, "state.json");
}

/**
 * A run's `state.json`, validated; null when the run has not started (no file). A file that is
 * not JSON or not a run state fails naming the file, the field and `fix`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readRunState } from "./run_folder.ts";
 * assert.equal(await readRunState(await Deno.makeTempDir(), "train the run first"), null);
 * ```
 */
export async function readRunState(runDir: string, fix: string): Promise<RunState | null> {
  try {
    return await readJson(runStatePath(runDir), runStateSchema, fix);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/**
 * Write a run's `state.json` (atomically).
 *
 * @example
 * ```ts ignore
 * import { writeRunState } from "./run_folder.ts";
 * await writeRunState("runs/x/fraction-5/fold-0", state);
 * ```
 */
export function writeRunState(runDir: string, state: RunState): Promise<void> {
  return writeJsonAtomic(runStatePath(runDir), state);
}
