/**
 * The exam table: one row per study and series of train.csv with the exam-level labels, the
 * slice count and the positive-slice count, computed with one polars group-by. Exam-level
 * columns must be constant within a study; the columns that vary are listed per exam.
 *
 * @example
 * ```ts ignore
 * import { readTrainCsv } from "./schema.ts";
 * import { examTable } from "./exam_table.ts";
 * const exams = examTable(readTrainCsv("train.csv"));
 * console.log(exams[0]); // { studyUid, seriesUid, nSlices: 240, nPosSlices: 12, labels: {...} }
 * ```
 */
import pl from "nodejs-polars";
import { type ExamColumn, examColumns } from "./columns.ts";
import { type Split, splitColumn } from "./schema.ts";

/** One exam (study + series) as train.csv describes it. */
export interface ExamRecord {
  studyUid: string;
  seriesUid: string;
  /** Rows (images) in train.csv. */
  nSlices: number;
  /** Rows with pe_present_on_image = 1. */
  nPosSlices: number;
  /** Exam-level values (1 when any row holds 1, should they vary). */
  labels: Record<ExamColumn, 0 | 1>;
  /** Exam-level columns (or `split`) that are not constant within the study. */
  varyingColumns: string[];
  /** Split from the `split` column of train.csv, when present. */
  split: Split | null;
}

/** Group train.csv (as read by `readTrainCsv`) into exams, in first-appearance order. */
export function examTable(table: pl.DataFrame): ExamRecord[] {
  const hasSplit = table.columns.includes(splitColumn);
  const aggregates = [
    pl.col("SOPInstanceUID").count().alias("n_slices"),
    pl.col("pe_present_on_image").cast(pl.Int32).sum().alias("n_pos"),
    pl.col("row").min().alias("first_row"),
    // values are 0/1: a column is constant within the exam when its sum is 0 or n_slices
    ...examColumns.map((c) => pl.col(c).cast(pl.Int32).sum().alias(c)),
    ...(hasSplit
      ? [pl.col(splitColumn).first().alias("split"), pl.col(splitColumn).nUnique().alias("split_n")]
      : []),
  ];
  const grouped = table.withRowIndex("row")
    .groupBy(["StudyInstanceUID", "SeriesInstanceUID"])
    .agg(...aggregates)
    .sort("first_row");
  const column = (name: string) => grouped.getColumn(name).toArray() as unknown[];
  const study = column("StudyInstanceUID") as string[];
  const series = column("SeriesInstanceUID") as string[];
  const nSlices = column("n_slices") as number[];
  const nPos = column("n_pos") as number[];
  const sums = examColumns.map((c) => column(c) as number[]);
  const split = hasSplit ? column("split") as Split[] : null;
  const splitCount = hasSplit ? column("split_n") as number[] : null;
  const exams: ExamRecord[] = study.map((studyUid, i) => {
    const labels = {} as Record<ExamColumn, 0 | 1>;
    const varyingColumns: string[] = [];
    examColumns.forEach((c, k) => {
      const ones = Number(sums[k][i]);
      labels[c] = ones > 0 ? 1 : 0;
      if (ones > 0 && ones < Number(nSlices[i])) varyingColumns.push(c);
    });
    if (splitCount && splitCount[i] > 1) varyingColumns.push(splitColumn);
    return {
      studyUid,
      seriesUid: series[i],
      nSlices: Number(nSlices[i]),
      nPosSlices: Number(nPos[i]),
      labels,
      varyingColumns,
      split: split ? split[i] : null,
    };
  });
  markStudyDisagreements(exams);
  return exams;
}

/** Two series of one study with different exam-level values: list the columns on both. */
function markStudyDisagreements(exams: ExamRecord[]): void {
  const byStudy = new Map<string, ExamRecord>();
  for (const exam of exams) {
    const other = byStudy.get(exam.studyUid);
    if (!other) {
      byStudy.set(exam.studyUid, exam);
      continue;
    }
    for (const c of examColumns) {
      if (exam.labels[c] !== other.labels[c]) {
        for (const e of [exam, other]) if (!e.varyingColumns.includes(c)) e.varyingColumns.push(c);
      }
    }
  }
}
