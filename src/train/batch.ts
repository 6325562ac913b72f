/**
 * Batches of exams as tensors: images [batch * slices, h, w, 3] (augmented per exam when a
 * seed is given), exam labels [batch], slice labels [batch, slices] and the labelled-slice mask
 * [batch, slices] of the run's label fraction. Exams are read from the source one at a time.
 *
 * @example
 * ```ts
 * import { loadBatch } from "./batch.ts";
 * // const batch = await loadBatch(source, ["1.2.3"], [null], masks, config);
 * // batch.images.shape -> [1 * D, H, W, 3]; disposeBatch(batch) when done
 * ```
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../util/random.ts";
import { labelledSlices } from "../labels/mod.ts";
import { augmentExam } from "../model/mod.ts";
import { sliceStackInput } from "../preprocess/model_input.ts";
import type { PreparedExam } from "../preprocess/prepared_exam.ts";
import type { TrainConfig } from "./config.ts";
import type { ExamInfo, ExamSource } from "./exam_source.ts";

/** The tensors of one batch (owned by the caller: `disposeBatch`). */
export interface ExamBatch {
  /** [batch * slices, h, w, 3] */
  images: tf.Tensor4D;
  /** [batch] */
  examLabels: tf.Tensor1D;
  /** [batch, slices] */
  sliceLabels: tf.Tensor2D;
  /** [batch, slices] */
  sliceMask: tf.Tensor2D;
  size: number;
  /** Labelled slices in the batch (sum of the mask). */
  labelledCount: number;
  /** [D, H, W] shared by every exam of the batch. */
  dims: [number, number, number];
}

/**
 * Labelled-slice masks of a run, computed once per exam and reused every epoch: the run's
 * per-exam rule (`masking`), except for the exams of `allocated` (an allocation of the training
 * exams' labels, train/allocation_masks.ts).
 */
export class LabelMasks {
  private readonly masks: Map<string, Uint8Array>;
  constructor(
    private readonly config: TrainConfig,
    allocated: ReadonlyMap<string, Uint8Array> = new Map(),
  ) {
    this.masks = new Map(allocated);
  }

  /** Mask [D] of `exam` at the run's fraction and strategy. */
  of(exam: ExamInfo): Uint8Array {
    let mask = this.masks.get(exam.examId);
    if (!mask) {
      mask = labelledSlices(exam.sliceCount, this.config.fractionPercent, {
        strategy: this.config.masking,
        seed: this.config.seed,
        examId: exam.examId,
        sourceSliceCount: exam.lungSliceCount,
      });
      this.masks.set(exam.examId, mask);
    }
    return mask;
  }
}

/**
 * Read `examIds` and build their tensors; `augmentSeeds[i]` (or null: no augmentation) seeds
 * exam i's augmentation.
 */
export async function loadBatch(
  source: ExamSource,
  examIds: readonly string[],
  augmentSeeds: readonly (number | null)[],
  masks: LabelMasks,
  config: TrainConfig,
): Promise<ExamBatch> {
  const exams: PreparedExam[] = [];
  for (const examId of examIds) exams.push(await source.read(examId));
  const dims = exams[0].dims;
  const [depth] = dims;
  for (const exam of exams) {
    if (exam.dims.join("x") !== dims.join("x")) {
      throw new Error(
        `${source.name}: exam '${exam.examId}' has dims ${exam.dims.join("x")} but '${
          exams[0].examId
        }' has ${dims.join("x")}; fix: prepare every exam of the cache with one volume size`,
      );
    }
    if (exam.sliceLabels.length !== depth) {
      throw new Error(
        `${source.name}: exam '${exam.examId}' has ${exam.sliceLabels.length} slice labels for ${depth} slices; fix: rebuild the cache`,
      );
    }
  }
  const sliceLabels = new Float32Array(exams.length * depth);
  const sliceMask = new Float32Array(exams.length * depth);
  let labelledCount = 0;
  exams.forEach((exam, i) => {
    const mask = masks.of({ ...exam, sliceCount: depth });
    for (let z = 0; z < depth; z++) {
      sliceLabels[i * depth + z] = exam.sliceLabels[z];
      sliceMask[i * depth + z] = mask[z];
      labelledCount += mask[z];
    }
  });
  const images = tf.tidy(() =>
    tf.concat(
      exams.map((exam, i) => {
        const [d, h, w] = exam.dims;
        const x = tf.tensor4d(sliceStackInput(exam, config.inputChannels), [d, h, w, 3]);
        const seed = augmentSeeds[i];
        return seed === null ? x : augmentExam(x, config.augmentation, new Rng(seed));
      }),
      0,
    ) as tf.Tensor4D
  );
  return {
    images,
    examLabels: tf.tensor1d(exams.map((exam) => exam.examLabel)),
    sliceLabels: tf.tensor2d(sliceLabels, [exams.length, depth]),
    sliceMask: tf.tensor2d(sliceMask, [exams.length, depth]),
    size: exams.length,
    labelledCount,
    dims,
  };
}

/** Free a batch's tensors. */
export function disposeBatch(batch: ExamBatch): void {
  tf.dispose([batch.images, batch.examLabels, batch.sliceLabels, batch.sliceMask]);
}
