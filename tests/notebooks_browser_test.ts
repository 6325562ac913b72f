/**
 * Notebook 04 in a real Jupyter front end: the classic Jupyter Notebook server (Debian's
 * `jupyter-notebook` 6.4; JupyterLab is not packaged in Debian bookworm) is started on 127.0.0.1
 * with a token and the repository's kernelspec (`JUPYTER_PATH=jupyter`), the notebook is opened in
 * headless chromium (playwright-core), Cell > Run All is clicked, and once every cell has run the
 * AUC-vs-fraction figure must be drawn by plotly.js in the page (its SVG, with as many traces as
 * the figure the evaluation makes from the same predictions) and no cell may show an error. The
 * notebook runs on the tiny profile (the simulated example predictions), so no demo run is needed.
 * Skipped, with the install command, where jupyter-notebook or chromium is missing.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { averageFolds } from "../src/predict/fold_average.ts";
import {
  aucFractionFigure,
  aucPanels,
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  evaluateSplits,
  hasChromium,
} from "../src/report/mod.ts";
import { readPredictions } from "../src/train/predictions_table.ts";
import { jupyterHas } from "./_jupyter.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const NOTEBOOK = "notebooks/04-evaluation.ipynb";

const missing = [
  ...(jupyterHas("notebook") ? [] : ["`jupyter notebook` (apt-get install jupyter-notebook)"]),
  ...(hasChromium() ? [] : ["chromium (apt-get install chromium fonts-dejavu-core)"]),
];
if (missing.length > 0) {
  console.warn(`notebooks_browser_test: skipped, not found: ${missing.join(", ")}`);
}

/** A free TCP port on 127.0.0.1. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** The AUC-vs-fraction figure the notebook draws on the tiny profile (same settings). */
function expectedAucFigure() {
  const splits = averageFolds(
    readPredictions(join(root, "data-manifests/example-predictions.csv")),
  );
  const evaluation = evaluateSplits(splits, {
    thresholdSplit: "public",
    referenceFraction: 100,
    ciMethod: "wilson",
  });
  return aucFractionFigure(aucPanels(evaluation.metrics));
}

Deno.test({
  name: "notebook 04 runs in the classic Jupyter Notebook in chromium and draws the AUC figure",
  ignore: missing.length > 0,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const scratch = await Deno.makeTempDir({ prefix: "nb-browser-" });
    const before = await Deno.readTextFile(join(root, NOTEBOOK));
    const port = freePort();
    const token = crypto.randomUUID().replaceAll("-", "");
    const server = new Deno.Command("jupyter", {
      args: [
        "notebook",
        "--no-browser",
        "--ip=127.0.0.1",
        `--port=${port}`,
        "--port-retries=0",
        "--allow-root", // CI containers run as root; the server listens on 127.0.0.1 only
        `--NotebookApp.token=${token}`,
        `--notebook-dir=${root}`,
      ],
      env: {
        JUPYTER_PATH: join(root, "jupyter"),
        JUPYTER_CONFIG_DIR: join(scratch, "config"),
        JUPYTER_DATA_DIR: join(scratch, "data"),
        JUPYTER_RUNTIME_DIR: join(scratch, "runtime"),
        NO_COLOR: "1",
        RUST_BACKTRACE: "0",
        PE_NOTEBOOK_PROFILE: "tiny",
        PE_NOTEBOOK_WORKDIR: join(scratch, "work"),
      },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const serverLog: string[] = [];
    const decoder = new TextDecoder();
    const collect = async (stream: ReadableStream<Uint8Array>) => {
      for await (const chunk of stream) serverLog.push(decoder.decode(chunk));
    };
    const logs = Promise.all([collect(server.stdout), collect(server.stderr)]);
    const failWithLog = (message: string) =>
      new Error(`${message}\nserver log (end):\n${serverLog.join("").slice(-3000)}`);
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, "--disable-quic"],
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      // The server is up when its API answers.
      const deadline = Date.now() + 60_000;
      for (;;) {
        const ok = await fetch(`${base}/api/status?token=${token}`).then(
          async (r) => (await r.body?.cancel(), r.ok),
          () => false,
        );
        if (ok) break;
        if (Date.now() > deadline) throw failWithLog("the notebook server did not start");
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await page.goto(`${base}/notebooks/${NOTEBOOK}?token=${token}`);
      await page.waitForFunction(
        () => {
          // deno-lint-ignore no-explicit-any
          const jupyter = (globalThis as any).Jupyter;
          return jupyter?.notebook?.kernel?.is_connected() && jupyter.notebook.kernel_selector;
        },
        null,
        { timeout: 120_000 },
      );
      // Never write outputs back into the repository's notebook.
      await page.evaluate(() => {
        // deno-lint-ignore no-explicit-any
        (globalThis as any).Jupyter.notebook.set_autosave_interval(0);
      });
      await page.click("#celllink");
      await page.click("#run_all_cells > a");
      // Done: every code cell has an execution number, none is running ([*]).
      // (an expression string: it runs in the page, where the DOM is)
      await page.waitForFunction(
        `(() => {
          const prompts = [...document.querySelectorAll(".code_cell .input_prompt")];
          return prompts.length > 0 && prompts.every((el) => /\\[\\d+\\]/.test(el.textContent));
        })()`,
        null,
        { timeout: 300_000, polling: 1000 },
      );
      const errors = await page.$$eval(
        ".output_error",
        (els) => els.map((el) => (el.textContent ?? "").slice(0, 500)),
      );
      assert.deepEqual(errors, [], "a cell shows an error");
      const plots = await page.$$eval(".js-plotly-plot", (els) =>
        els.map((el) => ({
          // deno-lint-ignore no-explicit-any
          traces: ((el as any).data ?? []).length as number,
          // deno-lint-ignore no-explicit-any
          title: String((el as any).layout?.title?.text ?? ""),
          svg: el.querySelector("svg.main-svg") !== null,
          lines: el.querySelectorAll(".scatterlayer .trace").length,
        })));
      const expected = expectedAucFigure();
      const expectedTitle = String((expected.layout.title as { text?: string }).text);
      const auc = plots.find((plot) => plot.title === expectedTitle);
      assert.ok(auc, `no drawn figure titled '${expectedTitle}': ${JSON.stringify(plots)}`);
      assert.ok(auc.svg, "the AUC figure has no SVG");
      assert.equal(auc.traces, expected.data.length);
      assert.ok(auc.lines > 0, "the AUC figure's SVG draws no trace");
    } finally {
      await browser.close();
      try {
        server.kill("SIGTERM");
      } catch {
        // already ended: its log is in the failure message
      }
      await server.status;
      await logs;
      await Deno.remove(scratch, { recursive: true });
    }
    assert.equal(await Deno.readTextFile(join(root, NOTEBOOK)), before, "the notebook was changed");
  },
});
