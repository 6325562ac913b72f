/**
 * `deno task synth --out DIR [--profile demo|paper|tiny] [--seed S] [--exams N] [--workers N]
 * [--erase-clots]`:
 * generate the synthetic CTPA dataset in RSPECT's layout (DICOM studies, train.csv,
 * splits.csv, truth.json) and its run record (run.json). Rerunning with the same flags resumes.
 * `--erase-clots` writes the same exams and labels with the clots left out of the images: data
 * for the shortcut probe (a model trained on it can only use cues other than the clots).
 *
 * @example
 * ```sh
 * deno task synth --out data/synthetic --profile demo --seed 0
 * ```
 */
import { join } from "node:path";
import { z } from "zod";
import { parseFlags } from "./flags.ts";
import { synthesizeDataset } from "../data/phantom/dataset.ts";
import { phantomProfile, profileNameSchema } from "../data/phantom/profile.ts";
import { progressBar } from "../ui/progress.ts";
import { runRecord } from "../io/run_record.ts";
import { writeJsonAtomic } from "../io/atomic.ts";

const flagsSchema = z.object({
  out: z.string({ error: "required: the output folder, e.g. --out data/synthetic" }),
  profile: profileNameSchema.default("demo"),
  seed: z.coerce.number().int().min(0).default(0),
  exams: z.coerce.number().int().min(1).optional(),
  workers: z.coerce.number().int().min(1).max(64).default(
    Math.max(1, Math.min(4, navigator.hardwareConcurrency)),
  ),
  eraseClots: z.boolean().default(false),
});

/** Entry point of `deno task synth`. */
export async function main(args: string[]): Promise<void> {
  const flags = parseFlags(args, flagsSchema, "synth");
  const exams = flags.exams ?? phantomProfile(flags.profile).defaultExams;
  const config = {
    profile: flags.profile,
    seed: flags.seed,
    exams,
    workers: flags.workers,
    eraseClots: flags.eraseClots,
  };
  const record = runRecord("synth", config, flags.seed);
  const bar = progressBar(`synth ${flags.profile}`, exams);
  const summary = await synthesizeDataset(
    flags.out,
    { profile: flags.profile, seed: flags.seed, exams, eraseClots: flags.eraseClots },
    { workers: flags.workers, onProgress: (done) => bar.update(done) },
  );
  bar.done(`${summary.written} written, ${summary.skipped} already there`);
  await writeJsonAtomic(join(flags.out, "run.json"), { ...record, summary });
  console.log(
    `synth: ${summary.exams} exams in ${flags.out} (${summary.written} written, ` +
      `${summary.skipped} skipped) in ${summary.seconds.toFixed(1)} s`,
  );
}
