/** `deno task evaluate` end to end on the small predictions file. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { main } from "../../src/cli/evaluate.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const predictions = join(root, "tests/testdata/report/small_predictions.csv");

Deno.test({
  name: "evaluate writes metrics, report, figures (HTML) and the run record",
  sanitizeResources: false,
  async fn() {
    const out = await Deno.makeTempDir();
    try {
      // deno-fmt-ignore
      await main([
        "--predictions", predictions, "--out", out, "--reference-fraction", "50", "--ci",
        "jeffreys", "--figures", "html",
      ]);
      const metrics = JSON.parse(await Deno.readTextFile(join(out, "metrics.json")));
      assert.equal(metrics.reference_fraction, 50);
      assert.equal(metrics.ci_method, "jeffreys");
      const run = JSON.parse(await Deno.readTextFile(join(out, "run.json")));
      assert.equal(run.command, "evaluate");
      assert.equal(run.config.ci, "jeffreys");
      assert.equal(run.input.rows, 324);
      assert.deepEqual(run.input.splits.map((s: { exams: number }) => s.exams), [24, 30]);
      assert.ok(run.versions.packages["nodejs-polars"]);
      const figures = [...Deno.readDirSync(join(out, "figures"))].map((e) => e.name).sort();
      assert.deepEqual(figures, [
        "auc_by_fraction.html",
        "plotly.min.js",
        "roc_private_all.html",
        "roc_private_central.html",
        "roc_private_peripheral.html",
      ]);
      const report = await Deno.readTextFile(join(out, "report.md"));
      assert.match(report, /## Private test, central PE/);
      assert.match(report, /\| 50 % \(ref\.\) \|/);
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});

Deno.test("a bad flag names itself", async () => {
  await assert.rejects(
    () => main(["--predictions", predictions, "--out", "x", "--ci", "exact"]),
    /--ci: .*wilson/,
  );
});

Deno.test("the dispatcher runs evaluate and a malformed file exits 1 naming row and column", async () => {
  const bad = await Deno.makeTempFile({ suffix: ".csv" });
  const out = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(
      bad,
      "exam_id,split,label,fraction,fold,score\na,public,1,0,0,0.5\nb,public,0,0,0,yes\n",
    );
    const result = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", join(root, "src/cli.ts"), "evaluate", "--predictions", bad, "--out", out],
      env: { NO_COLOR: "1", RUST_BACKTRACE: "0" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(result.stderr);
    assert.equal(result.code, 1, stderr);
    assert.match(stderr, /row 2, column 'score'/);
    assert.match(stderr, /fix: /);
  } finally {
    await Deno.remove(bad);
    await Deno.remove(out, { recursive: true });
  }
});
