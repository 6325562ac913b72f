/**
 * What a notebook reads: by default the outputs of `deno task demo` (data, manifest, cache, runs,
 * evaluation, figures), found relative to the repository, or the folders named by `PE_DEMO_*`
 * environment variables (`deno task notebooks` sets them). The notebook test's tiny profile
 * (`PE_NOTEBOOK_PROFILE=tiny`, with `PE_NOTEBOOK_WORKDIR`) makes its own small inputs instead.
 * When a folder is missing, {@link missingDemoNote} says which command makes it, and
 * `showFigureFiles` (notebook.ts) shows the committed figures in its place.
 *
 * @example
 * ```ts
 * import { missingDemoNote, notebookInputs } from "./notebook_inputs.ts";
 * const inputs = notebookInputs(); // the demo profile's folders (data/demo, runs/demo, ...)
 * if (!inputs.found.runs) console.log(missingDemoNote(inputs, "runs"));
 * ```
 */
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { type DemoFolder, type DemoFolders, demoFolders } from "../train/demo_folders.ts";
import { formatSeconds } from "./progress.ts";

/** The repository root (notebooks run in notebooks/, commands in the root). */
const REPOSITORY_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The file whose presence says a demo folder holds finished outputs. */
export const DEMO_FOLDER_MARKERS: Record<DemoFolder, string> = {
  data: "truth.json",
  manifest: "summary.json",
  cache: "index.json",
  runs: "predictions.csv",
  evaluation: "metrics.json",
  figures: "report.md",
};

/** Environment variables a notebook reads; each `PE_DEMO_*` replaces one demo folder. */
export const notebookEnvSchema = z.object({
  PE_NOTEBOOK_PROFILE: z.enum(["tiny"], {
    error: "PE_NOTEBOOK_PROFILE must be 'tiny' or unset (unset: read the demo run)",
  }).optional(),
  PE_NOTEBOOK_WORKDIR: z.string().optional(),
  PE_DEMO_DATA: z.string().optional(),
  PE_DEMO_MANIFEST: z.string().optional(),
  PE_DEMO_CACHE: z.string().optional(),
  PE_DEMO_RUNS: z.string().optional(),
  PE_DEMO_EVALUATION: z.string().optional(),
  PE_DEMO_FIGURES: z.string().optional(),
});

/** The `PE_DEMO_*` variable of each folder. */
export const DEMO_FOLDER_VARIABLES: Record<DemoFolder, keyof z.infer<typeof notebookEnvSchema>> = {
  data: "PE_DEMO_DATA",
  manifest: "PE_DEMO_MANIFEST",
  cache: "PE_DEMO_CACHE",
  runs: "PE_DEMO_RUNS",
  evaluation: "PE_DEMO_EVALUATION",
  figures: "PE_DEMO_FIGURES",
};

/** What a notebook reads, resolved. */
export interface NotebookInputs {
  /** The notebook test's tiny profile: the notebook makes small inputs in `workDir`. */
  tiny: boolean;
  /** Scratch folder of the tiny profile (null otherwise). */
  workDir: string | null;
  /** The demo run's folders, absolute. */
  demo: DemoFolders;
  /** Whether each demo folder holds finished outputs (its marker file exists). */
  found: Record<DemoFolder, boolean>;
}

/**
 * Resolve the demo folders (`defaults`, by default the demo profile's, relative to the repository
 * root, each replaced by its `PE_DEMO_*` variable when set) and check which hold finished
 * outputs. A bad environment fails naming the variable.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { notebookInputs } from "./notebook_inputs.ts";
 * const inputs = notebookInputs(undefined, { PE_DEMO_RUNS: "/tmp/demo/runs" });
 * assert.equal(inputs.demo.runs, "/tmp/demo/runs");
 * ```
 */
export function notebookInputs(
  defaults: DemoFolders = demoFolders({ profile: "demo" }),
  env: Record<string, string | undefined> = Deno.env.toObject(),
): NotebookInputs {
  const parsed = notebookEnvSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${issue.path.join(".")}: ${issue.message}`);
  }
  const vars = parsed.data;
  const demo = Object.fromEntries(
    (Object.keys(DEMO_FOLDER_MARKERS) as DemoFolder[]).map((folder) => {
      const given = vars[DEMO_FOLDER_VARIABLES[folder]];
      const path = given ?? defaults[folder];
      return [
        folder,
        isAbsolute(path) ? path : resolve(given ? Deno.cwd() : REPOSITORY_ROOT, path),
      ];
    }),
  ) as DemoFolders;
  const found = Object.fromEntries(
    (Object.keys(demo) as DemoFolder[]).map((folder) => [
      folder,
      isFile(join(demo[folder], DEMO_FOLDER_MARKERS[folder])),
    ]),
  ) as Record<DemoFolder, boolean>;
  return {
    tiny: vars.PE_NOTEBOOK_PROFILE === "tiny",
    workDir: vars.PE_NOTEBOOK_WORKDIR ?? null,
    demo,
    found,
  };
}

/**
 * The note a notebook prints when a demo folder is missing: where it looked and which command
 * makes it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { missingDemoNote, notebookInputs } from "./notebook_inputs.ts";
 * const inputs = notebookInputs(undefined, { PE_DEMO_RUNS: "/nowhere/runs" });
 * assert.match(missingDemoNote(inputs, "runs"), /^no demo run outputs in \/nowhere\/runs \(predictions\.csv missing\)/);
 * ```
 */
export function missingDemoNote(inputs: NotebookInputs, folder: DemoFolder): string {
  return `no demo run outputs in ${inputs.demo[folder]} (${
    DEMO_FOLDER_MARKERS[folder]
  } missing): make them with \`deno task demo\` in the repository root (docs/demo.md; ` +
    `about half an hour on 2 cores), then run this notebook again; or point ` +
    `${DEMO_FOLDER_VARIABLES[folder]} at another folder`;
}

/**
 * Expected seconds of training `runs` runs of `examStepsPerRun` exam-steps each at
 * `examsPerSecond` (one run at a time), and a line saying so, printed before training starts.
 *
 * @example
 * ```ts
 * trainingEta({ runs: 5, examStepsPerRun: 24000, examsPerSecond: 20 }).text;
 * // "5 runs x 24000 exam-steps at 20.0 exams/s: about 1h40m"
 * ```
 */
export function trainingEta(
  options: { runs: number; examStepsPerRun: number; examsPerSecond: number; basis?: string },
): { seconds: number; text: string } {
  const seconds = (options.runs * options.examStepsPerRun) / options.examsPerSecond;
  return {
    seconds,
    text: `${options.runs} runs x ${options.examStepsPerRun} exam-steps at ${
      options.examsPerSecond.toFixed(1)
    } exams/s${options.basis ? ` (${options.basis})` : ""}: about ${formatSeconds(seconds)}`,
  };
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}
