/**
 * `deno task notebooks` on a stand-in demo run (the example predictions as the run's merged
 * predictions): notebook 04 is executed and published with a PNG for every figure, without
 * plotly.js, without the repository's path, and small. Skipped where nbconvert or chromium is
 * missing.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { hasChromium } from "../../src/report/export.ts";
import { parseNotebook } from "../../src/ui/published_notebook.ts";
import { repoRoot, runTask } from "./_task.ts";
import { jupyterHas } from "../_jupyter.ts";

const ready = jupyterHas("nbconvert") && hasChromium();
if (!ready) {
  console.warn(
    "tests/cli/notebooks_test: skipped, needs `jupyter nbconvert` and chromium " +
      "(apt-get install jupyter-nbconvert jupyter-client python3-ipykernel chromium fonts-dejavu-core)",
  );
}

Deno.test({
  name: "deno task notebooks: executed copies with a PNG per figure, no plotly.js, small",
  ignore: !ready,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "notebooks-task-" });
    const runs = join(dir, "runs");
    await Deno.mkdir(runs);
    await Deno.copyFile(
      join(repoRoot, "data-manifests/example-predictions.csv"),
      join(runs, "predictions.csv"),
    );
    const out = join(dir, "executed");
    const result = await runTask(["notebooks", "--runs", runs, "--only", "04", "--out", out]);
    assert.equal(result.code, 0, result.text);
    assert.match(result.text, /04-evaluation\.ipynb: \d+ figure\(s\) with PNG/);
    const text = await Deno.readTextFile(join(out, "04-evaluation.ipynb"));
    assert.ok(text.length < 2_000_000, `${text.length} bytes`);
    assert.ok(!text.includes(repoRoot), "the repository's path is in the outputs");
    const outputs = parseNotebook(text, "04").cells.flatMap((cell) => cell.outputs ?? []);
    const figures = outputs.filter((o) => o.data?.["application/vnd.plotly.v1+json"]);
    assert.ok(figures.length >= 1);
    for (const figure of figures) {
      assert.equal(typeof figure.data!["image/png"], "string");
      assert.equal(figure.data!["text/html"], undefined);
    }
    assert.deepEqual(outputs.filter((o) => o.output_type === "error"), []);
    assert.match(text, /predictions: .*runs\/predictions\.csv/);
    const badOnly = await runTask(["notebooks", "--only", "99", "--out", out]);
    assert.equal(badOnly.code, 1);
    assert.match(badOnly.text, /no notebook in .* matches --only 99/);
    await Deno.remove(dir, { recursive: true });
  },
});
