/**
 * The labelled-slice masks a run trains with: the per-exam rule (`masking`) for every exam, or,
 * where the run sets an `allocation` (labels/allocation.ts), that allocation over its training
 * exams, built once at the start of the run. `clot-centred` and `adaptive-2-window` read the
 * positive training exams' slice labels from the source (the labeller sees the clot); the
 * adaptive strategies read the slice scores of the model they rank by (`slice-scores-F.json`,
 * {@link sliceScoresSchema}).
 *
 * @example
 * ```ts
 * import { runLabelMasks } from "./allocation_masks.ts";
 * // const { masks, allocation } = await runLabelMasks(config, source, exams.train);
 * // allocation?.bySubtype -> labelled slices per exam for negative, central, peripheral exams
 * ```
 *
 * @module
 */
import { z } from "zod";
import {
  allocateLabels,
  type AllocationExam,
  allocationSummary,
  type AllocationSummaryRow,
  evenBudget,
  readsSliceLabels,
  scoringFraction,
} from "../labels/mod.ts";
import { LabelMasks } from "./batch.ts";
import type { TrainConfig } from "./config.ts";
import type { ExamInfo, ExamSource } from "./exam_source.ts";

/**
 * Slice probabilities of a model over a set of exams: `exams[examId][z]` = p(slice z shows PE).
 *
 * @example
 * ```ts
 * import { sliceScoresSchema } from "./allocation_masks.ts";
 * sliceScoresSchema.parse({
 *   format: "pe-fewer-labels/slice-scores", model: "runs/demo/fraction-0/fold-0",
 *   exams: { "1.2.3": [0.1, 0.7] },
 * });
 * ```
 */
export const sliceScoresSchema = z.object({
  format: z.literal("pe-fewer-labels/slice-scores"),
  /** The run whose best weights scored the exams. */
  model: z.string(),
  exams: z.record(z.string(), z.array(z.number().min(0).max(1))),
});

/** Slice scores as read (see {@link sliceScoresSchema}). */
export type SliceScores = z.infer<typeof sliceScoresSchema>;

/**
 * Reads and checks a slice-scores file; errors name the file, the field and the fix.
 *
 * @example
 * ```ts
 * import { readSliceScores } from "./allocation_masks.ts";
 * // const scores = await readSliceScores("runs/demo/fraction-0/fold-0/slice-scores.json");
 * ```
 */
export async function readSliceScores(path: string): Promise<SliceScores> {
  let data: unknown;
  try {
    data = JSON.parse(await Deno.readTextFile(path));
  } catch (error) {
    throw new Error(
      `${path}: cannot be read as JSON (${error instanceof Error ? error.message : error}); ` +
        "fix: score the training exams again",
    );
  }
  const parsed = sliceScoresSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${path}: field ${issue.path.join(".") || "(root)"}: ${issue.message}; ` +
        "fix: score the training exams again",
    );
  }
  return parsed.data;
}

/** What a run records of its allocation (run.json). */
export interface AllocationRecord {
  strategy: string;
  /** Labelled slices over the training exams: the even rule's at the run's fraction. */
  budget: number;
  /**
   * Slices labelled: the budget, but less for `adaptive-2-window` (its looks at an ambiguous
   * window label nothing) and where every slice is labelled.
   */
  labelled: number;
  /** Labelled slices per exam by group. */
  bySubtype: AllocationSummaryRow[];
}

/**
 * The run's masks and, where it sets an allocation, what that allocation did.
 *
 * @example
 * ```ts
 * import { runLabelMasks } from "./allocation_masks.ts";
 * // const { masks } = await runLabelMasks(config, source, exams.train); // no allocation: masking
 * ```
 */
export async function runLabelMasks(
  config: TrainConfig,
  source: ExamSource,
  trainExams: readonly ExamInfo[],
): Promise<{ masks: LabelMasks; allocation: AllocationRecord | null }> {
  const allocation = config.allocation;
  if (allocation === undefined) return { masks: new LabelMasks(config), allocation: null };
  const scores = allocation.sliceScores === undefined
    ? null
    : await readSliceScores(allocation.sliceScores);
  const scoredBy = scoringFraction(allocation.strategy, config.fractionPercent);
  const exams: AllocationExam[] = [];
  for (const exam of trainExams) {
    const entry: AllocationExam = {
      examId: exam.examId,
      examLabel: exam.examLabel,
      subtype: exam.subtype,
      sliceCount: exam.sliceCount,
    };
    if (readsSliceLabels(allocation.strategy) && exam.examLabel === 1) {
      entry.sliceLabels = (await source.read(exam.examId)).sliceLabels;
    }
    if (scoredBy !== null && scores !== null) {
      const probabilities = scores.exams[exam.examId];
      if (probabilities === undefined) {
        throw new Error(
          `${allocation.sliceScores}: no scores for training exam '${exam.examId}'; ` +
            `fix: score every training exam of ${source.name} with the ${scoredBy} % run`,
        );
      }
      entry.sliceProbabilities = Float64Array.from(probabilities);
    }
    exams.push(entry);
  }
  const allocated = allocateLabels(exams, config.fractionPercent, allocation.strategy, {
    seed: config.seed,
    tierWeights: allocation.tierWeights,
  });
  return {
    masks: new LabelMasks(config, allocated),
    allocation: {
      strategy: allocation.strategy,
      budget: evenBudget(exams, config.fractionPercent),
      labelled: [...allocated.values()].reduce(
        (total, mask) => total + mask.reduce((sum, value) => sum + value, 0),
        0,
      ),
      bySubtype: allocationSummary(exams, allocated),
    },
  };
}
