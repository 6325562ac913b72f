/**
 * The synthetic CTPA dataset: profiles (tiny, demo, paper), the plan of every exam, one exam
 * generated from (seed, index) with its truth, the dataset written in RSPECT's layout, the truth
 * file, clot masks of a regenerated exam, and gallery panels for figures. How the anatomy,
 * vessels, emboli and artefacts are drawn is in the modules behind these.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { examPlans, generateExam, phantomProfile } from "./mod.ts";
 * const exam = generateExam(0, phantomProfile("tiny"), examPlans(0, 10)[0]);
 * assert.equal(exam.truth.index, 0);
 * ```
 */
export * from "./profile.ts";
export * from "./schedule.ts";
export * from "./exam.ts";
export * from "./truth.ts";
export * from "./labels.ts";
export * from "./dataset.ts";
export * from "./clot_mask.ts";
export * from "./gallery.ts";
export * from "./tissue.ts";
