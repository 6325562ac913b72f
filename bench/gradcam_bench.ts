/**
 * Time of the explainability step for one long exam: Grad-CAM of the exam logit (encoder
 * forward over every slice, gradients through attention and BiLSTM, upsampling) with the
 * default network, then the map carried back to a source grid (`mapToSource`), on a chosen
 * TensorFlow.js backend. Target: a 200-slice exam in under 10 s on CPU (wasm).
 *
 * Usage:
 * ```sh
 * deno run -A bench/gradcam_bench.ts [--backend wasm] [--slices 200] [--side 64] \
 *   [--source-side 512] [--repeat 3] [--threads N]
 * ```
 * Prints one line per mode with the best and median seconds of `--repeat` runs after a warm-up,
 * and the live tensor count before and after (it must not grow).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { parseFlags } from "../src/cli/flags.ts";
import { backendPreferenceSchema, selectBackend } from "../src/model/backend.ts";
import { createNetwork, examGradCam, modelConfigSchema } from "../src/model/mod.ts";
import { mapToSource } from "../src/preprocess/source_map.ts";
import { median } from "./_median.ts";

const number = z.coerce.number();
const flags = parseFlags(
  Deno.args,
  z.object({
    backend: backendPreferenceSchema.default("wasm"),
    slices: number.pipe(z.number().int().min(1)).default(200),
    side: number.pipe(z.number().int().min(16)).default(64),
    sourceSide: number.pipe(z.number().int().min(16)).default(512),
    repeat: number.pipe(z.number().int().min(1)).default(3),
    threads: number.pipe(z.number().int().min(1)).optional(),
  }),
  "gradcam_bench",
);

const backend = await selectBackend(flags.backend, { wasmThreads: flags.threads });
const network = createNetwork(modelConfigSchema.parse({}), 0); // the default (CPU) network
const D = flags.slices, side = flags.side;
const voxels = new Uint8Array(D * side * side).map((_, i) => (i * 2654435761) >>> 24);
const exam = { dims: [D, side, side] as [number, number, number], voxels };
// a source grid of 1.25 x as many slices at --source-side, the VOI covering most of it
const sourceSlices = Math.round(D * 1.25);
const S = flags.sourceSide;
const margin = Math.round(S * 0.1);
const geometry = {
  sourceDims: [sourceSlices, S, S] as [number, number, number],
  voi: {
    z: [10, 10 + D - 1] as [number, number],
    y: [margin, S - margin - 1] as [number, number],
    x: [margin, S - margin - 1] as [number, number],
  },
  crop: { row0: margin, col0: margin, side: S - 2 * margin },
};

console.log(
  `exam ${D} x ${side} x ${side}, default network, backend ${backend.name}; ` +
    `source ${sourceSlices} x ${S} x ${S}`,
);
for (const mode of ["elementwise", "classic"] as const) {
  examGradCam(network, exam, "adjacent", { mode }); // warm-up (kernel compilation, allocation)
  const before = tf.memory().numTensors;
  const camSeconds: number[] = [], mapSeconds: number[] = [];
  for (let r = 0; r < flags.repeat; r++) {
    const t0 = performance.now();
    const cam = examGradCam(network, exam, "adjacent", { mode });
    const t1 = performance.now();
    mapToSource(cam, exam.dims, geometry);
    const t2 = performance.now();
    camSeconds.push((t1 - t0) / 1000);
    mapSeconds.push((t2 - t1) / 1000);
  }
  const total = camSeconds.map((c, i) => c + mapSeconds[i]);
  console.log(
    `${mode}: Grad-CAM best ${Math.min(...camSeconds).toFixed(2)} s, median ${
      median(camSeconds).toFixed(2)
    } s; map to source median ${median(mapSeconds).toFixed(2)} s; total median ${
      median(total).toFixed(2)
    } s; tensors ${before} -> ${tf.memory().numTensors}`,
  );
}
network.dispose();
