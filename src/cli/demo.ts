/**
 * `deno task demo`: the whole study on synthetic data in one command. Generates the dataset (if
 * absent), cleans it, preprocesses it, runs the label-fraction sweep, evaluates it and writes
 * the figures and a study report (paper-style tables, the paper's effect as pass/fail checks,
 * the paper's own numbers beside this run's) into `--figures-dir`.
 *
 * Every stage is one call into its stage's API; each is resumable, and a stage whose outputs
 * were made with the same settings is skipped (a rerun with nothing changed takes seconds). The
 * stage log is printed and appended to `<runs>/demo.log`; `<runs>/demo-summary.json` holds the
 * stage timings and checks, `<runs>/run.json` the run record.
 *
 * @example
 * ```sh
 * deno task demo                                   # 5 fractions x fold 0, demo profile
 * deno task demo --fractions all --folds all       # the paper's full design (five folds)
 * deno task demo --folds 0,1                       # validation folds 0 and 1
 * deno task demo --profile paper --backend tensorflow --figures-dir figures/paper
 * ```
 */
import { join } from "node:path";
import { z } from "zod";
import { pathExists, readJson, writeJsonAtomic, writeTextAtomic } from "../io/mod.ts";
import { runRecord } from "../io/run_record.ts";
import { synthesizeDataset } from "../data/phantom/dataset.ts";
import { GENERATOR_VERSION, phantomProfile, profileNameSchema } from "../data/phantom/profile.ts";
import { cleanRspect } from "../data/rspect/mod.ts";
import { preprocessManifest } from "../preprocess/mod.ts";
import { backendPreferenceSchema, selectBackend } from "../model/backend.ts";
import { nativeGemmSource } from "../model/kernels/mod.ts";
import {
  cacheExamSource,
  demoFolders,
  type KernelPath,
  PROFILE_DEFAULTS,
  profileTrainingBase,
  readPredictions,
  runSweep,
} from "../train/mod.ts";
import { averageFolds } from "../predict/mod.ts";
import { evaluateSplits, metricsFileSchema, writeEvaluation } from "../report/mod.ts";
import type { ProgressBar } from "../ui/progress.ts";
import { CHROMIUM_PATH, ChromiumMissingError, hasChromium } from "../report/export.ts";
import { readSeedEvaluation, writeSeedSpread } from "../report/seed_spread.ts";
import { demoChecks, pairwiseFileSchema, studyReport } from "../report/study_report.ts";
import { demoCaveats } from "../report/demo_caveats.ts";
import { runStages, type Stage } from "./_stages.ts";
import { sweepParallelism, sweepProgress } from "./_worker_runner.ts";
import { foldsFlag, intFlag, parseFlags, seedsFlag, selectFolds } from "./flags.ts";
import { formatEpoch, fractionsFlag, PAPER_FRACTIONS } from "./_shared.ts";

/** Folds the demo's cleaning cuts the training split into (the method's five). */
const DEMO_FOLD_COUNT = 5;

/** The demo's default label fractions (percent). */
export const DEMO_FRACTIONS = "0,2.5,10,27.5,100";

/** The flags of `demo`. */
export const demoFlagsSchema = z.object({
  profile: profileNameSchema.default("demo"),
  exams: intFlag(10).optional(),
  seed: intFlag(0).default(0),
  /**
   * Several seeds, e.g. `0,1,2`: the whole demo once per seed (data, label allocation and
   * training follow the seed), each under `<work-dir or runs/<profile>-seeds>/seed-S` with its
   * figures in `<figures-dir>/seeds/seed-S`, then every seed's AUCs and checks side by side in
   * `<figures-dir>/seeds/seeds.md` and `auc_by_fraction_seeds.*` (the range over seeds as a band).
   */
  seeds: seedsFlag.optional(),
  /**
   * The shortcut probe: the same exams and labels with every clot left out of the images, kept
   * in folders of their own (`<profile>-no-clots`); the exam-label-only model must stay at chance.
   */
  eraseClots: z.boolean().default(false),
  /** A list as `sweep --fractions` takes it, or `all` (the paper's eleven); sorted, unique. */
  fractions: z.string().default(DEMO_FRACTIONS).transform((text, ctx) => {
    const parsed = fractionsFlag.safeParse(text === "all" ? PAPER_FRACTIONS : text);
    if (!parsed.success) {
      ctx.addIssue({ code: "custom", message: `${parsed.error.issues[0].message}, or 'all'` });
      return z.NEVER;
    }
    return [...new Set(parsed.data)].sort((a, b) => a - b);
  }),
  /** Which of the data's five validation folds run: `all` or a list such as `0,1`. */
  folds: foldsFlag("0"),
  epochs: intFlag(1).optional(),
  samplesPerEpoch: intFlag(1).optional(),
  size: z.string().regex(/^\d+,\d+,\d+$/, "D,H,W, e.g. 32,64,64").optional()
    .transform((s) => s?.split(",").map(Number) as [number, number, number] | undefined),
  encoder: z.enum(["small", "large"]).optional(),
  backend: backendPreferenceSchema.default("auto"),
  /** Training runs at once (default on the wasm backend with 2+ cores: cores + 1, else 1). */
  parallelRuns: intFlag(1).optional(),
  workers: intFlag(1).default(Math.max(1, Math.min(4, navigator.hardwareConcurrency))),
  dataDir: z.string().optional(),
  workDir: z.string().optional(),
  figuresDir: z.string().default("figures"),
});
/** Validated demo flags. */
export type DemoFlags = z.infer<typeof demoFlagsSchema>;

