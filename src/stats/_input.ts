/**
 * Input checks shared by the statistics functions, and the split of scores by label.
 * Private to src/stats.
 */
import { StatsInputError } from "./errors.ts";

/** How many offending entries an error message lists before summarising the rest. */
const LISTED = 10;

/** Checked ROC input: scores as a fresh Float64Array (-0 read as 0), labels as 0/1 bytes. */
export interface RocInput {
  /** [n] finite scores, higher = more likely positive. */
  scores: Float64Array;
  /** [n] 1 = positive (case), 0 = negative (control). */
  labels: Uint8Array;
  /** Number of positives (m). */
  cases: number;
  /** Number of negatives (n). */
  controls: number;
}

/** Names entry `i` for a message: its id when ids are given, else `index i`. */
function entryName(i: number, ids?: readonly string[]): string {
  return ids && i < ids.length ? `'${ids[i]}'` : `index ${i}`;
}

/** Lists up to LISTED offending entries, with a count of the rest. */
function listEntries(
  bad: readonly number[],
  ids: readonly string[] | undefined,
  what: (i: number) => string,
): string {
  const shown = bad.slice(0, LISTED).map((i) => `${entryName(i, ids)} (${what(i)})`);
  const more = bad.length > LISTED ? ` and ${bad.length - LISTED} more` : "";
  return shown.join(", ") + more;
}

/**
 * Checks one score vector: not empty, every value finite, ids (when given) of the same length.
 * `name` is the argument's name in the message ("scores", "scoresA").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkScores } from "./_input.ts";
 * assert.throws(() => checkScores([0.2, NaN], "scores", ["exam-1", "exam-2"]), /'exam-2' \(NaN\)/);
 * ```
 */
export function checkScores(
  scores: ArrayLike<number>,
  name: string,
  ids?: readonly string[],
): void {
  if (scores.length === 0) {
    throw new StatsInputError(`${name} is empty: at least one score per class is needed`);
  }
  if (ids !== undefined && ids.length !== scores.length) {
    throw new StatsInputError(
      `ids has ${ids.length} entries but ${name} has ${scores.length}: pass one id per score`,
    );
  }
  const bad: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) bad.push(i);
  }
  if (bad.length > 0) {
    throw new StatsInputError(
      `${name} has ${bad.length} non-finite value(s): ` +
        listEntries(bad, ids, (i) => String(scores[i])) +
        `; every score must be a finite number (fix or exclude these entries)`,
    );
  }
}

/**
 * Checks that labels match the scores in length and are all 0 or 1.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkLabels } from "./_input.ts";
 * assert.throws(() => checkLabels([0, 1, 2], 3, "labels"), /index 2 \(2\)/);
 * ```
 */
export function checkLabels(
  labels: ArrayLike<number>,
  scoreCount: number,
  name: string,
  ids?: readonly string[],
): void {
  if (labels.length !== scoreCount) {
    throw new StatsInputError(
      `${name} has ${labels.length} entries but the scores have ${scoreCount}: ` +
        `pass one label per score`,
    );
  }
  const bad: number[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) bad.push(i);
  }
  if (bad.length > 0) {
    throw new StatsInputError(
      `${name} has ${bad.length} value(s) other than 0 or 1: ` +
        listEntries(bad, ids, (i) => String(labels[i])) +
        `; labels must be 0 (negative) or 1 (positive)`,
    );
  }
}

/**
 * Checks scores and labels for an ROC statistic and copies them into typed arrays. Both classes
 * must be present. -0 is read as 0 so that it ties with 0 everywhere.
 *
 * @example
 * ```ts
 * import { checkRocInput } from "./_input.ts";
 * const input = checkRocInput([0.2, 0.9, 0.4], [0, 1, 0], { scores: "scores", labels: "labels" });
 * // input.cases = 1, input.controls = 2
 * ```
 */
export function checkRocInput(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  names: { scores: string; labels: string },
  ids?: readonly string[],
): RocInput {
  checkScores(scores, names.scores, ids);
  checkLabels(labels, scores.length, names.labels, ids);
  const copy = new Float64Array(scores.length);
  const bytes = new Uint8Array(labels.length);
  let cases = 0;
  for (let i = 0; i < scores.length; i++) {
    copy[i] = scores[i] + 0; // -0 -> 0
    bytes[i] = labels[i];
    cases += bytes[i];
  }
  const controls = labels.length - cases;
  if (cases === 0 || controls === 0) {
    const only = cases === 0 ? "negatives (0)" : "positives (1)";
    throw new StatsInputError(
      `${names.labels} holds only ${only} among ${labels.length} entries: ` +
        `ROC statistics need at least one positive and one negative`,
    );
  }
  return { scores: copy, labels: bytes, cases, controls };
}
