/**
 * Slice scores for adaptive label allocation: every slice of a set of exams scored by the best
 * network of a run (the 0 % run for `adaptive`, the even run at half the budget for `adaptive-2`),
 * written as JSON (allocation_masks.ts's {@link sliceScoresSchema}), the input of
 * `--allocation adaptive` and `adaptive-2`.
 *
 * @example
 * ```ts
 * import { writeSliceScores } from "./slice_scores.ts";
 * // await writeSliceScores("runs/x/fraction-0/fold-0", source, exams.train, "runs/x/slice-scores-0.json");
 * ```
 *
 * @module
 */
import { writeJsonAtomic } from "../io/mod.ts";
import { type SliceScores, sliceScoresSchema } from "./allocation_masks.ts";
import { LabelMasks } from "./batch.ts";
import { loadBestNetwork } from "./best_network.ts";
import { evaluateExams } from "./evaluate_exams.ts";
import type { ExamInfo, ExamSource } from "./exam_source.ts";

/**
 * Scores every slice of `exams` with the best network of `runDir` and writes them to `path`
 * (atomically); returns what was written.
 *
 * @example
 * ```ts
 * import { writeSliceScores } from "./slice_scores.ts";
 * // const scores = await writeSliceScores(zeroRun, source, exams.train, scoresPath);
 * // scores.exams["1.2.3"] -> [0.02, 0.4, ...] (one probability per resampled slice)
 * ```
 */
export async function writeSliceScores(
  runDir: string,
  source: ExamSource,
  exams: readonly ExamInfo[],
  path: string,
  onProgress?: (done: number, total: number) => void,
): Promise<SliceScores> {
  const { network, config } = await loadBestNetwork(runDir);
  try {
    const { sliceScores } = await evaluateExams(
      network,
      source,
      exams,
      new LabelMasks(config),
      config,
      onProgress,
      true,
    );
    const scores = sliceScoresSchema.parse({
      format: "pe-fewer-labels/slice-scores",
      model: runDir,
      exams: Object.fromEntries(exams.map((exam, i) => [exam.examId, Array.from(sliceScores![i])])),
    });
    await writeJsonAtomic(path, scores);
    return scores;
  } finally {
    network.dispose();
  }
}