/**
 * The kernel path of the chosen backend, and a line that says it (with the fix where a faster
 * path is missing). Where oneDNN is absent this builds the compiled kernels (once, cached).
 */
function kernelPath(backend: string): { path: KernelPath; line: string } {
  if (backend !== "wasm") return { path: "other", line: `kernels: backend ${backend}` };
  const native = nativeGemmSource();
  if (native?.kind === "onednn") {
    return { path: "onednn", line: `kernels: oneDNN (${native.library}) on the wasm backend` };
  }
  const [why, fix] = Deno.env.get("PE_ONEDNN")?.toLowerCase() === "off"
    ? ["PE_ONEDNN=off", "unset PE_ONEDNN"]
    : ["libdnnl.so.2 not found", "apt-get install libdnnl2"];
  if (native?.kind === "compiled") {
    return {
      path: "compiled",
      line: `kernels: compiled on this machine (${native.library}) on the wasm backend ` +
        `(${why}); training takes about 1.3x as long as on oneDNN; for oneDNN: ${fix}`,
    };
  }
  return {
    path: "xnnpack",
    line: `kernels: XNNPACK (WebAssembly) on the wasm backend (${why}; no compiled kernels); ` +
      `training takes about 2.5x as long as on oneDNN; for compiled kernels: apt-get install ` +
      `gcc (and unset PE_COMPILED_KERNELS); for oneDNN: ${fix}`,
  };
}

/**
 * Entry point of `deno task demo`.
 *
 * @example
 * ```ts ignore
 * import { main } from "./demo.ts";
 * await main(["--profile", "tiny", "--exams", "40", "--fractions", "0,100", "--work-dir", "/tmp/d"]);
 * ```
 */
export async function main(args: string[]): Promise<void> {
  const flags = parseFlags(args, demoFlagsSchema, "demo");
  if (flags.seeds === undefined) return await runDemo(flags, args);
  const base = flags.workDir ?? `${demoFolders(flags).runs}-seeds`;
  const seedsDir = join(flags.figuresDir, "seeds");
  const runs = [];
  for (const seed of flags.seeds) {
    const perSeed = {
      ...flags,
      seed,
      seeds: undefined,
      workDir: join(base, `seed-${seed}`),
      figuresDir: join(seedsDir, `seed-${seed}`),
    };
    console.log(`demo: seed ${seed} of ${flags.seeds.join(", ")} (${perSeed.workDir})`);
    // the seed's own command: its --seed and folders in place of --seeds and the shared ones
    const perSeedFlags = ["--seeds", "--seed", "--work-dir", "--figures-dir"];
    const own = args.filter((arg, i) =>
      !perSeedFlags.some((flag) =>
        arg === flag || arg.startsWith(`${flag}=`) || args[i - 1] === flag
      )
    );
    await runDemo(perSeed, [
      ...own,
      ...["--seed", String(seed), "--work-dir", perSeed.workDir],
      ...["--figures-dir", perSeed.figuresDir],
    ]);
    runs.push(await readSeedEvaluation(demoFolders(perSeed).runs));
  }
  const staticError = await writeSeedSpread(runs, seedsDir, `deno task demo ${args.join(" ")}`);
  if (staticError) console.warn(`figures: ${staticError}`);
  console.log(`demo: ${runs.length} seeds; per-seed AUCs and checks in ${seedsDir}/seeds.md`);
}

