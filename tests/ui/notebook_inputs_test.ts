import assert from "node:assert/strict";
import { join } from "node:path";
import { demoFolders } from "../../src/train/demo_folders.ts";
import { missingDemoNote, notebookInputs, trainingEta } from "../../src/ui/notebook_inputs.ts";

const defaults = demoFolders({ profile: "demo" });

Deno.test("notebookInputs: demo folders from PE_DEMO_*, found by their marker files", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(join(dir, "predictions.csv"), "exam_id\n");
  const inputs = notebookInputs(defaults, { PE_DEMO_RUNS: dir });
  assert.equal(inputs.tiny, false);
  assert.equal(inputs.demo.runs, dir);
  assert.equal(inputs.found.runs, true);
  // defaults resolve against the repository root, not the notebook's folder
  assert.ok(inputs.demo.figures.endsWith("/figures"));
  assert.equal(inputs.found.figures, true); // the committed figures/report.md
  const empty = notebookInputs(defaults, { PE_DEMO_CACHE: join(dir, "none") });
  assert.equal(empty.found.cache, false);
  assert.match(
    missingDemoNote(empty, "cache"),
    /no demo run outputs in .*none \(index\.json missing\): make them with `deno task demo`.*PE_DEMO_CACHE/,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("notebookInputs: the tiny profile, and a bad profile named", () => {
  const tiny = notebookInputs(defaults, { PE_NOTEBOOK_PROFILE: "tiny", PE_NOTEBOOK_WORKDIR: "/w" });
  assert.deepEqual([tiny.tiny, tiny.workDir], [true, "/w"]);
  assert.throws(
    () => notebookInputs(defaults, { PE_NOTEBOOK_PROFILE: "full" }),
    /PE_NOTEBOOK_PROFILE: PE_NOTEBOOK_PROFILE must be 'tiny' or unset/,
  );
});

Deno.test("trainingEta: runs x exam-steps / speed", () => {
  const eta = trainingEta({
    runs: 5,
    examStepsPerRun: 24000,
    examsPerSecond: 20,
    basis: "measured",
  });
  assert.equal(eta.seconds, 6000);
  assert.equal(eta.text, "5 runs x 24000 exam-steps at 20.0 exams/s (measured): about 1h40m");
});
