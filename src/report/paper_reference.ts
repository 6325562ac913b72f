/**
 * The paper's published exam-level results as data (Hu et al., npj Digital Medicine 2025): AUC
 * with its 95 % CI per split, subset and label fraction, and the paired DeLong p-values the text
 * quotes. Every value cites where it is printed: the section of the paper and the line of
 * `paper/paper.txt` (the shared plain-text copy, one paragraph per line) whose text contains it;
 * the same values are listed in method.md, "Evaluation". Tables 1-2 and the supplementary tables
 * are not in the plain text, so only values quoted in the running text are here.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { paperAuc } from "./paper_reference.ts";
 * assert.equal(paperAuc("private", "all", 27.5)?.auc, 0.928);
 * ```
 */
import { z } from "zod";

/** Where a published value is printed. */
export const paperCitationSchema = z.object({
  /** Section of the paper. */
  section: z.string(),
  /** 1-based line of paper/paper.txt (one paragraph per line) that prints the value. */
  line: z.number().int().positive(),
});
/** Where a published value is printed. */
export type PaperCitation = z.infer<typeof paperCitationSchema>;

/** One published AUC: split (`private` = RSPECT private test, `external` = Aida + FUMPE). */
export const paperAucSchema = z.object({
  split: z.enum(["private", "external"]),
  subset: z.enum(["all", "central", "peripheral"]),
  /** Slice labels kept, percent. */
  fraction: z.number().min(0).max(100),
  auc: z.number().min(0).max(1),
  ciLow: z.number().min(0).max(1),
  ciHigh: z.number().min(0).max(1),
  citation: paperCitationSchema,
});
/** One published AUC with its 95 % CI. */
export type PaperAuc = z.infer<typeof paperAucSchema>;

/** One published paired DeLong p-value between two fractions. */
export const paperPValueSchema = z.object({
  split: z.enum(["private", "external"]),
  subset: z.enum(["all", "central", "peripheral"]),
  /** The two fractions compared, percent. */
  fractions: z.tuple([z.number(), z.number()]),
  p: z.number().min(0).max(1),
  citation: paperCitationSchema,
});
/** One published paired DeLong p-value. */
export type PaperPValue = z.infer<typeof paperPValueSchema>;

const results = "Results";
const overall = { section: results, line: 19 };
const external = { section: results, line: 33 };
const central = { section: `${results}, Performance by PE subtype`, line: 43 };
const peripheral = { section: `${results}, Performance by PE subtype`, line: 45 };

/** Every AUC the paper's text prints, in the order split, subset, fraction. */
// deno-fmt-ignore
export const PAPER_AUCS: readonly PaperAuc[] = z.array(paperAucSchema).parse([
  { split: "private", subset: "all", fraction: 0, auc: 0.682, ciLow: 0.652, ciHigh: 0.711, citation: overall },
  { split: "private", subset: "all", fraction: 2.5, auc: 0.858, ciLow: 0.836, ciHigh: 0.881, citation: overall },
  { split: "private", subset: "all", fraction: 27.5, auc: 0.928, ciLow: 0.91, ciHigh: 0.945, citation: overall },
  { split: "private", subset: "all", fraction: 100, auc: 0.932, ciLow: 0.915, ciHigh: 0.948, citation: overall },
  { split: "private", subset: "central", fraction: 0, auc: 0.817, ciLow: 0.776, ciHigh: 0.858, citation: central },
  { split: "private", subset: "central", fraction: 2.5, auc: 0.972, ciLow: 0.953, ciHigh: 0.991, citation: central },
  { split: "private", subset: "central", fraction: 100, auc: 0.987, ciLow: 0.974, ciHigh: 1, citation: central },
  { split: "private", subset: "peripheral", fraction: 0, auc: 0.647, ciLow: 0.614, ciHigh: 0.68, citation: peripheral },
  { split: "private", subset: "peripheral", fraction: 2.5, auc: 0.829, ciLow: 0.802, ciHigh: 0.856, citation: peripheral },
  { split: "private", subset: "peripheral", fraction: 27.5, auc: 0.912, ciLow: 0.891, ciHigh: 0.933, citation: peripheral },
  { split: "private", subset: "peripheral", fraction: 100, auc: 0.917, ciLow: 0.898, ciHigh: 0.937, citation: peripheral },
  { split: "external", subset: "all", fraction: 0, auc: 0.656, ciLow: 0.522, ciHigh: 0.79, citation: external },
  { split: "external", subset: "all", fraction: 2.5, auc: 0.98, ciLow: 0.953, ciHigh: 1, citation: external },
  { split: "external", subset: "all", fraction: 100, auc: 1, ciLow: 1, ciHigh: 1, citation: external },
]);

/** Every paired DeLong p-value the paper's text prints. */
// deno-fmt-ignore
export const PAPER_P_VALUES: readonly PaperPValue[] = z.array(paperPValueSchema).parse([
  { split: "private", subset: "all", fractions: [27.5, 100], p: 0.187, citation: overall },
  { split: "private", subset: "central", fractions: [2.5, 100], p: 0.05, citation: central },
  { split: "private", subset: "peripheral", fractions: [27.5, 100], p: 0.119, citation: peripheral },
  { split: "external", subset: "all", fractions: [2.5, 100], p: 0.124, citation: external },
]);

/**
 * The published AUC of (split, subset, fraction), or undefined when the text gives none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(paperAuc("private", "peripheral", 0)?.auc, 0.647);
 * assert.equal(paperAuc("private", "all", 5), undefined); // only in the supplementary tables
 * ```
 */
export function paperAuc(split: string, subset: string, fraction: number): PaperAuc | undefined {
  return PAPER_AUCS.find((r) =>
    r.split === split && r.subset === subset && r.fraction === fraction
  );
}

/**
 * A published AUC as the paper prints it: `0.682 (0.652, 0.711)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(formatPaperAuc(PAPER_AUCS[0]), "0.682 (0.652, 0.711)");
 * ```
 */
export function formatPaperAuc(value: PaperAuc): string {
  const f = (x: number) => x.toFixed(3);
  return `${f(value.auc)} (${f(value.ciLow)}, ${f(value.ciHigh)})`;
}

/**
 * The paper's training design (Methods): exams per cross-validation round (its filtered RSPECT
 * training set, paper.txt line 104), epochs per run (line 106), and the exam-steps that gives
 * (exams x epochs, about 200,000).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { PAPER_TRAINING } from "./paper_reference.ts";
 * assert.equal(PAPER_TRAINING.examsPerRound * PAPER_TRAINING.epochs, 208740);
 * ```
 */
export const PAPER_TRAINING = {
  examsPerRound: 6958,
  epochs: 30,
  citation: { section: "Methods", line: 104 },
} as const;
