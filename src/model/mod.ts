/**
 * Model: the network (slice encoder, self-attention, BiLSTM, slice and exam heads), its loss,
 * augmentation, Adam, checkpoints in the tfjs weights format and Grad-CAM maps. Backend
 * choice lives in `backend.ts`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs";
 * import { createNetwork, modelConfigSchema } from "./mod.ts";
 * await tf.setBackend("cpu"); // or selectBackend() from backend.ts
 * const net = createNetwork(modelConfigSchema.parse({}), 0);
 * const { examLogits } = net.apply(tf.zeros([8, 32, 32, 3]), 1, false);
 * assert.deepEqual(examLogits.shape, [1]);
 * ```
 */
export * from "./config.ts";
export * from "./network.ts";
export * from "./loss.ts";
export * from "./augment.ts";
export * from "./optimizer.ts";
export * from "./checkpoint.ts";
export * from "./grad_cam.ts";
export { ParameterStore } from "./params.ts";
