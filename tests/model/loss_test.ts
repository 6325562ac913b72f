import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { bceWithLogits, examSliceLoss } from "../../src/model/mod.ts";
import { sliceLossDenominator } from "../../src/train/config.ts";

await tf.setBackend("cpu");

const close = (actual: number, expected: number, tol = 1e-5) =>
  assert.ok(Math.abs(actual - expected) < tol, `${actual} != ${expected}`);

Deno.test("BCE with logits matches -[y log s(x) + (1 - y) log(1 - s(x))], also for large |x|", () => {
  // ln 2; ln(1 + e^2) = 2.1269280; ln(1 + e^3) = 3.0485874; ln(1 + e^-1.5) = 0.2014133
  const values = bceWithLogits(
    tf.tensor1d([0, 2, -3, 1.5, 80, -80]),
    tf.tensor1d([1, 0, 1, 1, 0, 0]),
  )
    .dataSync();
  [Math.LN2, 2.1269280, 3.0485874, 0.2014133, 80, 0].forEach((v, i) => close(values[i], v, 1e-4));
  assert.ok([...values].every(Number.isFinite));
});

/** Two exams of three slices; three slices labelled (mask), the first exam's two. */
function twoExams() {
  return {
    examLogits: tf.tensor1d([0, 2]),
    examLabels: tf.tensor1d([1, 0]),
    sliceLogits: tf.tensor2d([[0, -3, 5], [1.5, 0, 0]]),
    sliceLabels: tf.tensor2d([[1, 1, 1], [1, 0, 0]]),
    sliceMask: tf.tensor2d([[1, 1, 0], [1, 0, 0]]),
  };
}

Deno.test("loss = w_exam x mean exam BCE + w_slice x mean BCE over labelled slices", () => {
  const inputs = twoExams();
  // exam: (ln 2 + 2.1269280) / 2 = 1.4100376; slices (labelled: 0|1, -3|1, 1.5|1):
  // (0.6931472 + 3.0485874 + 0.2014133) / 3 = 1.3143826
  const loss = examSliceLoss(inputs, { examWeight: 0.05, sliceWeight: 0.95 }).dataSync()[0];
  close(loss, 0.05 * 1.4100376 + 0.95 * 1.3143826);
  // accumulation: denominators of a larger batch
  const part = examSliceLoss(inputs, {
    examWeight: 1,
    sliceWeight: 1,
    examCount: 4,
    labelledCount: 6,
  }).dataSync()[0];
  close(part, (Math.LN2 + 2.1269280) / 4 + (0.6931472 + 3.0485874 + 0.2014133) / 6);
});

Deno.test("fraction 0: no labelled slice gives the exam term alone, never NaN", () => {
  const loss = examSliceLoss({
    examLogits: tf.tensor1d([0]),
    examLabels: tf.tensor1d([1]),
    sliceLogits: tf.tensor2d([[1, 2]]),
    sliceLabels: tf.tensor2d([[1, 0]]),
    sliceMask: tf.zeros([1, 2]) as tf.Tensor2D,
  }, { examWeight: 0.05, sliceWeight: 0.95 }).dataSync()[0];
  close(loss, 0.05 * Math.LN2);
});

Deno.test("sliceLossMean 'all': the slice mean is taken over every slice, so it shrinks with the fraction", () => {
  const masks = [Uint8Array.of(1, 1, 0), Uint8Array.of(1, 0, 0)];
  assert.equal(sliceLossDenominator({ sliceLossMean: "labelled" }, masks), 3);
  assert.equal(sliceLossDenominator({ sliceLossMean: "all" }, masks), 6);
  assert.equal(sliceLossDenominator({ sliceLossMean: "all" }, [Uint8Array.of(0, 0)]), 2);
  // the same inputs as above: (0.6931472 + 3.0485874 + 0.2014133) summed over 3 labelled of 6
  const inputs = twoExams();
  const loss = examSliceLoss(inputs, {
    examWeight: 0.05,
    sliceWeight: 0.95,
    labelledCount: sliceLossDenominator({ sliceLossMean: "all" }, masks),
  }).dataSync()[0];
  close(loss, 0.05 * 1.4100376 + 0.95 * (0.6931472 + 3.0485874 + 0.2014133) / 6);
  // no labelled slice: the slice term is 0 (no NaN), the exam term alone remains
  const none = examSliceLoss({ ...inputs, sliceMask: tf.zeros([2, 3]) as tf.Tensor2D }, {
    examWeight: 0.05,
    sliceWeight: 0.95,
    labelledCount: 6,
  }).dataSync()[0];
  close(none, 0.05 * 1.4100376);
});
