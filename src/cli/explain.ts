/**
 * `deno task explain`: where trained networks look (the paper's Fig. 3) and whether they look
 * at the clot, on a synthetic dataset. For each label fraction of a run folder (fold `--fold`),
 * the best checkpoint's Grad-CAM of every positive test exam is mapped back to the source
 * slices and compared with the exam's clots (dilated by `--dilation-mm`). Writes
 * `OUT/explain.json` (per fraction: threshold, every exam's numbers, exclusions, summaries),
 * `OUT/mass-by-fraction.md` (voxel- and slice-level tables), figures in `OUT/figures/` (HTML, PNG, SVG) and `OUT/run.json`.
 *
 * @example
 * ```sh
 * deno task explain --run runs/demo --fraction 0,27.5,100 --fold 0 --cache cache/demo \
 *   --data data/demo --out runs/demo/explain
 * ```
 */
import { join } from "node:path";
import { z } from "zod";
import { readTruth } from "../data/phantom/truth.ts";
import { pathExists, runRecord, writeJsonAtomic, writeTextAtomic } from "../io/mod.ts";
import { backendPreferenceSchema, selectBackend } from "../model/backend.ts";
import { camModeSchema } from "../model/mod.ts";
import {
  type ExplainedFraction,
  explainedPoints,
  explainFile,
  explainRun,
  runThreshold,
} from "../explain/mod.ts";
import {
  camPairFigure,
  camStripFigure,
  massFractionFigure,
  massFractionTable,
} from "../report/explain_figures.ts";
import { exportFigures, type NamedFigure } from "../report/export.ts";
import { listRunFractions, runFolder, runStatePath } from "../train/mod.ts";
import { parseFlags } from "./flags.ts";
import { runProgress } from "./_shared.ts";
import { SplitSchema } from "../data/rspect/schema.ts";

const number = z.coerce.number();
const fractionList = z.string().transform((text, ctx) => {
  const values = text.split(",").map((v) => Number(v.trim()));
  if (values.some((v) => !Number.isFinite(v) || v < 0 || v > 100)) {
    ctx.addIssue({ code: "custom", message: "give percentages 0..100, e.g. 0,27.5,100" });
  }
  return values;
});

/** The flags of `explain`. */
export const explainFlagsSchema = z.object({
  run: z.string({ error: "required: the run folder of `deno task sweep`, e.g. runs/NAME" }),
  cache: z.string({ error: "required: the prepared-exam cache the run was trained on" }),
  data: z.string({ error: "required: the synthetic dataset folder (with truth.json)" }),
  out: z.string({ error: "required: the output folder" }),
  fraction: fractionList.optional(),
  fold: number.pipe(z.number().int().min(0)).default(0),
  mode: camModeSchema.default("elementwise"),
  dilationMm: number.pipe(z.number().min(0)).default(5),
  splits: z.string().default("public,private").transform((s) => s.split(",")).pipe(
    z.array(SplitSchema).min(1),
  ),
  threshold: number.pipe(z.number().min(0).max(1)).optional(),
  backend: backendPreferenceSchema.default("auto"),
  noImages: z.literal(true).optional(),
});

/** Fractions (percent) whose run of `fold` under `runDir` has started (has a state.json). */
async function fractionsIn(runDir: string, fold: number): Promise<number[]> {
  const found: number[] = [];
  for (const fraction of await listRunFractions(runDir)) {
    if (await pathExists(runStatePath(runFolder(runDir, fraction, fold)))) found.push(fraction);
  }
  return found;
}

/** Run the check as described by `args`. */
export async function main(args: string[]): Promise<void> {
  const flags = parseFlags(args, explainFlagsSchema, "explain");
  const truth = await readTruth(join(flags.data, "truth.json"));
  const fractions = flags.fraction ?? await fractionsIn(flags.run, flags.fold);
  if (fractions.length === 0) {
    throw new Error(
      `${flags.run}: no fraction-F/fold-${flags.fold} run with a state.json; fix: train first`,
    );
  }
  const backend = await selectBackend(flags.backend);
  const explained: ExplainedFraction[] = [];
  const figures: NamedFigure[] = [];
  const started = performance.now();
  for (const fraction of fractions) {
    const runDir = runFolder(flags.run, fraction, flags.fold);
    const threshold = flags.threshold === undefined
      ? runThreshold(join(runDir, "predictions.csv"))
      : { threshold: flags.threshold, source: "--threshold" };
    const progress = runProgress(`explain ${fraction} % fold ${flags.fold}`);
    const result = await explainRun({
      runDir,
      cacheDir: flags.cache,
      truth,
      options: {
        mode: flags.mode,
        dilationMm: flags.dilationMm,
        splits: flags.splits,
        threshold: threshold.threshold,
      },
      onProgress: progress.onProgress,
    });
    const detected = result.exams.filter((e) => e.detected);
    progress.finish(`${detected.length} of ${result.exams.length} positives detected`);
    for (const [kind, example] of Object.entries(result.examples)) {
      const name = `fraction-${fraction}-${kind}`;
      const label = `${kind} PE, ${fraction} % slice labels, exam ${example.summary.examId}`;
      figures.push(
        { name: `${name}-pair`, figure: camPairFigure(label, example.pair) },
        {
          name: `${name}-strip`,
          figure: camStripFigure(`${label}: most attention`, example.strip),
        },
      );
    }
    explained.push({ fraction, threshold, result });
    for (const x of result.excluded) console.log(`excluded ${x.examId}: ${x.reason}`);
  }
  const points = explainedPoints(explained, "voxel");
  const slicePoints = explainedPoints(explained, "slice");
  figures.push(
    { name: "mass-by-fraction", figure: massFractionFigure(points) },
    { name: "slice-mass-by-fraction", figure: massFractionFigure(slicePoints, "slice") },
  );
  const table = massFractionTable(points);
  const sliceTable = massFractionTable(slicePoints, "slice");
  console.log(`${table.markdown}\n${sliceTable.markdown}`);
  const settings = { ...flags, fractions, backend: backend.name };
  await writeJsonAtomic(join(flags.out, "explain.json"), explainFile(settings, explained));
  await writeTextAtomic(
    join(flags.out, "mass-by-fraction.md"),
    `${table.markdown}\n${sliceTable.markdown}`,
  );
  const exported = await exportFigures(figures, join(flags.out, "figures"), {
    formats: flags.noImages ? [] : ["png", "svg"],
  });
  if (exported.staticError) console.warn(`figures as HTML only: ${exported.staticError}`);
  await writeJsonAtomic(join(flags.out, "run.json"), {
    ...runRecord(`explain ${args.join(" ")}`, settings, null),
    seconds: (performance.now() - started) / 1000,
  });
  console.log(`wrote ${flags.out}/explain.json, mass-by-fraction.md, figures/ and run.json`);
}
