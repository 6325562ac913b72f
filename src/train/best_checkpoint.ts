/**
 * Which epoch's network a run keeps (method.md, Training): the one with the highest validation
 * AUC; when the validation fold holds one class only (no AUC), the one with the lowest validation
 * loss. An epoch must beat the best so far, so a tie keeps the earlier epoch.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bestCheckpoint } from "./best_checkpoint.ts";
 * const epoch = (n: number, valLoss: number, valAuc: number) => ({
 *   epoch: n, loss: 0.5, valLoss, valAuc, learningRate: 1e-3, seconds: 1, examsPerSecond: 10,
 * });
 * let best = bestCheckpoint(null, epoch(1, 0.40, 0.70));
 * best = bestCheckpoint(best, epoch(2, 0.30, 0.65)); // lower loss, lower AUC: not kept
 * assert.deepEqual(best, { epoch: 1, metric: "auc", value: 0.70 });
 * ```
 */
import type { BestCheckpoint, EpochLog } from "./run_folder.ts";

/**
 * The best checkpoint after the epoch of `log`: `best` when the epoch does not beat it, else the
 * epoch (metric `auc` with its validation AUC, or `loss` with minus its validation loss when the
 * epoch has no AUC).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bestCheckpoint } from "./best_checkpoint.ts";
 * const log = { epoch: 3, loss: 0.5, valLoss: 0.25, valAuc: null, learningRate: 1e-3,
 *   seconds: 1, examsPerSecond: 10 };
 * assert.deepEqual(bestCheckpoint(null, log), { epoch: 3, metric: "loss", value: -0.25 });
 * ```
 */
export function bestCheckpoint(best: BestCheckpoint | null, log: EpochLog): BestCheckpoint {
  const candidate: BestCheckpoint = log.valAuc === null
    ? { epoch: log.epoch, metric: "loss", value: -log.valLoss }
    : { epoch: log.epoch, metric: "auc", value: log.valAuc };
  return best === null || candidate.value > best.value ? candidate : best;
}
