/**
 * `deno task predict`: PE probability of new CT studies with a trained run, no labels needed.
 * PATH (`--data`) is one series folder, one study folder or a tree of studies. Each series is
 * read and validated as in cleaning, prepared with the run's own preprocessing settings, and
 * scored by the fold ensemble of one label fraction (default: the run's best by public-split
 * AUC); the call uses Youden's threshold on the run's public predictions for those folds.
 * The work is `runPredict` (src/predict/predict_studies.ts); outputs are described in
 * src/predict/output.ts and docs/predict.md.
 *
 * @example
 * ```sh
 * deno task predict --run runs/rspect --data new-studies/ --out out/predict \
 *   [--fraction 27.5] [--folds all|0,1,2] [--backend auto|tensorflow|webgpu|wasm|cpu]
 * ```
 */
import { z } from "zod";
import { backendPreferenceSchema, selectBackend } from "../model/backend.ts";
import { examCall } from "../predict/output.ts";
import { runPredict } from "../predict/predict_studies.ts";
import { type ProgressBar, progressBar } from "../ui/progress.ts";
import { foldsFlag, parseFlags } from "./flags.ts";

/** The flags of `predict`. */
export const predictFlagsSchema = z.object({
  run: z.string({ error: "required: the run folder of `deno task train` / `sweep`" }),
  data: z.string({ error: "required: a series folder, a study folder or a folder of studies" }),
  out: z.string({ error: "required: the output folder" }),
  fraction: z.coerce.number().pipe(z.number().min(0, "below 0 %").max(100, "above 100 %"))
    .optional(),
  folds: foldsFlag("all"),
  backend: backendPreferenceSchema.default("auto"),
});

/** Validated flags of `predict`. */
export type PredictFlags = z.infer<typeof predictFlagsSchema>;

/** Run `predict` as described by `args`. */
export async function main(args: string[]): Promise<void> {
  const flags = parseFlags(args, predictFlagsSchema, "predict");
  const backend = await selectBackend(flags.backend); // logs the choice and its reason
  let bar: ProgressBar | null = null;
  const summary = await runPredict(flags, {
    backend: backend.name,
    command: `predict ${args.join(" ")}`,
    onProgress: (done, total) => {
      bar ??= progressBar("predict", total);
      bar.update(done);
    },
  });
  (bar as ProgressBar | null)?.done();
  const { threshold } = summary;
  console.log(
    `fraction ${summary.fractionPercent} %, folds ${summary.folds.join(", ")}; threshold ${
      threshold === null
        ? `none (${summary.thresholdNote})`
        : `${threshold.value.toPrecision(4)} (Youden on ${threshold.split}, AUC ${
          threshold.auc.toFixed(3)
        })`
    }`,
  );
  for (const p of summary.predictions) {
    const call =
      ["", " no PE", " PE"][(examCall(p.examProbability, threshold?.value ?? null) ?? -1) + 1];
    const warn = p.warnings.length > 0 ? ` [${p.warnings.join("; ")}]` : "";
    console.log(`  ${p.studyUid}: ${p.examProbability.toFixed(4)}${call}${warn}`);
  }
  for (const f of summary.failures) {
    console.log(`  ${f.studyUid}: failed, ${f.reason}: ${f.detail}`);
  }
  console.log(
    `${summary.layout}: ${summary.predictions.length} predicted, ${summary.failures.length} failed -> ${summary.outDir} (predictions.csv, slices.csv, studies/, run.json)`,
  );
}
