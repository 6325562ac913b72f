/**
 * RSPECT cleaning: label table -> exclusion manifest. Reads and validates train.csv, builds the
 * exam table, applies the label rules, matches exams to DICOM folders
 * (`<data>/<Study>/<Series>/`), optionally checks every series (worker pool, resumable), assigns
 * splits and stratified folds, and writes into the output folder (each file atomically):
 *
 * - `exams.csv`: one row per exam of train.csv: study_uid, series_uid, split, fold, label,
 *   subtype, n_slices, n_pos_slices, status, reason, detail, then the 13 exam-level columns.
 * - `unlabelled-folders.csv`: DICOM folders with no row in train.csv (reason `not-in-labels`):
 *   study_uid, series_uid, folder, reason, detail.
 * - `slices.csv`: study_uid, series_uid, sop_uid, z_index, z_position, label for included
 *   exams. With the DICOM check, z order and positions come from ImagePositionPatient; without
 *   it z_index is the row order within the exam in train.csv and z_position is empty.
 * - `summary.json`: counts by split, label, subtype, reason and fold, and the flow of counts.
 * - `run.json`: the run record (config, seed, versions, timings).
 * - `dicom-check.jsonl` (with the DICOM check): the per-series check cache.
 *
 * @example
 * ```ts ignore
 * import { cleanRspect } from "./clean.ts";
 * const result = await cleanRspect({
 *   data: "rspect/train", labels: "rspect/train.csv", out: "data-manifests/rspect",
 *   checkDicom: false, seed: 0, workers: 2, folds: 5,
 * });
 * console.log(result.summary.included);
 * ```
 */
import pl from "nodejs-polars";
import { join } from "node:path";
import { z } from "zod";
import {
  errorMessage,
  formatCsv,
  runRecord,
  writeJsonAtomic,
  writeTextAtomic,
} from "../../io/mod.ts";
import { examColumns, examsCsvColumns, type SlicesCsvColumn, slicesCsvColumns } from "./columns.ts";
import { readTrainCsv, type Split, splitColumn } from "./schema.ts";
import { type ExamRecord, examTable } from "./exam_table.ts";
import { examLabel, type Exclusion, labelExclusion, type Subtype, subtypeOf } from "./rules.ts";
import { assignFolds, readSplitFile } from "./splits.ts";
import { type CheckedSeries, checkSeriesPool } from "./dicom_check.ts";
import { type CleaningSummary, summarize } from "./summary.ts";

/** Schema of the cleaning configuration (the `clean` command's flags). */
export const CleanConfigSchema = z.object({
  /** Folder holding `<Study>/<Series>/<SOP>.dcm`. */
  data: z.string().min(1),
  /** train.csv. */
  labels: z.string().min(1),
  /** Output folder. */
  out: z.string().min(1),
  /** Optional split file (study_uid,split). */
  splits: z.string().optional(),
  /** Read and validate every series (headers and pixels). */
  checkDicom: z.boolean().default(false),
  seed: z.number().int().default(0),
  workers: z.number().int().min(1).default(2),
  folds: z.number().int().min(2).default(5),
});
/** Cleaning configuration. */
export type CleanConfig = z.input<typeof CleanConfigSchema>;

/** One row of exams.csv. */
export interface ExamOutcome {
  studyUid: string;
  seriesUid: string;
  split: Split | null;
  fold: number | null;
  label: 0 | 1 | null;
  subtype: Subtype | null;
  nSlices: number;
  nPosSlices: number;
  exclusion: Exclusion | null;
  exam: ExamRecord | null;
}

/** What a cleaning run produced. */
export interface CleanResult {
  outcomes: ExamOutcome[];
  summary: CleaningSummary;
  outDir: string;
}

/** Progress hooks: `onStep` names each stage, `onProgress` counts series in the DICOM check. */
export interface CleanHooks {
  onStep?: (step: string) => void;
  onProgress?: (done: number, total: number) => void;
}

