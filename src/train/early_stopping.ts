/**
 * Early stopping on the validation loss: the run stops when the loss has not improved for
 * `patience` epochs in a row (and at least `minEpochs` epochs are done). A run that reaches its
 * last epoch (`epochs`) has not stopped early, whatever its loss did.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type EarlyStopping, updateEarlyStopping } from "./early_stopping.ts";
 * let s: EarlyStopping = { bestValLoss: null, epochsWithoutImprovement: 0, stoppedEarly: false };
 * for (const [epoch, loss] of [0.5, 0.4, 0.45, 0.46].entries()) {
 *   s = updateEarlyStopping(s, loss, epoch + 1, { patience: 2, minEpochs: 0, epochs: 30 });
 * }
 * assert.equal(s.stoppedEarly, true); // epochs 3 and 4 did not beat 0.4
 * ```
 */

/** Early-stopping bookkeeping (part of a run's state). */
export interface EarlyStopping {
  bestValLoss: number | null;
  epochsWithoutImprovement: number;
  stoppedEarly: boolean;
}

/** The bookkeeping after an epoch with validation loss `valLoss` (`epochsDone` counts it). */
export function updateEarlyStopping(
  current: EarlyStopping,
  valLoss: number,
  epochsDone: number,
  options: { patience: number; minEpochs: number; epochs: number },
): EarlyStopping {
  const improved = current.bestValLoss === null || valLoss < current.bestValLoss;
  const epochsWithoutImprovement = improved ? 0 : current.epochsWithoutImprovement + 1;
  return {
    bestValLoss: improved ? valLoss : current.bestValLoss,
    epochsWithoutImprovement,
    stoppedEarly: epochsDone >= options.minEpochs && epochsDone < options.epochs &&
      epochsWithoutImprovement >= options.patience,
  };
}
