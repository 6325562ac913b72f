/**
 * The model's per-slice input, made when reading (never stored three times): for each slice z
 * of a prepared exam, 3 channels from slices (z - 1, z, z + 1) with the edges replicated
 * ("adjacent"), or slice z three times ("repeat", as in the published code). Values are the
 * stored bytes / 255, in [0, 1].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sliceStackInput } from "./model_input.ts";
 * const exam = { dims: [2, 1, 1] as [number, number, number], voxels: new Uint8Array([0, 255]) };
 * // [D, H, W, 3]: slice 0 sees slices 0 (edge replicated), 0, 1
 * assert.deepEqual(Array.from(sliceStackInput(exam, "adjacent")), [0, 0, 1, 0, 1, 1]);
 * ```
 */
import { z } from "zod";
import type { PreparedExam } from "./prepared_exam.ts";

/** How the 3 input channels of a slice are made. */
export const channelModeSchema = z.enum(["adjacent", "repeat"]);
/** How the 3 input channels of a slice are made. */
export type ChannelMode = z.infer<typeof channelModeSchema>;

/**
 * Fill `out` (shape [D, H, W, 3], NHWC per slice) with the exam's model input; allocates when
 * `out` is omitted. Training calls it per batch and can reuse one buffer.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sliceStackInput } from "./model_input.ts";
 * const exam = { dims: [2, 1, 1] as [number, number, number], voxels: new Uint8Array([0, 255]) };
 * const [D, H, W] = exam.dims;
 * const buffer = new Float32Array(D * H * W * 3);
 * sliceStackInput(exam, "repeat", buffer); // buffer[((z * H + y) * W + x) * 3 + c]
 * assert.deepEqual(Array.from(buffer), [0, 0, 0, 1, 1, 1]);
 * ```
 */
export function sliceStackInput(
  exam: Pick<PreparedExam, "dims" | "voxels">,
  channels: ChannelMode,
  out?: Float32Array,
): Float32Array {
  const [D, H, W] = exam.dims;
  const plane = H * W;
  const target = out ?? new Float32Array(D * plane * 3);
  if (target.length !== D * plane * 3) {
    throw new Error(
      `sliceStackInput: buffer holds ${target.length} values, ${D * plane * 3} needed`,
    );
  }
  const scale = 1 / 255;
  const voxels = exam.voxels;
  for (let z = 0; z < D; z++) {
    const below = channels === "adjacent" ? Math.max(0, z - 1) * plane : z * plane;
    const above = channels === "adjacent" ? Math.min(D - 1, z + 1) * plane : z * plane;
    const here = z * plane;
    let o = z * plane * 3;
    for (let i = 0; i < plane; i++) {
      target[o++] = voxels[below + i] * scale;
      target[o++] = voxels[here + i] * scale;
      target[o++] = voxels[above + i] * scale;
    }
  }
  return target;
}
