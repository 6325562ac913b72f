import assert from "node:assert/strict";
import { updateEarlyStopping } from "../../src/train/mod.ts";

Deno.test("early stopping: stops after `patience` epochs without a lower validation loss", () => {
  const run = (losses: number[], patience: number, minEpochs: number, epochs = 30) => {
    let s = {
      bestValLoss: null as number | null,
      epochsWithoutImprovement: 0,
      stoppedEarly: false,
    };
    const stops: boolean[] = [];
    losses.forEach((loss, i) => {
      s = updateEarlyStopping(s, loss, i + 1, { patience, minEpochs, epochs });
      stops.push(s.stoppedEarly);
    });
    return { s, stops };
  };
  // best 0.4 at epoch 2; epochs 3, 4 do not improve -> stop at epoch 4 with patience 2
  assert.deepEqual(run([0.5, 0.4, 0.45, 0.46], 2, 0).stops, [false, false, false, true]);
  // an equal loss is no improvement; a lower one resets the count
  assert.deepEqual(run([0.5, 0.5, 0.3, 0.31], 2, 0).stops, [false, false, false, false]);
  assert.equal(run([0.5, 0.5, 0.3, 0.31], 2, 0).s.epochsWithoutImprovement, 1);
  // never before minEpochs
  assert.deepEqual(run([0.5, 0.6, 0.7, 0.8], 1, 3).stops, [false, false, true, true]);
  // the last epoch of the budget is not an early stop, even with the criterion met
  assert.deepEqual(run([0.5, 0.6, 0.7, 0.8], 1, 4, 4).stops, [false, false, false, false]);
  assert.deepEqual(run([0.5, 0.6, 0.7, 0.8], 1, 0, 4).stops, [false, true, true, false]);
});
