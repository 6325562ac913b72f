/**
 * Grad-CAM maps of the slice encoder's last feature maps A [slices, h', w', E] with respect to
 * a target logit y (the exam logit, or one slice's logit), with the gradients G = dy/dA taken
 * through the whole network (projection, self-attention, BiLSTM, pooling), so a slice's map also
 * says how much that slice drove the decision. Two ways to combine A and G per slice:
 *
 * - `classic` (Selvaraju et al. 2017): channel weights are the spatial mean of G, the map is
 *   ReLU(sum_k weight_k x A_k).
 * - `elementwise` (element-wise Grad-CAM, the paper's Fig. 3): the map is
 *   sum_k ReLU(A_k x G_k), each position weighted by its own gradient, so positive evidence at
 *   one place is not cancelled by negative gradients elsewhere in the slice.
 *
 * Maps are upsampled bilinearly to the slice size and scaled by the exam's largest value, so
 * the maps of one exam's slices compare (0 = no evidence, 1 = the strongest region of the exam).
 * The published code uses Grad-CAM++ on the encoder's attention layers; this works on the
 * convolutional encoder used here.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { createNetwork, gradCam, modelConfigSchema } from "./mod.ts";
 * await tf.setBackend("cpu");
 * const net = createNetwork(modelConfigSchema.parse({}), 0);
 * const maps = gradCam(net, tf.zeros([8, 32, 32, 3])); // classic
 * assert.deepEqual(maps.shape, [8, 32, 32]); // values in [0, 1]
 * const elementwise = gradCam(net, tf.zeros([8, 32, 32, 3]), { mode: "elementwise" });
 * assert.deepEqual(elementwise.shape, [8, 32, 32]);
 * ```
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { type ChannelMode, sliceStackInput } from "../preprocess/model_input.ts";
import type { PreparedExam } from "../preprocess/prepared_exam.ts";
import type { Network } from "./network.ts";

/** How activations and gradients are combined into a map. */
export const camModeSchema = z.enum(["classic", "elementwise"]);
/** `classic` (pooled-gradient channel weights) or `elementwise` (ReLU(A x G) summed). */
export type CamMode = z.infer<typeof camModeSchema>;

/** Options of {@link gradCam}: mode, target logit and encoder chunking. */
export const camOptionsSchema = z.object({
  mode: camModeSchema.default("classic"),
  /** The logit explained: the exam's, or the slice logit of slice `slice` (0-based). */
  target: z.union([
    z.literal("exam"),
    z.object({ slice: z.number().int().min(0) }),
  ]).default("exam"),
  /** Slices per encoder pass (bounds the memory of long exams); 0 = all at once. */
  chunkSlices: z.number().int().min(0).default(64),
});
/** Options of {@link gradCam} (every field optional; defaults: classic, exam, 64). */
export type CamOptions = z.input<typeof camOptionsSchema>;

/**
 * images [slices, h, w, 3] of one exam -> Grad-CAM maps [slices, h, w] in [0, 1], normalised by
 * the exam's maximum (an all-zero map stays zero).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { createNetwork, gradCam, modelConfigSchema } from "./mod.ts";
 * await tf.setBackend("cpu");
 * const net = createNetwork(modelConfigSchema.parse({}), 0);
 * const images = tf.zeros([8, 32, 32, 3]) as tf.Tensor4D;
 * const onSlice = gradCam(net, images, { mode: "elementwise", target: { slice: 3 } });
 * assert.deepEqual(onSlice.shape, [8, 32, 32]);
 * ```
 */
export function gradCam(
  network: Network,
  images: tf.Tensor4D,
  options: CamOptions = {},
): tf.Tensor3D {
  const { mode, target, chunkSlices } = camOptionsSchema.parse(options);
  const [slices, height, width] = images.shape;
  if (target !== "exam" && target.slice >= slices) {
    throw new Error(`gradCam: target slice ${target.slice} of an exam of ${slices} slices`);
  }
  return tf.tidy(() => {
    const maps = encoderMapsInChunks(network, images, chunkSlices); // [slices, h', w', E]
    const logit = (m: tf.Tensor) => {
      const out = network.applyToMaps(m as tf.Tensor4D, 1, false);
      return target === "exam"
        ? tf.sum(out.examLogits)
        : tf.sum(tf.slice(out.sliceLogits, [0, target.slice], [1, 1]));
    };
    const grads = tf.grad(logit)(maps); // [slices, h', w', E]
    const cam = mode === "classic"
      ? tf.relu(tf.sum(tf.mul(maps, tf.mean(grads, [1, 2], true)), 3, true))
      : tf.sum(tf.relu(tf.mul(maps, grads)), 3, true); // [slices, h', w', 1]
    const upsampled = tf.image.resizeBilinear(cam as tf.Tensor4D, [height, width]);
    const scaled = tf.div(upsampled, tf.add(tf.max(upsampled), 1e-12));
    return tf.reshape(scaled, [slices, height, width]) as tf.Tensor3D;
  });
}

/** Encoder maps of `images` computed `chunk` slices at a time (0 = at once), concatenated. */
function encoderMapsInChunks(network: Network, images: tf.Tensor4D, chunk: number): tf.Tensor4D {
  const slices = images.shape[0];
  if (chunk === 0 || slices <= chunk) return network.featureMaps(images);
  const parts: tf.Tensor4D[] = [];
  for (let start = 0; start < slices; start += chunk) {
    const size = Math.min(chunk, slices - start);
    parts.push(network.featureMaps(tf.slice(images, [start, 0, 0, 0], [size, -1, -1, -1])));
  }
  return tf.concat(parts, 0);
}

/**
 * Grad-CAM of a prepared exam: maps [D, H, W] (index (z * H + y) * W + x) in [0, 1], with the
 * model input built as in training (`channels`).
 *
 * @example
 * ```ts
 * import { examGradCam } from "./grad_cam.ts";
 * // const maps = examGradCam(network, exam, "adjacent", { mode: "elementwise" });
 * // Float32Array of D * H * W values
 * ```
 */
export function examGradCam(
  network: Network,
  exam: Pick<PreparedExam, "dims" | "voxels">,
  channels: ChannelMode,
  options: CamOptions = {},
): Float32Array {
  const [depth, height, width] = exam.dims;
  const maps = tf.tidy(() =>
    gradCam(
      network,
      tf.tensor4d(sliceStackInput(exam, channels), [depth, height, width, 3]),
      options,
    )
  );
  const values = Float32Array.from(maps.dataSync());
  maps.dispose();
  return values;
}
