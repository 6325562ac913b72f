/**
 * `deno task preprocess --manifest data-manifests/NAME --data DIR --out cache/NAME
 *  [--size 184,256,256] [--workers N] [--save-masks] [--mask-stride 0]`
 *
 * Prepares every included exam of the manifest into the prepared-exam cache (see
 * src/preprocess/run.ts), with a progress bar and ETA; prints the counts and failures.
 *
 * @example
 * ```sh
 * deno task preprocess --manifest data-manifests/rspect --data rspect/train --out cache/rspect \
 *   --workers 2
 * ```
 */
import { z } from "zod";
import { parseFlags } from "./flags.ts";
import { preprocessManifest } from "../preprocess/mod.ts";
import { progressBar } from "../ui/progress.ts";

const flagsSchema = z.object({
  manifest: z.string({ error: "give the manifest folder (exams.csv, slices.csv)" }),
  data: z.string({ error: "give the folder holding <study_uid>/<series_uid>/*.dcm" }),
  out: z.string({ error: "give the cache folder to write, e.g. cache/NAME" }),
  size: z.string().regex(/^\d+,\d+,\d+$/, "D,H,W, e.g. 184,256,256").default("184,256,256")
    .transform((s) => s.split(",").map(Number) as [number, number, number]),
  workers: z.coerce.number().int().min(0).max(64).default(1),
  saveMasks: z.boolean().default(false),
  maskStride: z.coerce.number().int().min(0).max(8).default(0),
});

/**
 * Entry point of `deno task preprocess`.
 *
 * @example
 * ```ts ignore
 * import { main } from "./preprocess.ts";
 * await main(["--manifest", "m", "--data", "d", "--out", "cache/x", "--workers", "2"]);
 * ```
 */
export async function main(args: string[]): Promise<void> {
  const flags = parseFlags(args, flagsSchema, "preprocess");
  let bar: ReturnType<typeof progressBar> | null = null;
  const summary = await preprocessManifest(flags, {
    onProgress: (done, total) => {
      bar ??= progressBar("preprocess", total);
      bar.update(done);
    },
  });
  (bar as ReturnType<typeof progressBar> | null)?.done();
  if (summary.configChanged) {
    console.log(`${flags.out}: made with other settings; its exams were rebuilt`);
  }
  console.log(
    `${summary.total} exams: ${summary.prepared} prepared, ${summary.skipped} already done, ` +
      `${summary.failed} failed (${summary.seconds.toFixed(1)} s) -> ${flags.out}`,
  );
  if (summary.examsWithPositivesOutsideVoi > 0) {
    console.log(
      `${summary.examsWithPositivesOutsideVoi} exams have positive slices outside their lung VOI ` +
        `(positivesOutsideVoi in ${flags.out}/index.json)`,
    );
  }
  for (const f of summary.failures.slice(0, 20)) {
    console.log(`  failed ${f.examId}: ${f.reason}: ${f.detail}`);
  }
  if (summary.failures.length > 20) console.log(`  ... see ${flags.out}/failures.csv`);
}
