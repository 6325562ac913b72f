/**
 * `deno task clean`: RSPECT label table + DICOM tree -> exclusion manifest (exams.csv,
 * slices.csv, summary.json, run.json) and a summary table on stdout.
 *
 * @example
 * ```sh
 * deno task clean --data rspect/train --labels rspect/train.csv --out data-manifests/rspect \
 *   --splits rspect/splits.csv --check-dicom --workers 2 --seed 0
 * ```
 */
import { z } from "zod";
import { foldCountFlag, parseFlags } from "./flags.ts";
import { cleanRspect, reasonTable, summaryTable } from "../data/rspect/mod.ts";
import { type ProgressBar, progressBar } from "../ui/progress.ts";

const FlagsSchema = z.object({
  data: z.string({ error: "give the folder holding <Study>/<Series>/<SOP>.dcm" }),
  labels: z.string({ error: "give train.csv" }),
  out: z.string({ error: "give the output folder, e.g. data-manifests/rspect" }),
  splits: z.string().optional(),
  checkDicom: z.boolean().default(false),
  seed: z.coerce.number().int().default(0),
  workers: z.coerce.number().int().min(1).default(2),
  /** How many folds the included training exams are cut into. */
  foldCount: foldCountFlag,
}).strict();

/** Run the cleaning with the given flags. */
export async function main(args: string[]): Promise<void> {
  const { foldCount, ...flags } = parseFlags(args, FlagsSchema, "clean");
  let bar: ProgressBar | null = null;
  const { summary, outDir } = await cleanRspect({ ...flags, folds: foldCount }, {
    onStep: (step) => {
      bar?.done();
      bar = null;
      console.log(step);
    },
    onProgress: (done, total) => {
      bar ??= progressBar("DICOM check", total);
      bar.update(done);
    },
  });
  console.log(`\n${summaryTable(summary)}\n`);
  if (summary.excluded + summary.unlabelledFolders > 0) console.log(`${reasonTable(summary)}\n`);
  console.log(
    `manifest written to ${outDir} (exams.csv, unlabelled-folders.csv, slices.csv, summary.json, run.json)`,
  );
}
