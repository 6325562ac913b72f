/**
 * `deno task notebooks`: execute the notebooks in notebooks/ against a demo run (what
 * `deno task demo` wrote) and write executed copies a reader can open without running anything:
 * every Plotly figure with its PNG, plotly.js not embedded (see `src/report/published_notebook.ts`).
 * Needs Jupyter's nbconvert (`apt-get install jupyter-nbconvert jupyter-client
 * python3-ipykernel`) and chromium for the PNGs (`apt-get install chromium fonts-dejavu-core`);
 * where either is missing it stops and says so.
 *
 * @example
 * ```sh
 * deno task notebooks                      # the demo run in data/demo, cache/demo, runs/demo, ...
 * deno task notebooks --runs /elsewhere/runs/demo --cache /elsewhere/cache/demo --only 04,05
 * ```
 */
import { basename, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { writeTextAtomic } from "../io/atomic.ts";
import { hasChromium } from "../report/export.ts";
import { type DemoFolder, demoFoldersSchema } from "../train/demo_folders.ts";
import { DEMO_FOLDER_VARIABLES } from "../ui/notebook_inputs.ts";
import { executeNotebook, publishNotebook } from "../ui/published_notebook.ts";
import { intFlag, parseFlags } from "./flags.ts";

const REPOSITORY_ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The flags of `notebooks`; each demo folder flag replaces the notebooks' default folder. */
export const notebooksFlagsSchema = demoFoldersSchema.partial().extend({
  /** Notebooks to execute, by number prefix (`04,05`); default every one. */
  only: z.string().optional().transform((text) => text?.split(",").map((s) => s.trim())),
  /** Folder of the notebooks. */
  notebooks: z.string().default(join(REPOSITORY_ROOT, "notebooks")),
  /** Where the executed copies go. */
  out: z.string().default(join(REPOSITORY_ROOT, "notebooks", "executed")),
  /** Seconds one cell may run. */
  cellTimeout: intFlag(1).default(1800),
});

/** Execute and publish the notebooks described by `args`. */
export async function main(args: string[]): Promise<void> {
  const flags = parseFlags(args, notebooksFlagsSchema, "notebooks");
  if (!hasChromium()) {
    throw new Error(
      "chromium not found at /usr/bin/chromium: the executed notebooks need it for the PNG of " +
        "every figure (GitHub and static viewers show only those); fix: apt-get install " +
        "chromium fonts-dejavu-core",
    );
  }
  // The published copies drop the HTML part, so plotly.js need not travel in it.
  const env: Record<string, string> = { PE_NOTEBOOK_EMBED_PLOTLY: "0" };
  for (const folder of Object.keys(DEMO_FOLDER_VARIABLES) as DemoFolder[]) {
    const given = flags[folder];
    if (given !== undefined) env[DEMO_FOLDER_VARIABLES[folder]] = resolve(given);
  }
  const names = [...Deno.readDirSync(flags.notebooks)]
    .filter((entry) => entry.isFile && entry.name.endsWith(".ipynb"))
    .map((entry) => entry.name)
    .filter((name) => !flags.only || flags.only.some((prefix) => name.startsWith(prefix)))
    .sort();
  if (names.length === 0) {
    throw new Error(`no notebook in ${flags.notebooks} matches --only ${flags.only?.join(",")}`);
  }
  await Deno.mkdir(flags.out, { recursive: true });
  for (const name of names) {
    const started = performance.now();
    console.log(`${name}: executing`);
    const executed = await executeNotebook(join(flags.notebooks, name), {
      env,
      cellTimeoutSeconds: flags.cellTimeout,
    });
    const { notebook, report } = publishNotebook(executed, {
      repositoryRoot: REPOSITORY_ROOT,
      name,
    });
    if (report.errors.length > 0) {
      throw new Error(`${name}: cells show errors: ${report.errors.join("; ")}`);
    }
    const path = join(flags.out, basename(name));
    const text = `${JSON.stringify(notebook, null, 1)}\n`;
    await writeTextAtomic(path, text);
    console.log(
      `${name}: ${report.figures} figure(s) with PNG` +
        (report.plotlyJsonDropped ? ` (${report.plotlyJsonDropped} as PNG only)` : "") +
        `, ${(text.length / 1024).toFixed(0)} KiB -> ${path} ` +
        `(${((performance.now() - started) / 1000).toFixed(1)} s)`,
    );
  }
}
