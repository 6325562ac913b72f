/**
 * The predictions table that `evaluate` reads: one row per exam, label fraction and
 * cross-validation fold, with the model's probability for the exam.
 *
 * Columns: `exam_id, split, label, fraction, fold, score` and optionally `subtype`
 * (`central` | `peripheral`, empty for negatives). `fraction` is the slice-label fraction in
 * percent (0..100), `score` a probability in [0, 1]. CSV or Parquet, read with nodejs-polars.
 * Every problem is reported with the file, the row (1-based data row; the CSV line is row + 1),
 * the column and the fix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readPredictions } from "./predictions_table.ts";
 * const table = readPredictions("data-manifests/example-predictions.csv");
 * assert.equal(table.rows.length, 11 * 5 * 2151); // fractions x folds x exams
 * ```
 */
import pl from "nodejs-polars";
import { z } from "zod";
import { errorMessage } from "../io/errors.ts";
import { SplitSchema } from "../data/rspect/schema.ts";

/** Splits an exam can belong to (data/rspect's split schema). */
export const SPLITS = SplitSchema.options;
/** A split name. */
export type Split = (typeof SPLITS)[number];
/** PE subtypes of a positive exam. */
export const SUBTYPES = ["central", "peripheral"] as const;
/** A PE subtype. */
export type Subtype = (typeof SUBTYPES)[number];

/** Required columns, in their documented order. */
export const REQUIRED_COLUMNS = ["exam_id", "split", "label", "fraction", "fold", "score"] as const;

/** One row of the predictions table, after `decodeCell` turned text cells into values. */
export const predictionRowSchema = z.object({
  exam_id: z.string({ error: "expected an exam identifier" }).min(1, "empty exam identifier"),
  split: z.enum(SPLITS, { error: `expected one of ${SPLITS.join(", ")}` }),
  label: z.union([z.literal(0), z.literal(1)], { error: "expected 0 (no PE) or 1 (PE)" }),
  fraction: z.number({ error: "expected a number" }).min(0, "below 0 %").max(100, "above 100 %"),
  fold: z.number({ error: "expected a number" }).int("expected a whole number").min(0, "below 0"),
  score: z.number({ error: "expected a number" }).min(0, "below 0").max(1, "above 1"),
  subtype: z.enum(SUBTYPES, { error: "expected central, peripheral or empty" }).nullable(),
});

const NUMERIC_COLUMNS = new Set(["label", "fraction", "fold", "score"]);

/**
 * A cell as read (CSV: text or null for empty; Parquet: typed) -> the value the row schema
 * checks: numeric text -> number, bigint -> number, empty -> null, text trimmed. Anything else
 * is passed through unchanged so the schema reports it.
 */
function decodeCell(column: string, value: unknown): unknown {
  if (typeof value === "bigint") value = Number(value);
  if (typeof value === "string") {
    const text = value.trim();
    if (text === "") return null;
    if (NUMERIC_COLUMNS.has(column)) {
      const number = Number(text);
      return Number.isFinite(number) ? number : value;
    }
    return text;
  }
  if (column === "exam_id" && typeof value === "number") return String(value);
  return value === undefined ? null : value;
}

/** A validated prediction row. */
export type PredictionRow = z.infer<typeof predictionRowSchema>;

/** A validated predictions table and whether it carried the subtype column. */
export interface PredictionsTable {
  file: string;
  rows: PredictionRow[];
  hasSubtype: boolean;
}

/** How to fix each column when a cell is wrong. */
const COLUMN_FIXES: Record<string, string> = {
  exam_id: "give every row the exam's identifier",
  split: `use one of ${SPLITS.join(", ")}`,
  label: "write the exam label as 0 (no PE) or 1 (PE)",
  fraction: "write the slice-label fraction in percent, e.g. 27.5",
  fold: "write the cross-validation fold as a whole number (0, 1, ...)",
  score: "write the predicted probability of PE, a number in [0, 1]",
  subtype: "write central or peripheral for a positive exam and leave it empty for a negative",
};

/** A malformed predictions file; the message names the file, row, column and fix. */
export class PredictionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PredictionsError";
  }
}

/**
 * Read and validate a predictions file (`.csv` or `.parquet`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const table = readPredictions("tests/testdata/report/small_predictions.csv");
 * assert.equal(table.rows.length, 324);
 * ```
 */
