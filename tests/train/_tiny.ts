/** Tiny training settings and marker exams shared by the training tests. */
import { markerExams, memoryExamSource, trainConfigSchema } from "../../src/train/mod.ts";
import type { ExamSource, TrainConfig, TrainConfigInput } from "../../src/train/mod.ts";

/** 2 folds x 4 training exams, 1 exam per test split, [6, 12, 12] voxels. */
export function tinySource(settings: unknown = { dims: [6, 12, 12] }): ExamSource {
  return memoryExamSource(
    markerExams({ trainPerFold: 4, folds: 2, testPerSplit: 2, dims: [6, 12, 12], seed: 5 }),
    "tiny",
    settings,
  );
}

/** A 2-epoch run on the tiny source. */
export function tinyConfig(overrides: Partial<TrainConfigInput> = {}): TrainConfig {
  return trainConfigSchema.parse({
    fractionPercent: 50,
    fold: 0,
    folds: 2,
    epochs: 2,
    batchSize: 4,
    microBatchSize: 2,
    learningRate: 1e-3,
    model: { lstmLayers: 1, featureSize: 16, attentionHeads: 2, lstmHidden: 8 },
    ...overrides,
  });
}