/** One demo run with `flags` (a single seed); `args` are recorded as its command. */
async function runDemo(flags: DemoFlags, args: string[]): Promise<void> {
  const started = performance.now();
  const paths = demoFolders(flags);
  const defaults = PROFILE_DEFAULTS[flags.profile];
  const exams = flags.exams ?? phantomProfile(flags.profile).defaultExams;
  const size = flags.size ?? defaults.size;
  const epochs = flags.epochs ?? defaults.epochs;
  const samplesPerEpoch = flags.samplesPerEpoch ?? defaults.samplesPerEpoch;
  const encoder = flags.encoder ?? defaults.encoder;
  const folds = selectFolds(flags.folds, DEMO_FOLD_COUNT);
  const referenceFraction = flags.fractions.includes(100) ? 100 : Math.max(...flags.fractions);
  const settings = {
    profile: flags.profile,
    exams,
    seed: flags.seed,
    size,
    fractions: flags.fractions,
    folds,
    epochs,
    samplesPerEpoch,
    encoder,
    backend: flags.backend,
    paths,
  };
  await Deno.mkdir(paths.runs, { recursive: true });
  const logPath = join(paths.runs, "demo.log");
  const log = async (line: string) => {
    console.log(line);
    await Deno.writeTextFile(logPath, `${new Date().toISOString()} ${line}\n`, { append: true });
  };
  await log(`demo: ${args.length ? args.join(" ") : "(defaults)"}`);
  const backend = await selectBackend(flags.backend);
  const kernels = kernelPath(backend.name);
  await log(kernels.line);
  if (!hasChromium()) await log(`figures: ${new ChromiumMissingError(CHROMIUM_PATH).message}`);

  const cost = defaults.cost;
  // Proportions of the synthetic splits (docs/synthetic-data.md): 65 % train, 35 % test sets.
  const trainExams = Math.round(exams * 0.65 * 0.8);
  const stepsPerRun = epochs * (samplesPerEpoch ?? trainExams);
  const selected = Math.min(defaults.training.selectionExams ?? Infinity, exams * 0.65 * 0.2);
  const inferPerRun = epochs * selected + exams * 0.48;
  const runs = flags.fractions.length * folds.length;

  const stages: Stage[] = [
    {
      name: "synth",
      key: {
        profile: flags.profile,
        seed: flags.seed,
        exams,
        generator: GENERATOR_VERSION,
        eraseClots: flags.eraseClots,
      },
      output: join(paths.data, "train.csv"),
      estimate: exams * cost.synth,
      run: async (progress) => {
        let bar: ProgressBar | null = null;
        const summary = await synthesizeDataset(
          paths.data,
          { profile: flags.profile, seed: flags.seed, exams, eraseClots: flags.eraseClots },
          {
            workers: flags.workers,
            onProgress: (done, total) => {
              bar ??= progress.bar("synth", total);
              bar.update(done);
              progress.fraction(done / total);
            },
          },
        );
        (bar as ProgressBar | null)?.done();
        return `${summary.exams} exams (${summary.written} written, ${summary.skipped} already there)`;
      },
    },
    {
      name: "clean",
      key: { data: paths.data, seed: flags.seed },
      output: join(paths.manifest, "exams.csv"),
      estimate: exams * cost.clean,
      run: async (progress) => {
        let bar: ProgressBar | null = null;
        const { summary } = await cleanRspect({
          data: paths.data,
          labels: join(paths.data, "train.csv"),
          splits: join(paths.data, "splits.csv"),
          out: paths.manifest,
          checkDicom: true,
          workers: flags.workers,
          seed: flags.seed,
        }, {
          onProgress: (done, total) => {
            bar ??= progress.bar("clean: DICOM check", total);
            bar.update(done);
            progress.fraction(done / total);
          },
        });
        (bar as ProgressBar | null)?.done();
        return `${summary.included} exams included, ${summary.excluded} excluded with a reason ` +
          `(${paths.manifest}/exams.csv)`;
      },
    },
    {
      name: "preprocess",
      key: { manifest: paths.manifest, size },
      output: join(paths.cache, "index.json"),
      estimate: exams * cost.preprocess,
      run: async (progress) => {
        let bar: ProgressBar | null = null;
        const summary = await preprocessManifest({
          manifest: paths.manifest,
          data: paths.data,
          out: paths.cache,
          size,
          workers: flags.workers,
        }, {
          onProgress: (done, total) => {
            bar ??= progress.bar("preprocess", total);
            bar.update(done);
            progress.fraction(done / total);
          },
        });
        (bar as ProgressBar | null)?.done();
        return `${summary.total} exams: ${summary.prepared} prepared, ${summary.skipped} ` +
          `already done, ${summary.failed} failed`;
      },
    },
    {
      name: "sweep",
      key: {
        cache: paths.cache,
        fractions: flags.fractions,
        folds,
        epochs,
        samplesPerEpoch,
        encoder,
        training: defaults.training,
        earlyStopping: defaults.earlyStopping,
        seed: flags.seed,
      },
      output: join(paths.runs, "predictions.csv"),
      estimate: runs *
        (stepsPerRun * cost.step[kernels.path] + inferPerRun * cost.infer[kernels.path]),
      run: async (progress) => {
        const source = await cacheExamSource(paths.cache);
        const { parallel, trainRunner } = sweepParallelism({
          requested: flags.parallelRuns,
          backend: backend.name,
          runs,
          cacheDir: paths.cache,
          cores: navigator.hardwareConcurrency,
        });
        await log(`sweep: ${parallel} run(s) at a time, backend ${backend.name}`);
        // One bar over the exam-steps of every run; several runs may train at once.
        const bar = sweepProgress(
          () => progress.bar(`sweep (${runs} runs)`, runs * stepsPerRun),
          runs,
          (fraction) => progress.fraction(fraction),
        );
        const result = await runSweep({
          base: {
            ...profileTrainingBase(flags.profile, { epochs, samplesPerEpoch, encoder }),
            seed: flags.seed,
          },
          fractions: flags.fractions,
          folds,
          source,
          outDir: paths.runs,
          // recorded in sweep.json and each run's run.json, so the report names the kernel path
          backend: kernels.path === "other" ? backend.name : `${backend.name} (${kernels.path})`,
          command: `demo ${args.join(" ")}`,
          parallel,
          trainRunner,
          onRun: bar.onRun,
          onProgress: bar.onProgress,
          onEpoch: (run, epochLog) =>
            console.log(`${run.fractionPercent} % fold ${run.fold}: ${formatEpoch(epochLog)}`),
        });
        bar.finish();
        const skipped = result.filter((r) => r.result.alreadyFinished).length;
        const unfinished = result.filter((r) => !r.result.finished).length;
        if (unfinished > 0) throw new Error(`sweep: ${unfinished} run(s) did not finish`);
        return `${result.length} runs (${skipped} already finished), backend ${backend.name}`;
      },
    },
    {
      name: "evaluate",
      key: { fractions: flags.fractions, folds, referenceFraction },
      output: join(paths.evaluation, "pairwise.json"),
      estimate: 30,
      run: async (progress) => {
        const source = join(paths.runs, "predictions.csv");
        const splits = averageFolds(readPredictions(source));
        progress.fraction(0.2);
        const evaluation = evaluateSplits(splits, {
          thresholdSplit: "public",
          referenceFraction,
          ciMethod: "wilson",
          source,
        });
        progress.fraction(0.4);
        const written = await writeEvaluation(evaluation, splits, paths.evaluation, {
          source,
          figures: true,
          figureFormats: ["png", "svg"],
        });
        if (written.figureError) console.warn(`figures: ${written.figureError}`);
        await writeJsonAtomic(join(paths.evaluation, "run.json"), {
          ...runRecord("demo evaluate", { source, referenceFraction }, null),
          skipped: evaluation.skipped,
          thresholds: Object.fromEntries(evaluation.thresholds),
          figureError: written.figureError,
        });
        await writeJsonAtomic(join(paths.evaluation, "pairwise.json"), evaluation.pairwise);
        return `${evaluation.metrics.rows.length} metric rows, ${written.files.length} files` +
          (written.figureError ? ` (static figures missing: ${written.figureError})` : "");
      },
    },
  ];

  stages.push({
    name: "report",
    key: { figures: paths.figures },
    output: join(paths.figures, "report.md"),
    estimate: 5,
    run: async (_, before) => {
      const metrics = await readMetrics(paths.evaluation);
      const trainedOn = (await cacheExamSource(paths.cache)).exams
        .filter((exam) => exam.split === "train" && exam.fold !== folds[0]).length;
      const figures = await copyFigures(join(paths.evaluation, "figures"), paths.figures);
      const report = studyReport({
        title: `Demo: ${flags.profile} profile, ${exams} synthetic exams`,
        settings: [
          `Command: deno task demo ${args.join(" ")}`.trim(),
          `Data: synthetic phantom, profile ${flags.profile}, ${exams} exams, seed ${flags.seed}, ` +
          `generator v${GENERATOR_VERSION}` +
          (flags.eraseClots ? "; clots erased from the images (shortcut probe)" : ""),
          `Prepared size D x H x W: ${size.join(" x ")}`,
          `Label fractions: ${flags.fractions.join(", ")} %; ${folds.length} of 5 folds run ` +
          `(validation fold ${folds.join(", ")})`,
          `Training: ${epochs} epoch(s) x ${samplesPerEpoch ?? "all"} exams per epoch, ` +
          `encoder ${encoder}, backend ${await recordedBackend(paths.runs)}`,
          `Threshold: Youden on the public split; reference fraction ${referenceFraction} %`,
        ],
        ...metrics,
        checks: demoChecks(metrics.metrics, metrics.pairwise),
        stages: before,
        evaluation: {
          markdown: await Deno.readTextFile(join(paths.evaluation, "report.md")),
          html: await Deno.readTextFile(join(paths.evaluation, "report.html")),
        },
        figures,
        caveats: demoCaveats({
          exams,
          trainedOn,
          folds,
          encoder,
          epochs,
          examSteps: stepsPerRun,
        }),
      });
      await writeTextAtomic(
        join(paths.figures, "metrics.csv"),
        await Deno.readTextFile(join(paths.evaluation, "metrics.csv")),
      );
      await writeTextAtomic(join(paths.figures, "report.html"), report.html);
      await writeTextAtomic(join(paths.figures, "report.md"), report.markdown);
      return `report.md, report.html and ${figures.length} figure files in ${paths.figures}`;
    },
  });

  const timings = await runStages(stages, { markerDir: join(paths.runs, "demo-stages"), log });
  const { metrics, pairwise } = await readMetrics(paths.evaluation);
  const checks = demoChecks(metrics, pairwise);
  const reportRan = timings.at(-1)?.status === "ran";
  const totalSeconds = Number(((performance.now() - started) / 1000).toFixed(1));
  const summary = {
    settings,
    stages: timings,
    /** Seconds of this invocation (a rerun that skips every stage takes about one). */
    totalSeconds,
    /** Seconds of the stage runs that produced the outputs, summed. */
    stageSeconds: Number(timings.reduce((sum, t) => sum + t.seconds, 0).toFixed(1)),
    checks,
    figures: paths.figures,
  };
  await writeJsonAtomic(join(paths.runs, "demo-summary.json"), summary);
  if (reportRan) await writeJsonAtomic(join(paths.figures, "demo-summary.json"), summary);
  await writeJsonAtomic(join(paths.runs, "run.json"), {
    ...runRecord("demo", settings, flags.seed),
    totalSeconds,
    stages: timings,
  });
  for (const check of checks) {
    const verdict = check.pass === null ? "not evaluable" : check.pass ? "pass" : "FAIL";
    await log(`check ${check.id}: ${verdict} (${check.observed}; paper ${check.paper})`);
  }
  await log(`demo: finished in ${totalSeconds} s; report in ${paths.figures}/report.md`);
}

