import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../src/model/backend.ts";
import {
  benchBatch,
  benchOptimizer,
  benchTrainStep,
  benchWeights,
} from "../../bench/train_throughput.ts";

/** Losses of `steps` Adam steps of the benchmark model on a fixed small batch. */
async function trainingLosses(steps: number): Promise<number[]> {
  const batch = benchBatch(0, { exams: 2, slices: 6, side: 16 });
  const weights = benchWeights(1);
  const optimizer = benchOptimizer(weights);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) losses.push(await benchTrainStep(batch, weights, optimizer));
  optimizer.dispose();
  tf.dispose([batch, weights as never]);
  return losses;
}

Deno.test({
  name: "benchmark model trains with the same losses on wasm (fast kernels) as on cpu",
  // The threaded wasm build keeps its (idle, unref'd) pthread workers for the process.
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    await selectBackend("cpu");
    const reference = await trainingLosses(3);
    const chosen = await selectBackend("wasm", { wasmThreads: 2 }); // threaded build too
    assert.equal(chosen.name, "wasm");
    const fast = await trainingLosses(3);
    // the losses must move, or equal losses would prove nothing about the gradients
    assert.ok(Math.abs(reference[2] - reference[0]) > 1e-3, `losses did not move: ${reference}`);
    for (let i = 0; i < reference.length; i++) {
      const relative = Math.abs(fast[i] - reference[i]) / Math.abs(reference[i]);
      assert.ok(
        relative <= 1e-4,
        `step ${i}: wasm loss ${fast[i]} vs cpu ${reference[i]} (relative ${relative})`,
      );
    }
  },
});
