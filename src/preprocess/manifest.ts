/**
 * The exams to prepare, from a cleaning manifest folder (`data-manifests/NAME`): the included
 * rows of `exams.csv` (study_uid, series_uid, split, fold, label, subtype, status, ...) with
 * their series folder `<data>/<study_uid>/<series_uid>/`, and each exam's slice labels from
 * `slices.csv` (study_uid, series_uid, sop_uid, z_index, z_position, label), keyed by SOP UID
 * so they are matched to the volume's slices by UID, never by order. Excluded rows are counted
 * by reason (they were listed with their reason by the cleaning step).
 *
 * @example
 * ```ts ignore
 * import { readPreprocessJobs } from "./manifest.ts";
 * const { jobs, excluded } = readPreprocessJobs("data-manifests/rspect", "rspect/train");
 * console.log(jobs.length, excluded); // 6958 { "label-incoherent": 153, ... }
 * ```
 */
import pl from "nodejs-polars";
import { join } from "node:path";
import { z } from "zod";
import type { ExamsCsvColumn, SlicesCsvColumn } from "../data/rspect/columns.ts";
import { examFactsSchema } from "./cache.ts";

/** One exam to prepare. */
export interface ExamJob {
  facts: z.infer<typeof examFactsSchema>;
  /** `<data>/<study_uid>/<series_uid>`. */
  seriesDir: string;
  /** SOPInstanceUIDs with a row in slices.csv, and their labels (same order). */
  sopUids: string[];
  sopLabels: number[];
}

/** The exams.csv columns read here (names checked against the cleaning step's columns). */
const examRowSchema = z.object(
  {
    study_uid: z.string(),
    series_uid: z.string(),
    split: z.string(),
    fold: z.string().nullable(),
    label: z.string(),
    subtype: z.string().nullable(),
    status: z.enum(["included", "excluded"]),
    reason: z.string().nullable(),
  } satisfies Partial<Record<ExamsCsvColumn, z.ZodType>>,
);

/** The slices.csv columns read here. */
const sliceColumns = [
  "series_uid",
  "sop_uid",
  "label",
] as const satisfies readonly SlicesCsvColumn[];

/**
 * Read the manifest folder's exams.csv and slices.csv. Throws naming the file, row and column
 * of the first bad value.
 *
 * @example
 * ```ts ignore
 * import { readPreprocessJobs } from "./manifest.ts";
 * const { jobs } = readPreprocessJobs("data-manifests/tiny", "/tmp/tiny/train");
 * console.log(jobs[0].seriesDir, jobs[0].sopUids.length);
 * ```
 */
export function readPreprocessJobs(
  manifestDir: string,
  dataDir: string,
): { jobs: ExamJob[]; excluded: Record<string, number> } {
  const examsPath = join(manifestDir, "exams.csv");
  const exams = readCsvStrings(examsPath, Object.keys(examRowSchema.shape));
  const excluded: Record<string, number> = {};
  const jobs: ExamJob[] = [];
  const bySeries = new Map<string, ExamJob>();
  exams.forEach((raw, i) => {
    const where = `${examsPath} row ${i + 2}`;
    const row = examRowSchema.safeParse(raw);
    if (!row.success) throw new Error(`${where}: ${issueText(row.error)}`);
    const r = row.data;
    if (r.status === "excluded") {
      const reason = r.reason ?? "unknown";
      excluded[reason] = (excluded[reason] ?? 0) + 1;
      return;
    }
    const facts = examFactsSchema.safeParse({
      examId: r.study_uid,
      seriesId: r.series_uid,
      split: r.split,
      fold: r.fold === null || r.fold === "" ? null : Number(r.fold),
      examLabel: Number(r.label),
      subtype: r.subtype === null || r.subtype === "" ? null : r.subtype,
    });
    if (!facts.success) throw new Error(`${where}: ${issueText(facts.error, csvColumnOf)}`);
    const job: ExamJob = {
      facts: facts.data,
      seriesDir: join(dataDir, r.study_uid, r.series_uid),
      sopUids: [],
      sopLabels: [],
    };
    jobs.push(job);
    bySeries.set(r.series_uid, job);
  });

  const slicesPath = join(manifestDir, "slices.csv");
  const slices = pl.readCSV(slicesPath, {
    hasHeader: true,
    quoteChar: '"',
    dtypes: Object.fromEntries(sliceColumns.map((c) => [c, pl.Utf8])),
  });
  for (const column of sliceColumns) {
    if (!slices.columns.includes(column)) {
      throw new Error(
        `${slicesPath}: column ${column} missing: rewrite it with \`deno task clean\``,
      );
    }
  }
  const series = slices.getColumn("series_uid").toArray() as string[];
  const sops = slices.getColumn("sop_uid").toArray() as string[];
  const labels = slices.getColumn("label").toArray() as string[];
  for (let i = 0; i < series.length; i++) {
    const job = bySeries.get(series[i]);
    if (!job) continue;
    if (labels[i] !== "0" && labels[i] !== "1") {
      throw new Error(`${slicesPath} row ${i + 2}, column label: '${labels[i]}' is not 0 or 1`);
    }
    job.sopUids.push(sops[i]);
    job.sopLabels.push(labels[i] === "1" ? 1 : 0);
  }
  return { jobs, excluded };
}

