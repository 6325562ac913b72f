/**
 * Speed of one training step of the demo profile as the sweep runs it: the batch's loading
 * (exam read, 3-channel slice stack, augmentation, tensors) and the whole optimiser step
 * (`trainStep`: loading, forward, loss, gradients, Adam), at the demo's settings
 * (`DEMO_PROFILE_TRAINING`: batch 8, batch-normalised small encoder, global max pooling, one BiLSTM
 * layer, horizontal flips) on in-memory exams of the demo's prepared size. One run per process
 * and one wasm thread is what each of the demo's parallel runs gets. `--profile` adds the
 * kernels' times for one step.
 *
 * @example
 * ```sh
 * deno run -A bench/train_step.ts                      # 1 thread, 20 steps after 3 warm-up
 * deno run -A bench/train_step.ts --threads 2 --profile
 * ```
 */
import * as tf from "@tensorflow/tfjs";
import { z } from "zod";
import { parseFlags } from "../src/cli/flags.ts";
import { selectBackend } from "../src/model/backend.ts";
import { Adam, createNetwork } from "../src/model/mod.ts";
import {
  DEMO_PROFILE_TRAINING,
  disposeBatch,
  LabelMasks,
  loadBatch,
  markerExams,
  memoryExamSource,
  runExams,
  trainConfigSchema,
  trainStep,
} from "../src/train/mod.ts";
import { median } from "./_median.ts";

const flags = parseFlags(
  Deno.args,
  z.object({
    threads: z.coerce.number().int().min(1).default(1),
    steps: z.coerce.number().int().min(1).default(20),
    warmup: z.coerce.number().int().min(0).default(3),
    fraction: z.coerce.number().min(0).max(100).default(27.5),
    profile: z.literal(true).optional(),
  }),
  "train_step",
);

await selectBackend("wasm", { wasmThreads: flags.threads });
const config = trainConfigSchema.parse({
  ...DEMO_PROFILE_TRAINING,
  fractionPercent: flags.fraction,
  fold: 0,
});
const batches = flags.warmup + flags.steps;
const source = memoryExamSource(
  markerExams({
    trainPerFold: batches * config.batchSize,
    folds: 5,
    testPerSplit: 2,
    dims: [32, 64, 64],
    seed: 1,
  }),
  "bench",
);
const train = runExams(source, 0, 5).train;
const network = createNetwork(config.model, 1);
const adam = new Adam([...network.params.variables].filter(([, v]) => v.trainable), {
  weightDecay: config.weightDecay,
});
const masks = new LabelMasks(config);
const context = { config, masks, learningRate: config.learningRate };

const loadMs: number[] = [];
const stepMs: number[] = [];
for (let b = 0; b < batches; b++) {
  const indices = Array.from({ length: config.batchSize }, (_, i) => b * config.batchSize + i);
  const ids = indices.map((i) => train[i].examId);
  const seeds = indices.map((i) => i);
  let started = performance.now();
  disposeBatch(await loadBatch(source, ids, seeds, masks, config));
  const load = performance.now() - started;
  started = performance.now();
  await trainStep(network, adam, source, train, indices, b * config.batchSize, 0, context);
  const step = performance.now() - started;
  if (b >= flags.warmup) {
    loadMs.push(load);
    stepMs.push(step);
  }
}
const step = median(stepMs);
console.log(
  `demo training step, ${config.batchSize} exams of 32 x 64 x 64, ${flags.threads} thread(s): ` +
    `batch loading ${median(loadMs).toFixed(1)} ms, whole step ${step.toFixed(1)} ms ` +
    `(median of ${flags.steps}); ${(config.batchSize / (step / 1000)).toFixed(1)} exams/s`,
);

if (flags.profile) {
  const indices = Array.from({ length: config.batchSize }, (_, i) => i);
  const info = await tf.profile(() =>
    trainStep(network, adam, source, train, indices, 0, 0, context)
  );
  const byKernel = new Map<string, number>();
  for (const kernel of info.kernels) {
    byKernel.set(kernel.name, (byKernel.get(kernel.name) ?? 0) + Number(kernel.kernelTimeMs));
  }
  for (const [name, ms] of [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    console.log(`  ${name.padEnd(24)} ${ms.toFixed(1)} ms`);
  }
}
adam.dispose();
network.dispose();
