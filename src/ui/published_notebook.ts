/**
 * Executed notebooks a reader can see without running anything: a notebook is executed headless
 * by Jupyter's nbconvert with the repository's Deno kernelspec (`jupyter/kernels/deno`), then made
 * fit to publish: every Plotly output must carry a PNG (GitHub and static viewers show it), the
 * HTML part that embeds plotly.js is dropped (the figure stays interactive in JupyterLab and
 * VS Code through its Plotly JSON, kept when small), and the repository's absolute path is
 * removed from the outputs.
 *
 * @example
 * ```ts ignore
 * import { executeNotebook, publishNotebook } from "./published_notebook.ts";
 * const executed = await executeNotebook("notebooks/04-evaluation.ipynb", { env: {} });
 * const { notebook, report } = publishNotebook(executed, { repositoryRoot: Deno.cwd() });
 * report.figures; // Plotly figures, each with its PNG
 * ```
 */
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { parseJson } from "../io/mod.ts";

/** The repository's kernelspec folder (`JUPYTER_PATH` points at it). */
export const JUPYTER_PATH = fileURLToPath(new URL("../../jupyter", import.meta.url));

/** The kernel name of the repository's kernelspec. */
export const KERNEL_NAME = "deno";

const PLOTLY_MIME = "application/vnd.plotly.v1+json";

const outputSchema = z.looseObject({
  output_type: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
  text: z.union([z.string(), z.array(z.string())]).optional(),
  ename: z.string().optional(),
  evalue: z.string().optional(),
});

/** A Jupyter notebook (nbformat 4), as much of it as publishing reads; the rest is kept. */
export const notebookSchema = z.looseObject({
  nbformat: z.literal(4, { error: "not an nbformat 4 notebook" }),
  metadata: z.record(z.string(), z.unknown()),
  cells: z.array(z.looseObject({
    cell_type: z.string(),
    source: z.union([z.string(), z.array(z.string())]),
    outputs: z.array(outputSchema).optional(),
  })),
});

/** A notebook. */
export type Notebook = z.infer<typeof notebookSchema>;

/** What publishing found and changed. */
export interface PublishReport {
  /** Plotly figures (each has its PNG). */
  figures: number;
  /** Figures whose Plotly JSON was dropped for its size (the PNG stays). */
  plotlyJsonDropped: number;
  /** Error outputs (ename: evalue); publishing refuses a notebook with any. */
  errors: string[];
}

/**
 * Parse notebook JSON text; a bad file fails naming it and the field.
 *
 * @example
 * ```ts
 * const notebook = parseNotebook(await Deno.readTextFile("notebooks/04-evaluation.ipynb"), "04");
 * ```
 */
export function parseNotebook(text: string, name: string): Notebook {
  return parseJson(text, name, notebookSchema, "give a notebook in nbformat 4");
}

/**
 * The executed notebook made fit to publish (see the module doc). Throws when a Plotly output
 * has no PNG (chromium was missing when it ran) or a cell shows an error.
 *
 * @example
 * ```ts ignore
 * const { notebook } = publishNotebook(executed, { repositoryRoot: "/repo", maxPlotlyJsonBytes: 2e5 });
 * ```
 */
export function publishNotebook(
  executed: Notebook,
  options: { repositoryRoot: string; maxPlotlyJsonBytes?: number; name?: string },
): { notebook: Notebook; report: PublishReport } {
  const limit = options.maxPlotlyJsonBytes ?? 200_000;
  const root = options.repositoryRoot.replace(/\/+$/, "");
  const report: PublishReport = { figures: 0, plotlyJsonDropped: 0, errors: [] };
  const relative = (text: string) => text.replaceAll(`${root}/`, "").replaceAll(root, ".");
  const cells = executed.cells.map((cell, index) => {
    if (!cell.outputs) return cell;
    const outputs = cell.outputs.map((output) => {
      if (output.output_type === "error") {
        report.errors.push(`cell ${index}: ${output.ename}: ${output.evalue}`);
        return output;
      }
      if (output.text !== undefined) {
        const text = Array.isArray(output.text) ? output.text.join("") : output.text;
        return { ...output, text: relative(text) };
      }
      if (!output.data) return output;
      const data: Record<string, unknown> = {};
      for (const [mime, value] of Object.entries(output.data)) {
        data[mime] = typeof value === "string" && mime.startsWith("text/")
          ? relative(value)
          : value;
      }
      if (PLOTLY_MIME in data) {
        report.figures++;
        if (!("image/png" in data)) {
          throw new Error(
            `${options.name ?? "notebook"}, cell ${index}: a Plotly figure has no PNG, so ` +
              "GitHub and static viewers would show nothing; fix: apt-get install chromium " +
              "fonts-dejavu-core and run again",
          );
        }
        delete data["text/html"]; // embeds plotly.js and a script that static viewers drop
        if (JSON.stringify(data[PLOTLY_MIME]).length > limit) {
          delete data[PLOTLY_MIME];
          report.plotlyJsonDropped++;
        }
      }
      return { ...output, data };
    });
    return { ...cell, outputs };
  });
  return { notebook: { ...executed, cells }, report };
}

/**
 * Execute `path` headless with nbconvert and the repository's kernelspec, in the notebook's own
 * folder, with `env` added to the environment; returns the executed notebook. A failing cell or
 * a missing nbconvert fails with nbconvert's log or the install command.
 *
 * @example
 * ```ts ignore
 * const executed = await executeNotebook("notebooks/04-evaluation.ipynb", {
 *   env: { PE_DEMO_RUNS: "/data/runs/demo" }, cellTimeoutSeconds: 1200,
 * });
 * ```
 */
export async function executeNotebook(
  path: string,
  options: { env: Record<string, string>; cellTimeoutSeconds?: number },
): Promise<Notebook> {
  const outDir = await Deno.makeTempDir({ prefix: "executed-notebook-" });
  try {
    let result: Deno.CommandOutput;
    try {
      result = await new Deno.Command("jupyter", {
        args: [
          "nbconvert",
          "--to",
          "notebook",
          "--execute",
          `--ExecutePreprocessor.kernel_name=${KERNEL_NAME}`,
          `--ExecutePreprocessor.timeout=${options.cellTimeoutSeconds ?? 1200}`,
          // a cell's output can reach the kernel's iopub channel after its reply on a busy
          // machine; nbconvert's default wait (4 s) then drops it
          "--ExecutePreprocessor.iopub_timeout=60",
          "--output-dir",
          outDir,
          path,
        ],
        env: {
          JUPYTER_PATH,
          NO_COLOR: "1",
          RUST_BACKTRACE: "0",
          ...options.env,
        },
        stdout: "piped",
        stderr: "piped",
      }).output();
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        throw new Error(
          "`jupyter` not found; fix: apt-get install jupyter-nbconvert jupyter-client python3-ipykernel",
        );
      }
      throw error;
    }
    if (!result.success) {
      const log = new TextDecoder().decode(result.stderr);
      throw new Error(`${path}: a cell failed (nbconvert's log, end):\n${log.slice(-4000)}`);
    }
    const executedPath = join(outDir, basename(path));
    return parseNotebook(await Deno.readTextFile(executedPath), executedPath);
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
}
