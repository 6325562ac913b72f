/**
 * The best network of a finished (or interrupted) run folder: its configuration from
 * state.json and the weights of best-weights.json, ready for prediction or Grad-CAM.
 *
 * @example
 * ```ts ignore
 * import { loadBestNetwork } from "./best_network.ts";
 * const { network, config } = await loadBestNetwork("runs/x/fraction-2.5/fold-0");
 * // network.apply(images, 1, false) ... network.dispose()
 * ```
 */
import { join } from "node:path";
import { createNetwork, loadWeightsInto, type Network } from "../model/mod.ts";
import { type TrainConfig, trainConfigSchema } from "./config.ts";
import { readRunState, runStatePath } from "./run_folder.ts";

/** Load the best checkpoint of `runDir` into a new network (the caller disposes it). */
export async function loadBestNetwork(
  runDir: string,
): Promise<{ network: Network; config: TrainConfig; epoch: number }> {
  const fix = "give a run folder written by `deno task train`";
  const state = await readRunState(runDir, fix);
  if (state === null) {
    throw new Error(
      `${runStatePath(runDir)}: cannot read the run state (no such file); fix: ${fix}`,
    );
  }
  if (state.best === null) {
    throw new Error(`${runDir}: no finished epoch yet; fix: train the run first`);
  }
  const config = trainConfigSchema.parse(state.config);
  const network = createNetwork(config.model, 0);
  try {
    await loadWeightsInto(network.params, join(runDir, "best-weights.json"));
  } catch (error) {
    network.dispose();
    throw error;
  }
  return { network, config, epoch: state.best.epoch };
}
