/**
 * The RSPECT label table (train.csv): exactly 17 columns, one row per image. The column set is
 * checked with zod (a missing or misspelled column names the closest expected one); values are
 * checked column by column over the whole table with nodejs-polars (1.79 M rows), never row by
 * row. Every value of the 14 label columns must be 0 or 1.
 *
 * An optional 18th column `split` (train / public / private / external) may carry the split.
 *
 * @example
 * ```ts ignore
 * import { readTrainCsv } from "./schema.ts";
 * const table = readTrainCsv("train.csv"); // polars DataFrame, label columns as Int8
 * console.log(table.height);
 * ```
 */
import pl from "nodejs-polars";
import { z } from "zod";
import { labelColumns, rspectColumns, uidColumns } from "./columns.ts";

/** Name of the optional split column. */
export const splitColumn = "split";

/** The splits a study can belong to. */
export const SplitSchema = z.enum(["train", "public", "private", "external"]);
/** One of train / public / private / external. */
export type Split = z.infer<typeof SplitSchema>;

/** Edit distance between two strings (for "did you mean"). */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return prev[b.length];
}

function closest(name: string, candidates: readonly string[]): string | null {
  let best: string | null = null, bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return best !== null && bestDistance <= Math.max(3, Math.floor(name.length / 3)) ? best : null;
}

/** Schema of the header line: the 17 columns (any order) plus optionally `split`. */
export const TrainColumnsSchema = z.array(z.string()).superRefine((columns, ctx) => {
  const missing = rspectColumns.filter((c) => !columns.includes(c));
  const extra = columns.filter((c) =>
    !(rspectColumns as readonly string[]).includes(c) && c !== splitColumn
  );
  for (const name of extra) {
    const guess = closest(name, missing);
    ctx.addIssue({
      code: "custom",
      message: guess
        ? `column '${name}' is not an RSPECT column: rename it to '${guess}'`
        : `column '${name}' is not an RSPECT column: remove it (allowed: the 17 RSPECT columns and '${splitColumn}')`,
    });
  }
  for (const name of missing) {
    if (extra.some((e) => closest(e, missing) === name)) continue;
    ctx.addIssue({ code: "custom", message: `column '${name}' is missing: add it` });
  }
  const seen = new Set<string>();
  for (const name of columns) {
    if (seen.has(name)) {
      ctx.addIssue({ code: "custom", message: `column '${name}' appears twice: keep one` });
    }
    seen.add(name);
  }
});

/** Check a header line; throws one error listing every problem, naming the file. */
export function checkTrainColumns(columns: string[], file: string): void {
  const result = TrainColumnsSchema.safeParse(columns);
  if (!result.success) {
    throw new Error(
      `${file}: bad columns\n${result.error.issues.map((i) => `  ${i.message}`).join("\n")}`,
    );
  }
}

function headerOf(path: string): string[] {
  const file = Deno.openSync(path, { read: true });
  try {
    const buffer = new Uint8Array(64 * 1024);
    const n = file.readSync(buffer) ?? 0;
    const text = new TextDecoder().decode(buffer.subarray(0, n));
    const end = text.search(/\r?\n/);
    return (end >= 0 ? text.slice(0, end) : text).replace(/^\uFEFF/, "").split(",").map((s) =>
      s.trim().replace(/^"|"$/g, "")
    );
  } finally {
    file.close();
  }
}

/**
 * Read and validate train.csv into a polars DataFrame: UID columns as strings, label columns
 * as Int8 (0/1), `split` as string when present; row order kept. Throws an error naming the
 * file, the column, the row (1-based data row and file line) and the fix.
 */
export function readTrainCsv(path: string): pl.DataFrame {
  const columns = headerOf(path);
  checkTrainColumns(columns, path);
  const dtypes: Record<string, pl.DataType> = {};
  for (const c of columns) {
    dtypes[c] = (labelColumns as readonly string[]).includes(c) ? pl.Int8 : pl.Utf8;
  }
  let table: pl.DataFrame;
  try {
    table = readCsv(path, dtypes);
  } catch {
    // a label cell that is not an integer: read everything as text to name the cell
    for (const c of labelColumns) dtypes[c] = pl.Utf8;
    const text = readCsv(path, dtypes);
    for (const c of labelColumns) {
      const bad = pl.col(c).isIn(["0", "1"]).not().fillNull(true);
      throwAtFirst(path, text, c, bad, "use 0 or 1");
    }
    throw new Error(
      `${path}: not readable as CSV: check quoting and the number of fields per line`,
    );
  }
  if (table.height === 0) throw new Error(`${path}: no data rows: add one row per image`);
  // one pass over all columns: a column is valid when it has no null and min >= 0, max <= 1
  const stats = table.select(
    ...uidColumns.map((c) => pl.col(c).nullCount().alias(`${c}:nulls`)),
    ...labelColumns.flatMap((c) => [
      pl.col(c).nullCount().alias(`${c}:nulls`),
      pl.col(c).min().alias(`${c}:min`),
      pl.col(c).max().alias(`${c}:max`),
    ]),
  ).toRecords()[0] as Record<string, number | null>;
  for (const c of uidColumns) {
    if (stats[`${c}:nulls`]) throwAtFirst(path, table, c, pl.col(c).isNull(), "fill in the UID");
  }
  for (const c of labelColumns) {
    const min = stats[`${c}:min`], max = stats[`${c}:max`];
    if (stats[`${c}:nulls`] || (min !== null && min < 0) || (max !== null && max > 1)) {
      throwAtFirst(path, table, c, pl.col(c).isIn([0, 1]).not().fillNull(true), "use 0 or 1");
    }
  }
  if (columns.includes(splitColumn)) {
    const allowed = SplitSchema.options as string[];
    const bad = pl.col(splitColumn).isIn(allowed).not().fillNull(true);
    throwAtFirst(path, table, splitColumn, bad, `use one of ${allowed.join(", ")}`);
  }
  return table;
}

function readCsv(path: string, dtypes: Record<string, pl.DataType>): pl.DataFrame {
  return pl.readCSV(path, { dtypes, hasHeader: true, quoteChar: '"' });
}

/** Throw a value error at the first row where `bad` holds, if any. */
function throwAtFirst(
  path: string,
  table: pl.DataFrame,
  column: string,
  bad: pl.Expr,
  fix: string,
) {
  const [index, any] = table.select(bad.argMax().alias("i"), bad.any().alias("any")).row(0);
  if (!any) return;
  const i = Number(index);
  throw valueError(path, column, i, table.getColumn(column).get(i), fix);
}

function valueError(
  path: string,
  column: string,
  index: number,
  value: unknown,
  fix: string,
): Error {
  const shown = value === "" || value === null ? "an empty cell" : `'${value}'`;
  return new Error(
    `${path}: column '${column}', row ${index + 1} (line ${index + 2}) holds ${shown}: ${fix}`,
  );
}
