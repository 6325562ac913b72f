/**
 * Grad-CAM (Selvaraju et al. 2017) of the exam logit on the slice encoder's last feature maps:
 * for each slice, the channel weights are the spatial mean of d(exam logit)/d(maps), the map
 * is ReLU(sum_k weight_k x map_k), upsampled bilinearly to the slice size and scaled by the
 * exam's largest value, so maps of different slices of one exam compare (0 = no evidence,
 * 1 = the strongest region of the exam). Gradients flow through the attention and BiLSTM, so
 * a slice's map also says how much that slice drove the exam decision.
 *
 * The published code uses Grad-CAM++ on the encoder's attention layers; this is the plain
 * Grad-CAM of the method's figure, on the convolutional encoder used here.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { createNetwork, gradCam, modelConfigSchema } from "./mod.ts";
 * const net = createNetwork(modelConfigSchema.parse({}), 0);
 * const maps = gradCam(net, tf.zeros([8, 32, 32, 3])); // [8, 32, 32] in [0, 1]
 * ```
 */
import * as tf from "@tensorflow/tfjs";
import { type ChannelMode, sliceStackInput } from "../preprocess/model_input.ts";
import type { PreparedExam } from "../preprocess/prepared_exam.ts";
import type { Network } from "./network.ts";

/** images [slices, h, w, 3] of one exam -> Grad-CAM maps [slices, h, w] in [0, 1]. */
export function gradCam(network: Network, images: tf.Tensor4D): tf.Tensor3D {
  const [slices, height, width] = images.shape;
  return tf.tidy(() => {
    const maps = network.featureMaps(images); // [slices, h', w', E]
    const examLogit = (m: tf.Tensor) =>
      tf.sum(network.applyToMaps(m as tf.Tensor4D, 1, false).examLogits);
    const grads = tf.grad(examLogit)(maps); // [slices, h', w', E]
    const weights = tf.mean(grads, [1, 2], true); // [slices, 1, 1, E]
    const cam = tf.relu(tf.sum(tf.mul(maps, weights), 3, true)); // [slices, h', w', 1]
    const upsampled = tf.image.resizeBilinear(cam as tf.Tensor4D, [height, width]);
    const scaled = tf.div(upsampled, tf.add(tf.max(upsampled), 1e-12));
    return tf.reshape(scaled, [slices, height, width]) as tf.Tensor3D;
  });
}

/**
 * Grad-CAM of a prepared exam: maps [D, H, W] (index (z * H + y) * W + x) in [0, 1], with the
 * model input built as in training (`channels`).
 *
 * @example
 * ```ts
 * import { examGradCam } from "./grad_cam.ts";
 * // const maps = examGradCam(network, exam, "adjacent"); // Float32Array, D * H * W values
 * ```
 */
export function examGradCam(
  network: Network,
  exam: Pick<PreparedExam, "dims" | "voxels">,
  channels: ChannelMode,
): Float32Array {
  const [depth, height, width] = exam.dims;
  const maps = tf.tidy(() =>
    gradCam(network, tf.tensor4d(sliceStackInput(exam, channels), [depth, height, width, 3]))
  );
  const values = Float32Array.from(maps.dataSync());
  maps.dispose();
  return values;
}
