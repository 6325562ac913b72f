/**
 * The demo end to end on a tiny configuration (tiny phantom profile, 40 exams, 1 epoch), into
 * a temporary folder: figures and report are written; a second run skips every stage; a run
 * with one more fraction reuses the data and the finished training runs.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { demoFlagsSchema, main } from "../../src/cli/demo.ts";
import { demoFolders } from "../../src/train/demo_folders.ts";
import { selectFolds } from "../../src/cli/flags.ts";
import { readPreprocessJobs } from "../../src/preprocess/manifest.ts";
import { metricsFileSchema } from "../../src/report/evaluation.ts";

const STAGES = ["synth", "clean", "preprocess", "sweep", "evaluate", "report"];

/** The stage lines of demo.log written since `from` (a line count). */
function stageLines(logPath: string, from: number): string[] {
  return Deno.readTextFileSync(logPath).trimEnd().split("\n").slice(from)
    .filter((line) => / stage \d\/\d /.test(line));
}

function lineCount(path: string): number {
  return Deno.readTextFileSync(path).trimEnd().split("\n").length;
}

Deno.test({
  name: "demo: tiny run end to end, then a rerun skips every stage",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "demo-test-" });
    try {
      const work = join(dir, "work");
      const figures = join(dir, "figures");
      const args = [
        "--profile",
        "tiny",
        "--exams",
        "40",
        "--fractions",
        "0,100",
        "--work-dir",
        work,
        "--figures-dir",
        figures,
        "--workers",
        "2",
      ];
      await main(args);
      const log = join(work, "runs", "demo.log");
      const first = stageLines(log, 0);
      for (const stage of STAGES) {
        assert.ok(
          first.some((l) => l.includes(` ${stage}: done in `)),
          `first run: ${stage} did not run:\n${first.join("\n")}`,
        );
      }
      for (const file of ["report.md", "report.html", "auc_by_fraction.html", "metrics.csv"]) {
        assert.ok(Deno.statSync(join(figures, file)).size > 0, `${file} missing`);
      }
      assert.ok(
        Deno.readDirSync(figures).some((e) => /^roc_private_all\.html$/.test(e.name)),
        "no ROC figure of the private split",
      );
      const report = Deno.readTextFileSync(join(figures, "report.md"));
      assert.match(report, /## The paper's effect: checks/);
      assert.match(report, /\| full-supervision \|/);
      assert.match(report, /## Beside the paper's numbers/);
      assert.match(report, /### Private test, all PE/); // evaluate's tables, paper layout
      // The training-exam count in the caveats is the manifest's (train split outside fold 0).
      const { jobs } = readPreprocessJobs(join(work, "data-manifest"), join(work, "data"));
      const trained = jobs.filter(({ facts }) => facts.split === "train" && facts.fold !== 0);
      assert.match(
        report,
        new RegExp(`40 exams, ${trained.length} training exams in the run of fold 0`),
      );

      // The check shown is the AUC evaluate computed, not a number of the demo's own.
      const metrics = metricsFileSchema.parse(
        JSON.parse(Deno.readTextFileSync(join(work, "runs", "evaluation", "metrics.json"))),
      );
      const full = metrics.rows.find((r) =>
        r.split === "private" && r.subset === "all" && r.fraction === 100
      )!;
      const summary = JSON.parse(Deno.readTextFileSync(join(work, "runs", "demo-summary.json")));
      const check = summary.checks.find((c: { id: string }) => c.id === "full-supervision");
      assert.equal(check.observed, full.auc.toFixed(3));
      assert.equal(check.pass, full.auc >= 0.9);
      assert.equal(summary.stages.length, STAGES.length);

      // Second run, nothing changed: every stage is found complete.
      const reportTime = Deno.statSync(join(figures, "report.md")).mtime?.getTime();
      const before = lineCount(log);
      await main(args);
      const second = stageLines(log, before);
      assert.equal(second.length, STAGES.length, second.join("\n"));
      for (const [i, stage] of STAGES.entries()) {
        assert.match(second[i], new RegExp(` ${stage}: complete, skipped`));
      }
      assert.equal(Deno.statSync(join(figures, "report.md")).mtime?.getTime(), reportTime);

      // One more fraction: data stages skipped, the sweep trains only the new run.
      const mark = lineCount(log);
      await main([...args.slice(0, 4), "--fractions", "0,2.5,100", ...args.slice(6)]);
      const third = stageLines(log, mark);
      for (const stage of ["synth", "clean", "preprocess"]) {
        assert.ok(third.some((l) => l.includes(` ${stage}: complete, skipped`)), stage);
      }
      const sweep = third.find((l) => l.includes(" sweep: done in "));
      assert.ok(sweep, third.join("\n"));
      assert.match(sweep, /3 runs \(2 already finished\)/);
      const updated = Deno.readTextFileSync(join(figures, "report.md"));
      assert.match(updated, /\| weak-vs-semi-weak \|.*\| (pass|FAIL) \|/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("demo flags: defaults, 'all' fractions and the folders", () => {
  const defaults = demoFlagsSchema.parse({});
  assert.deepEqual(defaults.fractions, [0, 2.5, 10, 27.5, 100]);
  assert.deepEqual(defaults.folds, [0]);
  assert.deepEqual(demoFolders(defaults), {
    data: "data/demo",
    manifest: "data-manifests/demo",
    cache: "cache/demo",
    runs: "runs/demo",
    evaluation: "runs/demo/evaluation",
    figures: "figures",
  });
  const all = demoFlagsSchema.parse({ fractions: "all", folds: "all" });
  assert.deepEqual(all.fractions, [0, 2.5, 5, 10, 20, 27.5, 35, 42.5, 50, 75, 100]);
  assert.deepEqual(selectFolds(all.folds, 5), [0, 1, 2, 3, 4]);
  assert.deepEqual(demoFlagsSchema.parse({ folds: "1,0" }).folds, [0, 1]);
  // A count where a list is meant: fold 5 does not exist, and the error says what --folds means.
  assert.throws(
    () => selectFolds(demoFlagsSchema.parse({ folds: "5" }).folds, 5),
    /fold 5 does not exist among 5 folds \(0\.\.4\); --folds says which folds, e\.g\. --folds 0,1 or --folds all/,
  );
  assert.equal(demoFlagsSchema.safeParse({ folds: "two" }).success, false);
  assert.equal(demoFlagsSchema.safeParse({ fractions: "0,150" }).success, false);
  assert.equal(demoFolders(demoFlagsSchema.parse({ workDir: "/w" })).cache, "/w/cache");
});

Deno.test({
  name: "demo --seeds: each seed in its own folder, then every seed's AUCs and checks side by side",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "demo-seeds-test-" });
    try {
      const figures = join(dir, "figures");
      await main([
        ...["--profile", "tiny", "--exams", "40", "--fractions", "0,100", "--seeds", "0,1"],
        ...["--work-dir", join(dir, "work"), "--figures-dir", figures, "--workers", "2"],
      ]);
      for (const seed of [0, 1]) {
        const summary = JSON.parse(
          await Deno.readTextFile(join(dir, "work", `seed-${seed}`, "runs", "demo-summary.json")),
        );
        assert.equal(summary.settings.seed, seed);
        const report = await Deno.readTextFile(join(figures, "seeds", `seed-${seed}`, "report.md"));
        assert.match(report, new RegExp(`--seed ${seed} --work-dir`));
        assert.doesNotMatch(report, /--seeds/);
      }
      const seeds = await Deno.readTextFile(join(figures, "seeds", "seeds.md"));
      assert.match(seeds, /\| fraction \| seed 0 \| seed 1 \| mean \| range \|/);
      assert.match(seeds, /\| 100 % \| \d\.\d{3} \(/);
      assert.match(seeds, /## Checks of the paper's effect, per seed/);
      assert.ok(Deno.statSync(join(figures, "seeds", "auc_by_fraction_seeds.html")).size > 0);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
