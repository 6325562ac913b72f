/**
 * Splits and folds. A split file is a CSV `study_uid,split` (split in train / public / private /
 * external); without one, train.csv's optional `split` column is used, else every study is
 * `train`. Five folds are drawn over the included training exams, stratified by exam label and
 * central PE (strata: negative, peripheral, central): exams are sorted by StudyInstanceUID,
 * shuffled within each stratum by the seeded xoshiro128** generator (`Rng(seed)` of the
 * phantom module), and dealt round-robin, the deal continuing from one stratum to the next, so
 * fold sizes differ by at most one and each stratum by at most one per fold.
 *
 * @example
 * ```ts ignore
 * import { assignFolds, readSplitFile } from "./splits.ts";
 * const splits = readSplitFile("splits.csv"); // Map study_uid -> "train" | ...
 * const folds = assignFolds([{ studyUid: "1", stratum: "negative" }], 5, 0); // Map "1" -> 0
 * ```
 */
import pl from "nodejs-polars";
import { z } from "zod";
import { Rng } from "../../util/random.ts";
import { type Split, SplitSchema } from "./schema.ts";
import { errorMessage } from "../../io/errors.ts";

/** Schema of one row of a split file. */
export const SplitRowSchema = z.object({
  study_uid: z.string().min(1),
  split: SplitSchema,
});

/** Read a split file into study -> split; throws naming the file, row and fix. */
export function readSplitFile(path: string): Map<string, Split> {
  let table: pl.DataFrame;
  try {
    table = pl.readCSV(path, { dtypes: { study_uid: pl.Utf8, split: pl.Utf8 }, hasHeader: true });
  } catch (error) {
    throw new Error(
      `${path}: not readable as CSV (${errorMessage(error)})`,
    );
  }
  for (const c of ["study_uid", "split"]) {
    if (!table.columns.includes(c)) {
      throw new Error(`${path}: column '${c}' is missing: the file needs columns study_uid,split`);
    }
  }
  const studies = table.getColumn("study_uid").toArray() as string[];
  const splits = table.getColumn("split").toArray() as string[];
  const result = new Map<string, Split>();
  studies.forEach((study_uid, i) => {
    const row = SplitRowSchema.safeParse({ study_uid, split: splits[i] });
    if (!row.success) {
      const issue = row.error.issues[0];
      throw new Error(
        `${path}: row ${i + 1} (line ${i + 2}), column '${
          String(issue.path[0])
        }': ${issue.message}` +
          ` (splits are ${SplitSchema.options.join(", ")})`,
      );
    }
    const before = result.get(study_uid);
    if (before && before !== row.data.split) {
      throw new Error(
        `${path}: study ${study_uid} is in both ${before} and ${row.data.split}: keep one row`,
      );
    }
    result.set(study_uid, row.data.split);
  });
  return result;
}

/** An exam to place in a fold, with its stratum. */
export interface FoldItem {
  studyUid: string;
  stratum: "negative" | "peripheral" | "central";
}

/** Stratified folds: study -> fold index 0..folds-1 (see the module comment). */
export function assignFolds(items: FoldItem[], folds: number, seed: number): Map<string, number> {
  const rng = new Rng(seed);
  const result = new Map<string, number>();
  let deal = 0;
  for (const stratum of ["negative", "peripheral", "central"] as const) {
    const members = items.filter((item) => item.stratum === stratum)
      .map((item) => item.studyUid)
      .sort();
    rng.shuffle(members);
    for (const study of members) result.set(study, deal++ % folds);
  }
  return result;
}