export function readPredictions(path: string): PredictionsTable {
  let frame: pl.DataFrame;
  try {
    frame = path.toLowerCase().endsWith(".parquet")
      ? pl.readParquet(path)
      : pl.readCSV(path, { inferSchemaLength: 0 }); // every column as text, parsed by the schema
  } catch (error) {
    throw new PredictionsError(
      `${path}: cannot be read as ${path.endsWith(".parquet") ? "Parquet" : "CSV"} (${
        errorMessage(error)
      }); fix: give a CSV with a header line or a Parquet file`,
    );
  }
  const columns: Record<string, ArrayLike<unknown>> = {};
  for (const name of frame.columns) {
    const series = frame.getColumn(name);
    // Numeric columns are parsed by polars when every cell parses (fast path); otherwise the
    // raw cells go to the row schema, which names the first bad one.
    const numbers = NUMERIC_COLUMNS.has(name) ? series.cast(pl.Float64, false) : null;
    columns[name] = numbers !== null && numbers.nullCount() === 0
      ? numbers.toTypedArray() as Float64Array
      : series.toArray() as unknown[];
  }
  return parsePredictions(columns, frame.height, path);
}

/**
 * Validate a table given column-wise (`columns[name][row]`), as read from a file: every
 * cell against the row schema, then the rules across rows (see `checkPredictionRules`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * const table = parsePredictions({
 *   exam_id: ["a", "b"], split: ["public", "public"], label: ["1", "0"],
 *   fraction: ["0", "0"], fold: ["0", "0"], score: ["0.9", "0.2"],
 * }, 2, "inline.csv");
 * assert.equal(table.rows[0].score, 0.9);
 * ```
 */
export function parsePredictions(
  columns: Record<string, ArrayLike<unknown>>,
  height: number,
  file: string,
): PredictionsTable {
  const missing = REQUIRED_COLUMNS.filter((name) => !(name in columns));
  if (missing.length > 0) {
    throw new PredictionsError(
      `${file}: missing column${missing.length > 1 ? "s" : ""} ${
        missing.map((m) => `'${m}'`).join(", ")
      } (found: ${Object.keys(columns).join(", ") || "none"}); fix: the header must hold ${
        REQUIRED_COLUMNS.join(", ")
      } and optionally subtype`,
    );
  }
  if (height === 0) {
    throw new PredictionsError(`${file}: no rows; fix: write one row per exam, fraction and fold`);
  }
  const hasSubtype = "subtype" in columns;
  const names = hasSubtype ? [...REQUIRED_COLUMNS, "subtype"] : [...REQUIRED_COLUMNS];
  const cells = names.map((name) => columns[name]);
  const rows: PredictionRow[] = new Array(height);
  for (let i = 0; i < height; i++) {
    const raw: Record<string, unknown> = { subtype: null };
    for (let c = 0; c < names.length; c++) raw[names[c]] = decodeCell(names[c], cells[c][i]);
    const parsed = predictionRowSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const column = String(issue.path[0]);
      throw new PredictionsError(
        `${file}: row ${i + 1}, column '${column}': ${issue.message}, got ${
          showCell(columns[column][i])
        }; fix: ${COLUMN_FIXES[column]}`,
      );
    }
    rows[i] = parsed.data;
  }
  checkPredictionRules(rows, file);
  return { file, rows, hasSubtype };
}

/**
 * Rules across rows: one row per (exam, fraction, fold); an exam keeps one split, label and
 * subtype; a negative exam has no subtype. Throws on the first broken rule.
 */
function checkPredictionRules(rows: readonly PredictionRow[], file: string): void {
  const seen = new Map<string, number>();
  const exams = new Map<string, number>();
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const key = `${row.exam_id}\u0000${row.fraction}\u0000${row.fold}`;
    const first = seen.get(key);
    if (first !== undefined) {
      throw new PredictionsError(
        `${file}: row ${i + 1} duplicates row ${
          first + 1
        } (exam_id '${row.exam_id}', fraction ${row.fraction}, fold ${row.fold}); fix: keep one row per exam, fraction and fold`,
      );
    }
    seen.set(key, i);
    if (row.label === 0 && row.subtype !== null) {
      throw new PredictionsError(
        `${file}: row ${
          i + 1
        }, column 'subtype': a negative exam ('${row.exam_id}') has subtype '${row.subtype}'; fix: leave subtype empty when label is 0`,
      );
    }
    const examRow = exams.get(row.exam_id);
    if (examRow === undefined) {
      exams.set(row.exam_id, i);
      continue;
    }
    const other = rows[examRow];
    for (const column of ["split", "label", "subtype"] as const) {
      if (row[column] !== other[column]) {
        throw new PredictionsError(
          `${file}: row ${i + 1}, column '${column}': exam '${row.exam_id}' has ${column} ${
            JSON.stringify(row[column])
          } here but ${JSON.stringify(other[column])} in row ${
            examRow + 1
          }; fix: give an exam the same ${column} on every row`,
        );
      }
    }
  }
}

/** A cell as an error message quotes it: numbers as written (NaN, Infinity), text in quotes. */
function showCell(value: unknown): string {
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return value === undefined || value === null ? "an empty cell" : JSON.stringify(value);
}
