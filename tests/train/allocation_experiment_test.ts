import assert from "node:assert/strict";
import {
  markerExams,
  memoryExamSource,
  profileTrainingBase,
  runAllocationExperiment,
  type RunState,
  type TrainRunOptions,
  type TrainRunResult,
} from "../../src/train/mod.ts";

Deno.test("runAllocationExperiment: seeds share the slots, so a second seed starts before the first ends", async () => {
  const source = memoryExamSource(
    markerExams({ trainPerFold: 4, folds: 2, testPerSplit: 8, dims: [6, 12, 12], seed: 5 }),
    "marker exams",
  );
  const events: string[] = [];
  let running = 0;
  let mostRunning = 0;
  // Stands in for training: each run holds its slot for a few milliseconds and records when.
  const trainRunner = async ({ config }: TrainRunOptions): Promise<TrainRunResult> => {
    const name = `${config.seed}:${
      config.allocation?.strategy ?? "even"
    }:${config.fractionPercent}`;
    running++;
    mostRunning = Math.max(mostRunning, running);
    events.push(`start ${name}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
    events.push(`end ${name}`);
    running--;
    const state = {} as RunState;
    return {
      finished: false,
      resumedFromEpoch: 0,
      alreadyFinished: false,
      state,
      predictionsPath: null,
    };
  };
  const outDir = await Deno.makeTempDir();
  try {
    const sweeps = await runAllocationExperiment({
      source,
      outDir,
      seeds: [0, 1],
      budgets: [50],
      strategies: ["even", "tiered"],
      fold: 0,
      base: { ...profileTrainingBase("tiny", { epochs: 1, samplesPerEpoch: 8 }), folds: 2 },
      backend: "cpu",
      parallel: 2,
      trainRunner,
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
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});

Deno.test("runAllocationExperiment: only adaptive waits for the even sweep; tiered trains beside it", async () => {
  const source = memoryExamSource(
    markerExams({ trainPerFold: 4, folds: 2, testPerSplit: 8, dims: [6, 12, 12], seed: 5 }),
    "marker exams",
  );
  const events: string[] = [];
  const trainRunner = async ({ config }: TrainRunOptions): Promise<TrainRunResult> => {
    const name = `${config.allocation?.strategy ?? "even"}:${config.fractionPercent}`;
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
  const outDir = await Deno.makeTempDir();
  try {
    await runAllocationExperiment({
      source,
      outDir,
      seeds: [0],
      budgets: [50],
      strategies: ["even", "tiered"],
      fold: 0,
      base: { ...profileTrainingBase("tiny", { epochs: 1, samplesPerEpoch: 8 }), folds: 2 },
      backend: "cpu",
      parallel: 3,
      trainRunner,
    });
    const tieredStart = events.indexOf("start tiered:50");
    const firstEvenEnd = events.findIndex((e) => e.startsWith("end even:"));
    assert.ok(tieredStart >= 0, `tiered never trained: ${events.join(", ")}`);
    assert.ok(
      tieredStart < firstEvenEnd,
      `tiered waited for the even sweep with slots free: ${events.join(", ")}`,
    );
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});
