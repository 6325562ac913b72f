/**
 * Training and inference throughput (exams/s) of the benchmark model on a TensorFlow.js
 * backend, next to the PyTorch CPU figure from ../shared/bench/torch_peer.py run in the same
 * command on the same machine.
 *
 * The model is the one torch_peer.py defines: four 3x3 stride-2 convs (16/32/64/128, ReLU), global
 * average pooling, a bidirectional LSTM (64 per direction), a slice head and an attention-pooled
 * exam head; batch 4 exams x 32 slices x 64x64x3; Adam (lr 1e-3); loss = exam BCE + slice BCE
 * masked by each exam's length.
 *
 * Usage:
 * ```sh
 * deno run -A bench/train_throughput.ts --backend wasm [--steps 20] [--warmup 3] [--threads N]
 *   [--peer-threads 2] [--mode both|train|infer] [--no-peer] [--profile]
 * ```
 * The last line is `ratio: X` (TF.js training exams/s divided by PyTorch's).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { parseFlags } from "../src/cli/flags.ts";
import { backendPreferenceSchema, selectBackend } from "../src/model/backend.ts";
import { lstmRecurrence } from "../src/model/layers.ts";
import { Adam } from "../src/model/optimizer.ts";

/** Benchmark sizes, as in torch_peer.py: exams, slices per exam, slice side, channels, LSTM. */
export const BENCH = { exams: 4, slices: 32, side: 64, channels: 3, hidden: 64 } as const;
const CONV_CHANNELS = [3, 16, 32, 64, 128];
const EXAM_LENGTHS = [24, 28, 32, 20];

/** Trainable weights of the benchmark model. */
export type BenchWeights = {
  convKernels: tf.Variable<tf.Rank.R4>[]; // [3, 3, inC, outC]
  convBiases: tf.Variable<tf.Rank.R1>[]; // [outC]
  /** [128, 8H]; column blocks of H: i f g o of the forward direction, then of the backward */
  lstmInput: tf.Variable<tf.Rank.R2>;
  lstmBias: tf.Variable<tf.Rank.R2>; // [1, 8H], same column order
  lstmRecurrentForward: tf.Variable<tf.Rank.R2>; // [H, 4H]
  lstmRecurrentBackward: tf.Variable<tf.Rank.R2>; // [H, 4H]
  sliceHead: tf.Variable<tf.Rank.R2>; // [2H, 1]
  sliceBias: tf.Variable<tf.Rank.R1>; // [1]
  attention: tf.Variable<tf.Rank.R2>; // [2H, 1]
  examHead: tf.Variable<tf.Rank.R2>; // [2H, 1]
  examBias: tf.Variable<tf.Rank.R1>; // [1]
};

/** A fixed batch: inputs and targets. */
export type BenchBatch = {
  slices: tf.Tensor4D; // [exams * slices, side, side, channels]
  sliceLabels: tf.Tensor2D; // [exams, slices]
  sliceMask: tf.Tensor2D; // [exams, slices]: 1 inside each exam's length
  examLabels: tf.Tensor1D; // [exams]
};

/** Uniform(-a, a) weights with a = sqrt(1 / fanIn), seeded. */
function uniformWeights<R extends tf.Rank>(shape: number[], fanIn: number, seed: number) {
  const a = Math.sqrt(1 / fanIn);
  const initial: tf.Tensor = tf.randomUniform(shape, -a, a, "float32", seed);
  return tf.variable(initial) as tf.Variable<R>;
}

/**
 * Seeded weights of the benchmark model (same shapes as torch_peer.py's Net).
 *
 * @example
 * ```ts
 * const weights = benchWeights(0);
 * // weights.convKernels[0].shape = [3, 3, 3, 16]
 * ```
 */
