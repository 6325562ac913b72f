/**
 * Writing small CSV tables (RFC 4180 quoting: a field with a comma, quote or line break is
 * quoted and its quotes doubled; null and undefined become empty fields).
 *
 * @example
 * ```ts
 * import { formatCsv } from "./csv.ts";
 * formatCsv(["id", "detail"], [["1", "gap, 5 mm"]]); // 'id,detail\n1,"gap, 5 mm"\n'
 * ```
 */

/** One CSV field, quoted when needed. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A whole table: header line, then one line per row, each ending in a newline. */
export function formatCsv(
  header: readonly string[],
  rows: readonly (readonly unknown[])[],
): string {
  const lines = [header.map(csvField).join(",")];
  for (const row of rows) lines.push(row.map(csvField).join(","));
  return `${lines.join("\n")}\n`;
}