/** The fix for a missing or bad file of a stage: the stage whose output it is runs again. */
const RERUN_STAGE = "delete it and rerun the demo (the stage that writes it runs again)";

/** Copy the evaluation's figure files into the figures folder; returns their names. */
async function copyFigures(from: string, to: string): Promise<string[]> {
  const names: string[] = [];
  if (!(await pathExists(from))) return names;
  await Deno.mkdir(to, { recursive: true });
  for await (const entry of Deno.readDir(from)) {
    if (!entry.isFile) continue;
    await Deno.copyFile(join(from, entry.name), join(to, entry.name));
    names.push(entry.name);
  }
  const order = (name: string) => (name.startsWith("auc_by_fraction") ? "0" : "1") + name;
  return names.sort((a, b) => order(a).localeCompare(order(b)));
}

/** The backend a finished sweep recorded in its sweep.json. */
async function recordedBackend(runs: string): Promise<string> {
  const sweep = await readJson(join(runs, "sweep.json"), z.unknown(), RERUN_STAGE);
  const parsed = z.object({ backend: z.string() }).safeParse(sweep);
  return parsed.success ? parsed.data.backend : "unknown (sweep.json has no backend)";
}

/** metrics.json and pairwise.json of the evaluation, validated. */
async function readMetrics(dir: string) {
  return {
    metrics: await readJson(join(dir, "metrics.json"), metricsFileSchema, RERUN_STAGE),
    pairwise: await readJson(join(dir, "pairwise.json"), pairwiseFileSchema, RERUN_STAGE),
  };
}
