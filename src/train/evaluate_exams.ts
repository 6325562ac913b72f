/**
 * Forward passes without augmentation over a list of exams: the exam probability of each, and
 * the loss of the set (the training loss's formula with the run's labelled-slice masks), which
 * drives early stopping on the validation fold.
 *
 * @example
 * ```ts
 * import { evaluateExams } from "./evaluate_exams.ts";
 * // const { scores, loss } = await evaluateExams(network, source, valExams, masks, config);
 * ```
 */
import * as tf from "@tensorflow/tfjs";
import { examSliceLoss, type Network } from "../model/mod.ts";
import { disposeBatch, type LabelMasks, loadBatch } from "./batch.ts";
import { sliceLossDenominator, type TrainConfig } from "./config.ts";
import type { ExamInfo, ExamSource } from "./exam_source.ts";

/** Probabilities (sigmoid of the exam logit) in the order of `exams`, and the set's loss. */
export interface ExamEvaluation {
  scores: Float64Array;
  /** Per exam, its slices' probabilities [D] (sigmoid of the slice logits), when asked for. */
  sliceScores?: Float32Array[];
  /** w_exam x mean exam BCE + w_slice x mean BCE over labelled slices (term absent if none). */
  loss: number;
}

/**
 * Evaluate `exams` in micro-batches (inference mode: running batch-norm statistics);
 * `withSlices` also keeps every slice's probability.
 */
export async function evaluateExams(
  network: Network,
  source: ExamSource,
  exams: readonly ExamInfo[],
  masks: LabelMasks,
  config: TrainConfig,
  onProgress?: (done: number, total: number) => void,
  withSlices = false,
): Promise<ExamEvaluation> {
  const scores = new Float64Array(exams.length);
  const sliceScores: Float32Array[] = [];
  const labelledCount = sliceLossDenominator(config, exams.map((exam) => masks.of(exam)));
  let loss = 0;
  for (let start = 0; start < exams.length; start += config.microBatchSize) {
    const part = exams.slice(start, start + config.microBatchSize);
    const batch = await loadBatch(
      source,
      part.map((e) => e.examId),
      part.map(() => null),
      masks,
      config,
    );
    const [probabilities, partLoss, slices] = tf.tidy(() => {
      const out = network.apply(batch.images, batch.size, false);
      return [
        tf.sigmoid(out.examLogits),
        examSliceLoss({ ...out, ...batch }, {
          examWeight: config.examLossWeight,
          sliceWeight: config.sliceLossWeight,
          examCount: exams.length,
          labelledCount,
        }),
        withSlices ? tf.sigmoid(out.sliceLogits) : tf.zeros([0]),
      ];
    });
    scores.set(await probabilities.data(), start);
    loss += (await partLoss.data())[0];
    if (withSlices) {
      const values = await slices.data() as Float32Array; // [batch, D]
      const depth = values.length / part.length;
      part.forEach((_, i) => sliceScores.push(values.slice(i * depth, (i + 1) * depth)));
    }
    tf.dispose([probabilities, partLoss, slices]);
    disposeBatch(batch);
    onProgress?.(Math.min(exams.length, start + part.length), exams.length);
  }
  return withSlices ? { scores, loss, sliceScores } : { scores, loss };
}