export function benchWeights(seed: number): BenchWeights {
  const h = BENCH.hidden;
  const convKernels = [];
  const convBiases = [];
  for (let i = 0; i < 4; i++) {
    const fanIn = 9 * CONV_CHANNELS[i];
    convKernels.push(
      uniformWeights<tf.Rank.R4>([3, 3, CONV_CHANNELS[i], CONV_CHANNELS[i + 1]], fanIn, seed + i),
    );
    convBiases.push(uniformWeights<tf.Rank.R1>([CONV_CHANNELS[i + 1]], fanIn, seed + 10 + i));
  }
  return {
    convKernels,
    convBiases,
    lstmInput: uniformWeights([128, 8 * h], h, seed + 20),
    lstmBias: uniformWeights([1, 8 * h], h, seed + 21),
    lstmRecurrentForward: uniformWeights([h, 4 * h], h, seed + 22),
    lstmRecurrentBackward: uniformWeights([h, 4 * h], h, seed + 28),
    sliceHead: uniformWeights([2 * h, 1], 2 * h, seed + 23),
    sliceBias: uniformWeights([1], 2 * h, seed + 24),
    attention: uniformWeights([2 * h, 1], 2 * h, seed + 25),
    examHead: uniformWeights([2 * h, 1], 2 * h, seed + 26),
    examBias: uniformWeights([1], 2 * h, seed + 27),
  };
}

/** Batch sizes: exams, slices per exam, slice side (defaults: the benchmark's). */
export type BatchSize = { exams: number; slices: number; side: number };

/**
 * The fixed benchmark batch (seeded), as torch_peer.py builds it. Smaller sizes keep the same
 * structure (exam lengths scaled to the slice count) for tests on slow backends.
 *
 * @example
 * ```ts
 * const batch = benchBatch(0); // batch.slices.shape = [128, 64, 64, 3]
 * const small = benchBatch(0, { exams: 2, slices: 8, side: 32 });
 * ```
 */
export function benchBatch(seed: number, size: BatchSize = BENCH): BenchBatch {
  const { exams, slices, side } = size;
  const channels = BENCH.channels;
  return tf.tidy(() => {
    const mask = new Float32Array(exams * slices);
    for (let e = 0; e < exams; e++) {
      const length = Math.round(EXAM_LENGTHS[e % EXAM_LENGTHS.length] * slices / BENCH.slices);
      mask.fill(1, e * slices, e * slices + length);
    }
    return {
      slices: tf.randomUniform([exams * slices, side, side, channels], 0, 1, "float32", seed),
      sliceLabels: tf.randomUniform([exams, slices], 0, 1, "float32", seed + 1).greater(0.7)
        .toFloat() as tf.Tensor2D,
      sliceMask: tf.tensor2d(mask, [exams, slices]),
      examLabels: tf.tensor1d(Array.from({ length: exams }, (_, e) => (e + 1) % 2)),
    };
  });
}

/** 1 where a column of the interleaved gate layout belongs to the forward direction. */
/**
 * Bidirectional LSTM over [exams, slices, 128]: the input projections of both directions as one
 * matMul, then each direction's recurrence with the project's `lstmRecurrence` (one fused
 * kernel per direction on wasm). Returns [exams, slices, 2H] (forward outputs, then backward).
 */
function biLstm(features: tf.Tensor3D, w: BenchWeights): tf.Tensor3D {
  const [exams, slices] = features.shape;
  const h = BENCH.hidden;
  const projected = tf.matMul(features.reshape([exams * slices, 128]), w.lstmInput)
    .add(w.lstmBias).reshape([exams, slices, 8 * h]);
  const [forward, backward] = tf.split(projected, 2, 2) as tf.Tensor3D[];
  return tf.concat([
    lstmRecurrence(forward, w.lstmRecurrentForward, false),
    lstmRecurrence(backward, w.lstmRecurrentBackward, true),
  ], 2) as tf.Tensor3D;
}

/**
 * Forward pass: slice logits [exams, slices] and exam logits [exams].
 *
 * @example
 * ```ts
 * const { sliceLogits, examLogits } = benchForward(benchBatch(0).slices, 4, benchWeights(0));
 * ```
 */