/**
 * Per-slice labels in volume order, matched by SOP UID. A volume slice without a row is an
 * error, except for a negative exam with no rows at all (its slices are all negative).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sliceLabelsForVolume } from "./manifest.ts";
 * assert.deepEqual(Array.from(sliceLabelsForVolume(["1.1", "1.2"], ["1.2", "1.1"], [1, 0], 1)), [0, 1]);
 * ```
 */
export function sliceLabelsForVolume(
  volumeSopUids: readonly string[],
  sopUids: readonly string[],
  sopLabels: readonly number[],
  examLabel: 0 | 1,
): Uint8Array {
  const out = new Uint8Array(volumeSopUids.length);
  if (sopUids.length === 0 && examLabel === 0) return out;
  const bySop = new Map<string, number>();
  sopUids.forEach((sop, i) => bySop.set(sop, sopLabels[i]));
  const missing: string[] = [];
  volumeSopUids.forEach((sop, z) => {
    const label = bySop.get(sop);
    if (label === undefined) missing.push(sop);
    else out[z] = label;
  });
  if (missing.length > 0) {
    throw new Error(
      `${missing.length} of ${volumeSopUids.length} slices have no row in slices.csv ` +
        `(first SOP UID ${missing[0]}): rerun \`deno task clean\` on this data`,
    );
  }
  return out;
}

function readCsvStrings(path: string, columns: string[]): Record<string, string | null>[] {
  let table: pl.DataFrame;
  try {
    table = pl.readCSV(path, {
      hasHeader: true,
      quoteChar: '"',
      dtypes: Object.fromEntries(columns.map((c) => [c, pl.Utf8])),
    });
  } catch (error) {
    throw new Error(`${path}: cannot be read as CSV (${(error as Error).message})`);
  }
  const absent = columns.filter((c) => !table.columns.includes(c));
  if (absent.length > 0) {
    throw new Error(
      `${path}: column(s) ${absent.join(", ")} missing: rewrite it with the clean step`,
    );
  }
  return table.select(...columns).toRecords() as Record<string, string | null>[];
}

/** exams.csv column of each exam fact. */
const csvColumnOf: Record<string, string> = {
  examId: "study_uid",
  seriesId: "series_uid",
  split: "split",
  fold: "fold",
  examLabel: "label",
  subtype: "subtype",
};

function issueText(error: z.ZodError, columnOf: Record<string, string> = {}): string {
  const issue = error.issues[0];
  const key = String(issue.path[0] ?? "?");
  return `column ${
    columnOf[key] ?? key
  }: ${issue.message} (rewrite the manifest with the clean step)`;
}
