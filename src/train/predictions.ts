/**
 * Predictions in the evaluation schema: CSV with columns
 * `exam_id, split, label, fraction, fold, score, subtype` (fraction in percent, score the
 * sigmoid probability, subtype empty for negatives), one row per exam, fraction and fold.
 * Each run writes its own file; `mergePredictions` joins the finished runs of a sweep.
 *
 * @example
 * ```ts
 * import { predictionsCsv } from "./predictions.ts";
 * predictionsCsv([{ examId: "1.2", split: "private", examLabel: 1, fractionPercent: 2.5,
 *   fold: 0, score: 0.91, subtype: "central" }]);
 * // "exam_id,split,label,fraction,fold,score,subtype\n1.2,private,1,2.5,0,0.91,central\n"
 * ```
 */
import { join } from "node:path";
import { formatCsv, pathExists, writeTextAtomic } from "../io/mod.ts";
import type { ExamInfo } from "./exam_source.ts";
import { listRunFolds, listRunFractions, runFolder } from "./run_folder.ts";

/** Columns of a predictions file. */
export const PREDICTIONS_COLUMNS = [
  "exam_id",
  "split",
  "label",
  "fraction",
  "fold",
  "score",
  "subtype",
];
/** Header line of a predictions file. */
export const PREDICTIONS_HEADER = PREDICTIONS_COLUMNS.join(",");

/** One prediction. */
export interface Prediction {
  examId: string;
  split: ExamInfo["split"];
  examLabel: 0 | 1;
  fractionPercent: number;
  fold: number;
  score: number;
  subtype: ExamInfo["subtype"];
}

/** Predictions as CSV text (header line first, a trailing newline). */
export function predictionsCsv(rows: readonly Prediction[]): string {
  return formatCsv(
    PREDICTIONS_COLUMNS,
    rows.map((row) => [
      row.examId,
      row.split,
      row.examLabel,
      row.fractionPercent,
      row.fold,
      row.score,
      row.examLabel === 1 ? row.subtype : null,
    ]),
  );
}

/**
 * Concatenate predictions files (each with the standard header) into `outPath`, atomically.
 *
 * @example
 * ```ts ignore
 * import { mergePredictions } from "./predictions.ts";
 * await mergePredictions(["runs/a/fraction-0/fold-0/predictions.csv"], "runs/a/predictions.csv");
 * ```
 */
export async function mergePredictions(paths: readonly string[], outPath: string): Promise<number> {
  const lines: string[] = [PREDICTIONS_HEADER];
  for (const path of paths) {
    const [header, ...rows] = (await Deno.readTextFile(path)).split("\n").filter((l) => l !== "");
    if (header !== PREDICTIONS_HEADER) {
      throw new Error(
        `${path}: header '${header}' is not '${PREDICTIONS_HEADER}'; fix: delete that run folder to predict again`,
      );
    }
    lines.push(...rows);
  }
  await writeTextAtomic(outPath, `${lines.join("\n")}\n`);
  return lines.length - 1;
}

/**
 * Merge the predictions of every finished run under `outDir` (fraction-F/fold-K folders with a
 * predictions.csv) into `outDir/predictions.csv`; returns the number of runs merged.
 *
 * @example
 * ```ts ignore
 * import { mergeRunPredictions } from "./predictions.ts";
 * await mergeRunPredictions("runs/sweep"); // writes runs/sweep/predictions.csv
 * ```
 */
export async function mergeRunPredictions(outDir: string): Promise<number> {
  const found: string[] = [];
  for (const fraction of await listRunFractions(outDir)) {
    for (const fold of await listRunFolds(outDir, fraction)) {
      const path = join(runFolder(outDir, fraction, fold), "predictions.csv");
      if (await pathExists(path)) found.push(path);
    }
  }
  if (found.length > 0) await mergePredictions(found, join(outDir, "predictions.csv"));
  return found.length;
}