export function benchForward(
  slices: tf.Tensor4D,
  exams: number,
  w: BenchWeights,
  training = false,
): { sliceLogits: tf.Tensor2D; examLogits: tf.Tensor1D } {
  const hidden = BENCH.hidden;
  const perExam = slices.shape[0] / exams;
  let x: tf.Tensor4D = slices;
  for (let i = 0; i < 4; i++) {
    const conv = { x, filter: w.convKernels[i], strides: 2, pad: "same" as const };
    if (!training) {
      x = tf.fused.conv2d({ ...conv, bias: w.convBiases[i], activation: "relu" });
    } else if (i === 0) {
      // The fused op's gradient always computes the input gradient, which the data never needs.
      x = tf.relu(tf.conv2d(x, w.convKernels[i], 2, "same").add(w.convBiases[i]));
    } else {
      // tfjs fuses an activation only outside gradient recording: conv + bias fused, ReLU apart.
      x = tf.relu(tf.fused.conv2d({ ...conv, bias: w.convBiases[i] }));
    }
  }
  const features = tf.mean(x, [1, 2]).reshape([exams, perExam, 128]) as tf.Tensor3D;
  const sequence = biLstm(features, w); // [exams, slices, 2H]
  const flat = sequence.reshape([exams * perExam, 2 * hidden]);
  const sliceLogits = tf.matMul(flat, w.sliceHead).add(w.sliceBias).reshape([
    exams,
    perExam,
  ]) as tf.Tensor2D;
  const attention = tf.softmax(tf.matMul(flat, w.attention).reshape([exams, perExam]), 1);
  const pooled = tf.sum(sequence.mul(attention.expandDims(2)), 1) as tf.Tensor2D; // [exams, 2H]
  const examLogits = tf.matMul(pooled, w.examHead).add(w.examBias).reshape([exams]) as tf.Tensor1D;
  return { sliceLogits, examLogits };
}

