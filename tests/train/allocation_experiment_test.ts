import assert from "node:assert/strict";
import type { TierWeights } from "../../src/labels/mod.ts";
import {
  markerExams,
  memoryExamSource,
  profileTrainingBase,
  runAllocationExperiment,
  type RunState,
  type TrainRunOptions,
  type TrainRunResult,
} from "../../src/train/mod.ts";

/** Marker exams of two folds: enough for every strategy's masks. */
const source = memoryExamSource(
  markerExams({ trainPerFold: 4, folds: 2, testPerSplit: 8, dims: [6, 12, 12], seed: 5 }),
  "marker exams",
);

/**
 * Stands in for training: each run holds its slot for 20 ms and pushes `start NAME` and
 * `end NAME` to `events`, NAME as `seed:strategy:fraction`.
 */
function recordingRunner(
  events: string[],
): (options: TrainRunOptions) => Promise<TrainRunResult> {
  return async ({ config }) => {
    const name = `${config.seed}:${
      config.allocation?.strategy ?? "even"
    }:${config.fractionPercent}`;
    events.push(`start ${name}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    events.push(`end ${name}`);
    return {
      finished: false,
      resumedFromEpoch: 0,
      alreadyFinished: false,
      state: {} as RunState,
      predictionsPath: null,
    };
  };
}

/** Runs the experiment on {@link source} with `trainRunner`, in a temporary folder. */
async function experiment(
  seeds: number[],
  parallel: number,
  trainRunner: (options: TrainRunOptions) => Promise<TrainRunResult>,
  tierWeights?: TierWeights,
) {
  const outDir = await Deno.makeTempDir();
  try {
    return await runAllocationExperiment({
      source,
      outDir,
      seeds,
      budgets: [50],
      strategies: ["even", "tiered"],
      fold: 0,
      base: { ...profileTrainingBase("tiny", { epochs: 1, samplesPerEpoch: 8 }), folds: 2 },
      backend: "cpu",
      parallel,
      trainRunner,
      tierWeights,
    });
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
}

Deno.test("runAllocationExperiment: seeds share the slots, so a second seed starts before the first ends", async () => {
  const events: string[] = [];
  let running = 0;
  let mostRunning = 0;
  const record = recordingRunner(events);
  const sweeps = await experiment([0, 1], 2, async (options) => {
    running++;
    mostRunning = Math.max(mostRunning, running);
    try {
      return await record(options);
    } finally {
      running--;
    }
  });
  assert.deepEqual(sweeps.map((s) => `${s.seed}:${s.strategy}`), [
    "0:even",
    "0:tiered",
    "1:even",
    "1:tiered",
  ]);
  assert.deepEqual(events.filter((e) => e.startsWith("start")).length, 6);
  assert.deepEqual(mostRunning, 2, "never more runs at once than the shared limit");
  const firstOfSeed1 = events.findIndex((e) => e.startsWith("start 1:"));
  const lastOfSeed0 = events.findLastIndex((e) => e.startsWith("end 0:"));
  assert.ok(
    firstOfSeed1 < lastOfSeed0,
    `seed 1 waited for seed 0 to finish: ${events.join(", ")}`,
  );
});

Deno.test("runAllocationExperiment: only adaptive waits for the even sweep; tiered trains beside it", async () => {
  const events: string[] = [];
  await experiment([0], 3, recordingRunner(events));
  const tieredStart = events.indexOf("start 0:tiered:50");
  const firstEvenEnd = events.findIndex((e) => e.startsWith("end 0:even:"));
  assert.ok(tieredStart >= 0, `tiered never trained: ${events.join(", ")}`);
  assert.ok(
    tieredStart < firstEvenEnd,
    `tiered waited for the even sweep with slots free: ${events.join(", ")}`,
  );
});

Deno.test("runAllocationExperiment: --tier-weights reach the tiered runs' configuration only", async () => {
  const weights = { peripheral: 6, central: 1, negative: 0.25 };
  const seen = new Map<string, unknown>();
  await experiment([0], 1, (options) => {
    const { allocation, fractionPercent } = options.config;
    seen.set(`${allocation?.strategy ?? "even"}:${fractionPercent}`, allocation?.tierWeights);
    return recordingRunner([])(options);
  }, weights);
  assert.deepEqual([...seen.keys()].sort(), ["even:0", "even:50", "tiered:50"]);
  assert.deepEqual(seen.get("tiered:50"), weights);
  assert.equal(seen.get("even:50"), undefined);
});
