/**
 * The slice-label fractions of the study design (method.md): the eleven percentages of each
 * exam's slice labels the paper trains with, from exam labels alone (0 %) to full supervision.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PAPER_LABEL_FRACTIONS } from "./fractions.ts";
 * assert.equal(PAPER_LABEL_FRACTIONS.join(","), "0,2.5,5,10,20,27.5,35,42.5,50,75,100");
 * ```
 */

/** The paper's label fractions, percent, ascending. */
export const PAPER_LABEL_FRACTIONS: readonly number[] = [
  0,
  2.5,
  5,
  10,
  20,
  27.5,
  35,
  42.5,
  50,
  75,
  100,
];