/** Binary cross-entropy on logits, elementwise: max(z, 0) - z y + log(1 + exp(-|z|)). */
function bceWithLogits(logits: tf.Tensor, labels: tf.Tensor): tf.Tensor {
  return tf.relu(logits).sub(logits.mul(labels)).add(tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
}

/**
 * Benchmark loss: mean exam BCE + slice BCE summed over the masked slices / mask sum.
 *
 * @example
 * ```ts
 * const loss = benchLoss(benchBatch(0), benchWeights(0)); // scalar
 * ```
 */
export function benchLoss(batch: BenchBatch, w: BenchWeights): tf.Scalar {
  const { sliceLogits, examLogits } = benchForward(
    batch.slices,
    batch.examLabels.shape[0],
    w,
    true,
  );
  const examLoss = tf.mean(bceWithLogits(examLogits, batch.examLabels));
  const sliceLoss = tf.sum(bceWithLogits(sliceLogits, batch.sliceLabels).mul(batch.sliceMask))
    .div(tf.sum(batch.sliceMask));
  return examLoss.add(sliceLoss) as tf.Scalar;
}

/**
 * All trainable variables of the benchmark model.
 *
 * @example
 * ```ts
 * const variables = benchVariables(benchWeights(0)); // 14 variables
 * ```
 */
export function benchVariables(w: BenchWeights): tf.Variable[] {
  return [
    ...w.convKernels,
    ...w.convBiases,
    w.lstmInput,
    w.lstmBias,
    w.lstmRecurrentForward,
    w.lstmRecurrentBackward,
    w.sliceHead,
    w.sliceBias,
    w.attention,
    w.examHead,
    w.examBias,
  ];
}

/**
 * The project's Adam (src/model/optimizer.ts; lr 1e-3 per step) over the benchmark weights.
 *
 * @example
 * ```ts
 * const optimizer = benchOptimizer(benchWeights(0));
 * ```
 */
export function benchOptimizer(w: BenchWeights): Adam {
  return new Adam(benchVariables(w).map((v) => [v.name, v] as const));
}

/** Forward, backward and Adam update; returns the loss tensor (before the update). */
function trainStep(batch: BenchBatch, w: BenchWeights, optimizer: Adam): tf.Scalar {
  const { value, grads } = tf.variableGrads(() => benchLoss(batch, w), optimizer.variables());
  optimizer.step(optimizer.byParameterName(grads), 1e-3);
  return value;
}

/**
 * One Adam training step on the batch; returns the loss before the update.
 *
 * @example
 * ```ts
 * const weights = benchWeights(0);
 * const loss = await benchTrainStep(benchBatch(0), weights, benchOptimizer(weights));
 * ```
 */
export async function benchTrainStep(
  batch: BenchBatch,
  w: BenchWeights,
  optimizer: Adam,
): Promise<number> {
  const loss = trainStep(batch, w, optimizer);
  const value = (await loss.data())[0];
  loss.dispose();
  return value;
}

/** Inference on the batch: sigmoid of slice and exam logits, read back to the host. */
async function inferStep(batch: BenchBatch, w: BenchWeights): Promise<void> {
  const probabilities = tf.tidy(() => {
    const { sliceLogits, examLogits } = benchForward(batch.slices, batch.examLabels.shape[0], w);
    return tf.concat([tf.sigmoid(sliceLogits).flatten(), tf.sigmoid(examLogits)]);
  });
  await probabilities.data();
  probabilities.dispose();
}

const flagsSchema = z.object({
  backend: backendPreferenceSchema.default("auto"),
  mode: z.enum(["both", "train", "infer"]).default("both"),
  steps: z.coerce.number().int().positive().default(20),
  warmup: z.coerce.number().int().nonnegative().default(3),
  /** XNNPACK threads on wasm (default: all cores). */
  threads: z.coerce.number().int().positive().optional(),
  peerThreads: z.coerce.number().int().positive().default(2),
  noPeer: z.boolean().default(false),
  profile: z.boolean().default(false),
});

/** Output of torch_peer.py (one JSON line). */
const peerSchema = z.object({
  torch: z.string(),
  threads: z.number(),
  mode: z.string(),
  medianStepMs: z.number(),
  examsPerSec: z.number(),
});
type PeerResult = z.infer<typeof peerSchema>;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Median step time and exams/s of `steps` timed steps after `warmup` untimed ones. */
async function timeSteps(step: () => Promise<unknown>, warmup: number, steps: number) {
  for (let i = 0; i < warmup; i++) await step();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
  }
  const medianStepMs = median(times);
  return { medianStepMs, examsPerSec: BENCH.exams / (medianStepMs / 1000) };
}

const PEER_SCRIPT = new URL("../../shared/bench/torch_peer.py", import.meta.url);
const PYTHON = "/usr/bin/python3";

/** Why the PyTorch peer cannot run here, or null when it can. */
async function peerUnavailable(): Promise<string | null> {
  try {
    await Deno.stat(PEER_SCRIPT);
  } catch {
    return "../shared/bench/torch_peer.py is absent";
  }
  const probe = await new Deno.Command(PYTHON, { args: ["-c", "import torch"], stderr: "null" })
    .output().catch(() => null);
  if (probe === null || !probe.success) {
    return "python3-torch is absent (apt-get install python3-torch)";
  }
  return null;
}

/** Runs torch_peer.py once in `mode`; throws with its stderr if it fails. */
async function runPeer(mode: "train" | "infer", threads: number, steps: number) {
  const out = await new Deno.Command(PYTHON, {
    args: [
      PEER_SCRIPT.pathname,
      "--threads",
      String(threads),
      "--mode",
      mode,
      "--steps",
      `${steps}`,
    ],
  }).output();
  const decoder = new TextDecoder();
  if (!out.success) {
    throw new Error(
      `torch_peer.py --mode ${mode} failed: ${decoder.decode(out.stderr).slice(-300)}`,
    );
  }
  const line = decoder.decode(out.stdout).trim().split("\n").at(-1) ?? "";
  return peerSchema.parse(JSON.parse(line));
}