/** Run the cleaning and write the manifests (see the module comment). */
export async function cleanRspect(
  input: CleanConfig,
  hooks: CleanHooks = {},
): Promise<CleanResult> {
  const config = CleanConfigSchema.parse(input);
  const started = performance.now();
  const record = runRecord("clean", config, config.seed);
  hooks.onStep?.(`reading ${config.labels}`);
  const table = readTrainCsv(config.labels);
  const exams = examTable(table);
  const splitOf = splitLookup(config.splits, table, exams);

  const outcomes: ExamOutcome[] = exams.map((exam) => ({
    studyUid: exam.studyUid,
    seriesUid: exam.seriesUid,
    split: splitOf(exam),
    fold: null,
    label: examLabel(exam),
    subtype: subtypeOf(exam),
    nSlices: exam.nSlices,
    nPosSlices: exam.nPosSlices,
    exclusion: labelExclusion(exam),
    exam,
  }));

  hooks.onStep?.(`listing ${config.data}`);
  const folders = listSeriesFolders(config.data);
  const labelled = new Set(exams.map((e) => `${e.studyUid}/${e.seriesUid}`));
  for (const outcome of outcomes) {
    if (!outcome.exclusion && !folders.has(`${outcome.studyUid}/${outcome.seriesUid}`)) {
      outcome.exclusion = {
        reason: "missing-files",
        detail: `no folder ${join(config.data, outcome.studyUid, outcome.seriesUid)}`,
      };
    }
  }
  for (const key of [...folders.keys()].filter((k) => !labelled.has(k)).sort()) {
    const [studyUid, seriesUid] = key.split("/");
    outcomes.push({
      studyUid,
      seriesUid,
      split: null,
      fold: null,
      label: null,
      subtype: null,
      nSlices: 0,
      nPosSlices: 0,
      exclusion: {
        reason: "not-in-labels",
        detail: `DICOM folder ${folders.get(key)} has no rows in train.csv`,
      },
      exam: null,
    });
  }

  let dicomSlices: pl.DataFrame | null = null;
  if (config.checkDicom) {
    const candidates = outcomes.filter((o) => o.exam && !o.exclusion);
    hooks.onStep?.(`checking ${candidates.length} DICOM series with ${config.workers} workers`);
    const checks = await checkSeriesPool(
      candidates.map((o) => ({
        key: `${o.studyUid}/${o.seriesUid}`,
        dir: folders.get(`${o.studyUid}/${o.seriesUid}`)!,
      })),
      {
        workers: config.workers,
        cachePath: join(config.out, "dicom-check.jsonl"),
        onProgress: hooks.onProgress,
      },
    );
    dicomSlices = applyChecks(candidates, checks, table);
  }

  const included = outcomes.filter((o) => o.exam && !o.exclusion);
  const folds = assignFolds(
    included.filter((o) => o.split === "train").map((o) => ({
      studyUid: o.studyUid,
      stratum: o.subtype ?? "negative",
    })),
    config.folds,
    config.seed,
  );
  for (const o of included) if (o.split === "train") o.fold = folds.get(o.studyUid) ?? null;

  hooks.onStep?.(`writing ${config.out}`);
  const summary = summarize(outcomes, config.folds);
  await writeTextAtomic(join(config.out, "exams.csv"), examsCsv(outcomes));
  await writeTextAtomic(
    join(config.out, "unlabelled-folders.csv"),
    formatCsv(
      ["study_uid", "series_uid", "folder", "reason", "detail"],
      outcomes.filter((o) => !o.exam).map((o) => [
        o.studyUid,
        o.seriesUid,
        folders.get(`${o.studyUid}/${o.seriesUid}`),
        o.exclusion?.reason,
        o.exclusion?.detail,
      ]),
    ),
  );
  await writeSlicesCsv(join(config.out, "slices.csv"), table, included, dicomSlices);
  await writeJsonAtomic(join(config.out, "summary.json"), summary);
  await writeJsonAtomic(join(config.out, "run.json"), {
    ...record,
    seconds: Number(((performance.now() - started) / 1000).toFixed(3)),
    outputs: [
      "exams.csv",
      "slices.csv",
      "summary.json",
      ...(config.checkDicom ? ["dicom-check.jsonl"] : []),
    ],
  });
  return { outcomes, summary, outDir: config.out };
}

/** study -> split, from the split file, else train.csv's split column, else all `train`. */
function splitLookup(
  splitFile: string | undefined,
  table: pl.DataFrame,
  exams: ExamRecord[],
): (exam: ExamRecord) => Split {
  if (splitFile) {
    const splits = readSplitFile(splitFile);
    const absent = [...new Set(exams.map((e) => e.studyUid))].filter((s) => !splits.has(s));
    if (absent.length > 0) {
      throw new Error(
        `${splitFile}: ${absent.length} studies of train.csv have no split (first: ${
          absent.slice(0, 3).join(", ")
        }): add a row study_uid,split for each`,
      );
    }
    return (exam) => splits.get(exam.studyUid)!;
  }
  if (table.columns.includes(splitColumn)) return (exam) => exam.split ?? "train";
  return () => "train";
}

/** `<Study>/<Series>` -> folder path for every series folder under `data`. */
function listSeriesFolders(data: string): Map<string, string> {
  const folders = new Map<string, string>();
  let studies: Deno.DirEntry[];
  try {
    studies = [...Deno.readDirSync(data)];
  } catch (error) {
    throw new Error(
      `--data ${data}: not a readable folder (${
        errorMessage(error)
      }): give the folder holding <StudyInstanceUID>/<SeriesInstanceUID>/`,
    );
  }
  for (const study of studies) {
    if (!study.isDirectory || study.name.startsWith(".")) continue;
    for (const series of Deno.readDirSync(join(data, study.name))) {
      if (series.isDirectory && !series.name.startsWith(".")) {
        folders.set(`${study.name}/${series.name}`, join(data, study.name, series.name));
      }
    }
  }
  return folders;
}

/**
 * Turn check results into exclusions, and match labelled SOPs to files: labelled slices
 * without a file -> `missing-files`; files without a labelled row -> `missing-labels`.
 * Returns the DICOM slice order of the exams still included
 * (StudyInstanceUID, SeriesInstanceUID, SOPInstanceUID, z_index, z_position).
 */
