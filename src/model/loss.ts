/**
 * The training loss: w_exam x BCE(exam) + w_slice x mean BCE over the labelled slices of the
 * batch, with binary cross-entropy computed from logits in the stable form
 * max(x, 0) - x y + log(1 + exp(-|x|)). With no labelled slice in the batch (fraction 0) the
 * slice term is absent, never 0/0.
 *
 * For gradient accumulation the means can be taken over a larger batch than the one passed:
 * `examCount` and `labelledCount` give the denominators of the whole batch, so the summed
 * gradients of the parts equal the gradient of the whole.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { examSliceLoss } from "./loss.ts";
 * const loss = examSliceLoss({
 *   examLogits: tf.tensor1d([0]), examLabels: tf.tensor1d([1]),
 *   sliceLogits: tf.tensor2d([[0, 0]]), sliceLabels: tf.tensor2d([[1, 0]]),
 *   sliceMask: tf.tensor2d([[1, 0]]),
 * }, { examWeight: 0.05, sliceWeight: 0.95 });
 * loss.dataSync()[0]; // log 2 = 0.693
 * ```
 */
import * as tf from "@tensorflow/tfjs";

/** Logits and targets of one (part of a) batch. */
export interface LossInputs {
  /** [batch] */
  examLogits: tf.Tensor1D;
  /** [batch], 0 or 1 */
  examLabels: tf.Tensor1D;
  /** [batch, slices] */
  sliceLogits: tf.Tensor2D;
  /** [batch, slices], 0 or 1 */
  sliceLabels: tf.Tensor2D;
  /** [batch, slices], 1 where the slice label is kept */
  sliceMask: tf.Tensor2D;
}

/** Loss weights and the denominators of the whole batch (default: this part's own counts). */
export interface LossOptions {
  examWeight: number;
  sliceWeight: number;
  examCount?: number;
  /**
   * Denominator of the slice mean: the labelled slices of the whole batch (the method), or all
   * of its slices where training asks for that (`sliceLossMean: "all"`). 0 = no slice term.
   */
  labelledCount?: number;
}

/**
 * Element-wise binary cross-entropy from logits, stable for large |x|.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { bceWithLogits } from "./loss.ts";
 * assert.equal(bceWithLogits(tf.tensor1d([100]), tf.tensor1d([0])).dataSync()[0], 100);
 * ```
 */
export function bceWithLogits<T extends tf.Tensor>(logits: T, labels: T): T {
  return tf.tidy(() =>
    tf.add(
      tf.sub(tf.relu(logits), tf.mul(logits, labels)),
      tf.log1p(tf.exp(tf.neg(tf.abs(logits)))),
    ) as T
  );
}

/** Weighted exam + slice loss, a scalar. */
export function examSliceLoss(inputs: LossInputs, options: LossOptions): tf.Scalar {
  return tf.tidy(() => {
    const examCount = options.examCount ?? inputs.examLogits.shape[0];
    const examTerm = tf.div(
      tf.sum(bceWithLogits(inputs.examLogits, inputs.examLabels)),
      examCount,
    );
    let loss: tf.Scalar = tf.mul(examTerm, options.examWeight);
    const labelledCount = options.labelledCount ?? tf.sum(inputs.sliceMask).dataSync()[0];
    if (labelledCount > 0 && options.sliceWeight > 0) {
      const sliceTerm = tf.div(
        tf.sum(tf.mul(bceWithLogits(inputs.sliceLogits, inputs.sliceLabels), inputs.sliceMask)),
        labelledCount,
      );
      loss = tf.add(loss, tf.mul(sliceTerm, options.sliceWeight));
    }
    return loss;
  });
}