/** Per-kernel time of a training step (tf.profile, mean of `repeats` steps), largest first. */
async function profileTrainStep(
  batch: BenchBatch,
  w: BenchWeights,
  optimizer: Adam,
  repeats: number,
) {
  const byKernel = new Map<string, { ms: number; calls: number }>();
  for (let r = 0; r < repeats; r++) {
    const info = await tf.profile(() => trainStep(batch, w, optimizer));
    for (const k of info.kernels) {
      const entry = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
      entry.ms += (Number(k.kernelTimeMs) || 0) / repeats;
      entry.calls += 1 / repeats;
      byKernel.set(k.name, entry);
    }
    (info.result as tf.Tensor).dispose();
  }
  const rows = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((s, [, e]) => s + e.ms, 0);
  console.log(`profile (training step, mean of ${repeats}, kernel time ${total.toFixed(1)} ms):`);
  for (const [name, e] of rows.slice(0, 25)) {
    console.log(`  ${name.padEnd(26)} ${e.ms.toFixed(1).padStart(8)} ms  ${e.calls} calls`);
  }
}

/**
 * Runs the benchmark and prints exams/s per mode with the PyTorch figures and `ratio: X`.
 * PyTorch runs right before and right after each TF.js measurement (the machine is shared, so
 * its speed drifts); the ratio uses the mean of the two.
 *
 * @example
 * ```ts
 * await main(["--backend", "wasm", "--steps", "10"]);
 * ```
 */
export async function main(args: string[]): Promise<void> {
  const flags = parseFlags(args, flagsSchema, "bench/train_throughput.ts");
  const choice = await selectBackend(flags.backend, { wasmThreads: flags.threads });
  const peerSkip = flags.noPeer ? "--no-peer" : await peerUnavailable();
  const batch = benchBatch(0);
  const weights = benchWeights(1);
  const optimizer = benchOptimizer(weights);
  const modes = flags.mode === "both" ? (["train", "infer"] as const) : [flags.mode];
  const ratios: Partial<Record<"train" | "infer", number>> = {};
  for (const mode of modes) {
    if (mode === "train" && flags.profile) {
      await benchTrainStep(batch, weights, optimizer);
      await profileTrainStep(batch, weights, optimizer, 3);
    }
    const peers: PeerResult[] = [];
    if (peerSkip === null) peers.push(await runPeer(mode, flags.peerThreads, flags.steps));
    const timing = mode === "train"
      ? await timeSteps(() => benchTrainStep(batch, weights, optimizer), flags.warmup, flags.steps)
      : await timeSteps(() => inferStep(batch, weights), flags.warmup, flags.steps);
    if (peerSkip === null) peers.push(await runPeer(mode, flags.peerThreads, flags.steps));
    const tfjs =
      `tfjs ${tf.version.tfjs} ${choice.name}: ${timing.examsPerSec.toFixed(2)} exams/s` +
      ` (median step ${timing.medianStepMs.toFixed(1)} ms)`;
    let torch = `pytorch: skipped (${peerSkip})`;
    if (peers.length > 0) {
      const peerRate = (peers[0].examsPerSec + peers[1].examsPerSec) / 2;
      ratios[mode] = timing.examsPerSec / peerRate;
      torch = `pytorch ${peers[0].torch} cpu ${peers[0].threads} threads: ${peerRate.toFixed(2)}` +
        ` exams/s (before ${peers[0].examsPerSec.toFixed(2)}, after ${
          peers[1].examsPerSec.toFixed(2)
        })`;
    }
    console.log(`${mode}: ${tfjs} | ${torch}`);
  }
  console.log(`backend: ${choice.reason}`);
  if (ratios.infer !== undefined) console.log(`infer ratio: ${ratios.infer.toFixed(3)}`);
  console.log(`ratio: ${ratios.train !== undefined ? ratios.train.toFixed(3) : "n/a"}`);
}

if (import.meta.main) await main(Deno.args);