function applyChecks(
  candidates: ExamOutcome[],
  checks: Map<string, CheckedSeries>,
  table: pl.DataFrame,
): pl.DataFrame {
  const study: string[] = [], series: string[] = [], sop: string[] = [];
  const zIndex: number[] = [], zPosition: number[] = [];
  for (const o of candidates) {
    const check = checks.get(`${o.studyUid}/${o.seriesUid}`)!;
    if (check.files === 0) {
      o.exclusion = { reason: "missing-files", detail: "the series folder holds no files" };
    } else if (check.problem) {
      o.exclusion = check.problem;
    } else {
      check.sopInstanceUids.forEach((uid, k) => {
        study.push(o.studyUid);
        series.push(o.seriesUid);
        sop.push(uid);
        zIndex.push(k);
        zPosition.push(check.zPositions[k]);
      });
    }
  }
  const keys = ["StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"] as const;
  const files: pl.DataFrame = pl.DataFrame({
    StudyInstanceUID: pl.Series("StudyInstanceUID", study, pl.Utf8),
    SeriesInstanceUID: pl.Series("SeriesInstanceUID", series, pl.Utf8),
    SOPInstanceUID: pl.Series("SOPInstanceUID", sop, pl.Utf8),
    z_index: pl.Series("z_index", zIndex, pl.Int32),
    z_position: pl.Series("z_position", zPosition, pl.Float64),
  });
  const checkedSeries = [...new Set(series)];
  const labelledRows = table.select(...keys).filter(
    pl.col("SeriesInstanceUID").isIn(checkedSeries),
  );
  const counts = (frame: pl.DataFrame) => {
    const grouped = frame.groupBy("SeriesInstanceUID").agg(
      pl.col("SOPInstanceUID").count().alias("n"),
    );
    const names = grouped.getColumn("SeriesInstanceUID").toArray() as string[];
    const n = grouped.getColumn("n").toArray() as number[];
    return new Map(names.map((name, i) => [name, Number(n[i])]));
  };
  const withoutFile = counts(
    labelledRows.join(files.select(...keys), { on: [...keys], how: "anti" }),
  );
  const withoutLabel = counts(
    files.select(...keys).join(labelledRows, { on: [...keys], how: "anti" }),
  );
  for (const o of candidates) {
    if (o.exclusion) continue;
    const missing = withoutFile.get(o.seriesUid) ?? 0;
    const unlabelled = withoutLabel.get(o.seriesUid) ?? 0;
    if (missing > 0) {
      o.exclusion = {
        reason: "missing-files",
        detail: `${missing} of ${o.nSlices} labelled slices have no DICOM file${
          unlabelled ? `; ${unlabelled} files have no label row` : ""
        }`,
      };
    } else if (unlabelled > 0) {
      o.exclusion = {
        reason: "missing-labels",
        detail: `${unlabelled} DICOM files have no row in train.csv`,
      };
    }
  }
  return files;
}

function examsCsv(outcomes: ExamOutcome[]): string {
  const rows = outcomes.filter((o) => o.exam).map((o) => [
    o.studyUid,
    o.seriesUid,
    o.split,
    o.fold,
    o.label,
    o.subtype,
    o.nSlices,
    o.nPosSlices,
    o.exclusion ? "excluded" : "included",
    o.exclusion?.reason,
    o.exclusion?.detail,
    ...examColumns.map((c) => o.exam?.labels[c]),
  ]);
  return formatCsv(examsCsvColumns, rows);
}

async function writeSlicesCsv(
  path: string,
  table: pl.DataFrame,
  included: ExamOutcome[],
  dicomSlices: pl.DataFrame | null,
): Promise<void> {
  const keep = included.map((o) => o.seriesUid);
  let rows: pl.DataFrame = table.select(
    "StudyInstanceUID",
    "SeriesInstanceUID",
    "SOPInstanceUID",
    "pe_present_on_image",
  )
    .filter(pl.col("SeriesInstanceUID").isIn(keep));
  if (dicomSlices) {
    rows = rows.join(dicomSlices, {
      on: ["StudyInstanceUID", "SeriesInstanceUID", "SOPInstanceUID"],
      how: "inner",
    }).sort(["StudyInstanceUID", "SeriesInstanceUID", "z_index"]);
  } else {
    rows = rows.withColumns(
      pl.col("SOPInstanceUID").cumCount().over("SeriesInstanceUID").sub(1).cast(pl.Int32).alias(
        "z_index",
      ),
      pl.lit(null).cast(pl.Float64).alias("z_position"),
    );
  }
  const source: Record<SlicesCsvColumn, string> = {
    study_uid: "StudyInstanceUID",
    series_uid: "SeriesInstanceUID",
    sop_uid: "SOPInstanceUID",
    z_index: "z_index",
    z_position: "z_position",
    label: "pe_present_on_image",
  };
  const out = rows.select(...slicesCsvColumns.map((c) => pl.col(source[c]).alias(c)));
  const tmp = `${path}.${Deno.pid}.tmp`;
  try {
    out.writeCSV(tmp);
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw new Error(`could not write ${path}: ${errorMessage(error)}`);
  }
}
