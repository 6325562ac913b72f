/**
 * The fold ensemble of one label fraction of a trained run: the best checkpoint of every finished
 * fold (`OUT/fraction-F/fold-K/best-weights`), with the preprocessing settings the folds were
 * trained on, read from the run (the cache settings each fold's state.json records), never
 * retyped. Folds trained on caches with different preprocessing are refused.
 *
 * @example
 * ```ts ignore
 * import { loadFoldEnsemble } from "./fold_ensemble.ts";
 * const ensemble = await loadFoldEnsemble("runs/rspect", 27.5);
 * console.log(ensemble.models.map((m) => m.fold), ensemble.preprocess.size);
 * ensemble.dispose();
 * ```
 */
import { z } from "zod";
import type { Network } from "../model/mod.ts";
import {
  type ChannelMode,
  type PreprocessConfig,
  preprocessConfigSchema,
} from "../preprocess/mod.ts";
import { loadBestNetwork } from "../train/best_network.ts";
import {
  listRunFolds,
  listRunFractions,
  readRunState,
  runFolder,
  runStatePath,
} from "../train/run_folder.ts";

/** The source settings a run trained from a prepared-exam cache records (state.json). */
export const runCacheSettingsSchema = z.object({
  configHash: z.string().regex(/^[0-9a-f]{64}$/),
  config: preprocessConfigSchema,
});

/** One fold's best network in an ensemble. */
export interface FoldModel {
  fold: number;
  runDir: string;
  /** Epoch of the best checkpoint. */
  epoch: number;
  inputChannels: ChannelMode;
  network: Network;
}

/** The fold ensemble of one label fraction, with the preprocessing it was trained on. */
export interface FoldEnsemble {
  runDir: string;
  fractionPercent: number;
  models: FoldModel[];
  /** Fold folders not used (unfinished, or not asked for), each with its reason. */
  skippedFolds: { fold: number; reason: string }[];
  /** The preprocessing settings of the run's cache. */
  preprocess: PreprocessConfig;
  /** Their hash (as in the cache's cache.json). */
  preprocessHash: string;
  /** The backend the folds trained on (from state.json). */
  trainedBackends: string[];
  dispose(): void;
}

/**
 * Load the best checkpoint of every finished fold of `fractionPercent` (or of the listed
 * `folds`, each of which must be finished). Throws when the fraction has no finished fold, or
 * when folds were trained on caches with different preprocessing.
 *
 * @example
 * ```ts ignore
 * import { loadFoldEnsemble } from "./fold_ensemble.ts";
 * const ensemble = await loadFoldEnsemble("runs/rspect", 2.5, [0, 1]);
 * ensemble.models.length; // 2
 * ensemble.preprocess.size; // [184, 256, 256]
 * ensemble.dispose();
 * ```
 */
export async function loadFoldEnsemble(
  runDir: string,
  fractionPercent: number,
  folds: "all" | readonly number[] = "all",
): Promise<FoldEnsemble> {
  const fractions = await listRunFractions(runDir);
  if (!fractions.includes(fractionPercent)) {
    throw new Error(
      `${runDir}: no runs for fraction ${fractionPercent} % (fractions present: ${
        fractions.join(", ") || "none"
      }); fix: pass --fraction with one of those`,
    );
  }
  const present = await listRunFolds(runDir, fractionPercent);
  const wanted = folds === "all" ? present : [...folds];
  const skippedFolds = present.filter((k) => !wanted.includes(k)).map((fold) => ({
    fold,
    reason: "not asked for (--folds)",
  }));
  const settings: { fold: number; hash: string; config: PreprocessConfig; backend: string }[] = [];
  for (const fold of wanted) {
    const dir = runFolder(runDir, fractionPercent, fold);
    const statePath = runStatePath(dir);
    const fix = `pass --folds with folds that exist (present: ${present.join(", ") || "none"})`;
    const state = await readRunState(dir, fix);
    if (state === null) {
      throw new Error(`${statePath}: no readable run state (missing); fix: ${fix}`);
    }
    if (!state.finished) {
      const reason = `not finished (${state.epochsDone} epochs done)`;
      if (folds !== "all") {
        throw new Error(
          `${dir}: ${reason}; fix: finish it with \`deno task train\` or leave it out of --folds`,
        );
      }
      skippedFolds.push({ fold, reason });
      continue;
    }
    const source = runCacheSettingsSchema.safeParse(state.sourceSettings);
    if (!source.success) {
      throw new Error(
        `${statePath}: field 'sourceSettings' does not hold a prepared-exam cache's settings (${
          source.error.issues[0].path.join(".")
        }: ${
          source.error.issues[0].message
        }); fix: predict with a run trained from a cache (\`deno task train --cache\`)`,
      );
    }
    settings.push({
      fold,
      hash: source.data.configHash,
      config: source.data.config,
      backend: state.backend,
    });
  }
  if (settings.length === 0) {
    throw new Error(
      `${runDir}/fraction-${fractionPercent}: no finished fold (${
        skippedFolds.map((s) => `fold ${s.fold}: ${s.reason}`).join("; ") || "no fold folder"
      }); fix: finish training, or pick another --fraction`,
    );
  }
  const other = settings.find((s) => s.hash !== settings[0].hash);
  if (other) {
    throw new Error(
      `${runDir}/fraction-${fractionPercent}: fold ${other.fold} was trained on a cache with other preprocessing than fold ${
        settings[0].fold
      } (config hash ${other.hash.slice(0, 12)} vs ${
        settings[0].hash.slice(0, 12)
      }); fix: pass --folds with folds trained on one cache`,
    );
  }
  const models: FoldModel[] = [];
  const dispose = () => models.forEach((m) => m.network.dispose());
  try {
    for (const { fold } of settings) {
      const dir = runFolder(runDir, fractionPercent, fold);
      const { network, config, epoch } = await loadBestNetwork(dir);
      models.push({ fold, runDir: dir, epoch, inputChannels: config.inputChannels, network });
    }
  } catch (error) {
    dispose();
    throw error;
  }
  return {
    runDir,
    fractionPercent,
    models,
    skippedFolds: skippedFolds.sort((a, b) => a.fold - b.fold),
    preprocess: settings[0].config,
    preprocessHash: settings[0].hash,
    trainedBackends: [...new Set(settings.map((s) => s.backend))],
    dispose,
  };
}
