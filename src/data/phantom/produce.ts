/**
 * Produce one exam on disk: generate it, write its DICOM folder atomically, then its progress
 * record (`<out>/.synth-progress/<index>.json`: truth and exam flags). The record is written
 * last, so its presence means the exam is complete.
 *
 * @example
 * ```ts ignore
 * import { produceExam } from "./produce.ts";
 * import { examPlans } from "./schedule.ts";
 * import { phantomProfile } from "./profile.ts";
 * await produceExam("out/synthetic", 0, phantomProfile("tiny"), examPlans(0, 10)[0]);
 * ```
 */
import { join } from "node:path";
import { z } from "zod";
import { writeJsonAtomic } from "../../io/atomic.ts";
import { generateExam } from "./exam.ts";
import type { PhantomProfile } from "./profile.ts";
import type { ExamPlan } from "./schedule.ts";
import { examFlagsSchema, examTruthSchema } from "./truth.ts";
import { writeExamDicom } from "./write_exam.ts";

/** Folder of per-exam progress records inside the output folder. */
export const PROGRESS_DIR = ".synth-progress";

/** A finished exam's record. */
export const examRecordSchema = z.object({
  truth: examTruthSchema,
  flags: examFlagsSchema,
});
/** Truth and RSPECT exam flags of one written exam. */
export type ExamRecord = z.infer<typeof examRecordSchema>;

/** Path of exam `index`'s progress record. */
export function recordPath(out: string, index: number): string {
  return join(out, PROGRESS_DIR, `${index}.json`);
}

/** Generate and write exam `plan.index`, then its record. */
export async function produceExam(
  out: string,
  seed: number,
  profile: PhantomProfile,
  plan: ExamPlan,
  eraseClots = false,
): Promise<void> {
  const exam = generateExam(seed, profile, plan, { eraseClots });
  await writeExamDicom(out, exam, seed);
  const record: ExamRecord = { truth: exam.truth, flags: exam.flags };
  await writeJsonAtomic(recordPath(out, plan.index), record);
}
