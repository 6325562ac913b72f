/**
 * Where a trained network looks in one prepared exam, on the exam's own source voxels: the
 * Grad-CAM of the exam logit on the model's grid, carried back through the resampling and the
 * lung-VOI crop (`mapToSource`), with the region of source voxels the model saw. Needs nothing
 * but the prepared-exam cache, so it serves real data as well as the synthetic phantom (whose
 * truth comparison is `phantom_truth.ts`).
 *
 * @example
 * ```ts ignore
 * import { loadBestNetwork } from "../train/best_network.ts";
 * import { sourceGradCam } from "./source_cam.ts";
 * const { network, config } = await loadBestNetwork("runs/demo/fraction-27.5/fold-0");
 * const cam = await sourceGradCam(network, config, "cache/demo", "1.2.3", "elementwise");
 * console.log(cam.probability, cam.sourceDims, cam.voiSlices.filter((v) => v).length);
 * network.dispose();
 * ```
 */
import * as tf from "@tensorflow/tfjs";
import { type CamMode, gradCam, type Network } from "../model/mod.ts";
import { readExamSidecar, readPreparedExam } from "../preprocess/cache.ts";
import { sliceStackInput } from "../preprocess/model_input.ts";
import type { PreparedExam } from "../preprocess/prepared_exam.ts";
import { mapToSource } from "../preprocess/source_map.ts";
import type { TrainConfig } from "../train/config.ts";

/** The Grad-CAM of one prepared exam on its source grid [slices, rows, cols]. */
export interface SourceCam {
  /** The prepared exam (model grid, labels, split). */
  exam: PreparedExam;
  /** Exam probability (sigmoid of the exam logit). */
  probability: number;
  /** [slices, rows, cols] of the source series. */
  sourceDims: [number, number, number];
  /** Grad-CAM on the source voxels, 0 where the model saw nothing. */
  cam: Float32Array;
  /** 1 on the source voxels the model saw (the resampled lung VOI), else 0. */
  region: Float32Array;
  /** [slice] 1 for the source slices inside the lung VOI. */
  voiSlices: Uint8Array;
}

/**
 * Grad-CAM (`mode`) of prepared exam `examId` of `cacheDir` by `network`, on the source voxels.
 *
 * @example
 * ```ts ignore
 * import { sourceGradCam } from "./source_cam.ts";
 * const { cam, region } = await sourceGradCam(network, config, "cache/demo", examId, "classic");
 * ```
 */
export async function sourceGradCam(
  network: Network,
  config: Pick<TrainConfig, "inputChannels">,
  cacheDir: string,
  examId: string,
  mode: CamMode,
): Promise<SourceCam> {
  const sidecar = await readExamSidecar(cacheDir, examId);
  const exam = await readPreparedExam(cacheDir, examId);
  const [D, H, W] = exam.dims;
  const [cam, score] = tf.tidy(() => {
    const images = tf.tensor4d(sliceStackInput(exam, config.inputChannels), [D, H, W, 3]);
    const probability = tf.sigmoid(network.apply(images, 1, false).examLogits);
    return [gradCam(network, images, { mode }), probability];
  });
  const camGrid = Float32Array.from(await cam.data());
  const probability = (await score.data())[0];
  tf.dispose([cam, score]);
  const { record } = sidecar;
  const [slices] = record.sourceDims;
  return {
    exam,
    probability,
    sourceDims: record.sourceDims,
    cam: mapToSource(camGrid, exam.dims, record),
    region: mapToSource(new Float32Array(D * H * W).fill(1), exam.dims, record),
    voiSlices: Uint8Array.from(
      { length: slices },
      (_, k) => (k >= record.voi.z[0] && k <= record.voi.z[1] ? 1 : 0),
    ),
  };
}
