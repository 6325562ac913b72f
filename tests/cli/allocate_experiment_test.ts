import assert from "node:assert/strict";
import { join } from "node:path";
import { runTask } from "./_task.ts";
import { writeTinyCache } from "../train/_cache.ts";

const tiny = [
  "--profile",
  "tiny",
  "--epochs",
  "1",
  "--samples-per-epoch",
  "8",
  "--backend",
  "wasm",
];

/** The rows of the markdown table that follows `heading` in `text`. */
function tableAfter(text: string, heading: string): string[][] {
  const lines = text.slice(text.indexOf(heading)).split("\n").filter((l) => l.startsWith("| "));
  return lines.slice(2).map((l) => l.split("|").slice(1, -1).map((cell) => cell.trim()));
}

Deno.test("deno task allocate-experiment: every strategy at the even budget, compared and resumable", async () => {
  const dir = await Deno.makeTempDir();
  const cache = join(dir, "cache");
  await writeTinyCache(cache, [6, 12, 12], 8);
  const out = join(dir, "allocation");
  const args = [
    "allocate-experiment",
    "--cache",
    cache,
    "--out",
    out,
    "--strategies",
    "tiered,random,adaptive,adaptive-2,adaptive-2-window",
    "--budgets",
    "50",
    ...tiny,
  ];
  const first = await runTask(args);
  assert.equal(first.code, 0, first.text);
  // even at 0 %, 25 % (the two-round strategies' first round) and 50 %; five strategies at 50 %
  assert.match(first.text, /allocate-experiment: 8 runs \(even, tiered, random, adaptive,/);
  assert.match(first.text, /8 runs \(0 already finished\)/);
  assert.match(first.text, /seed 0: the even 25 % model scored \d+ exams' slices/);
  for (
    const folder of [
      "even/fraction-0/fold-0",
      "even/fraction-25/fold-0",
      "tiered/fraction-50/fold-0",
      "slice-scores-0.json",
      "slice-scores-25.json",
    ]
  ) {
    await Deno.stat(join(out, "seed-0", folder));
  }
  const ranksBy = async (strategy: string) =>
    JSON.parse(
      await Deno.readTextFile(join(out, "seed-0", strategy, "fraction-50/fold-0/run.json")),
    ).config.allocation.sliceScores;
  assert.equal(await ranksBy("adaptive"), join(out, "seed-0", "slice-scores-0.json"));
  assert.equal(await ranksBy("adaptive-2"), join(out, "seed-0", "slice-scores-25.json"));
  assert.equal(await ranksBy("adaptive-2-window"), join(out, "seed-0", "slice-scores-25.json"));
  const csv = (await Deno.readTextFile(join(out, "allocation.csv"))).trim().split("\n");
  const header = csv[0].split(",");
  const rows = csv.slice(1).map((line) =>
    Object.fromEntries(line.split(",").map((v, i) => [header[i], v]))
  );
  assert.deepEqual(
    [...new Set(rows.map((r) => r.strategy))].sort(),
    ["adaptive", "adaptive-2", "adaptive-2-window", "even", "random", "tiered"],
  );
  for (const row of rows) {
    assert.equal(row.budget, "50");
    const p = Number(row.pAgainstEven);
    if (row.strategy === "even") assert.equal(p, 1);
    else assert.ok(p >= 0 && p <= 1, `p ${row.pAgainstEven}`);
  }
  // Every strategy spends the even rule's budget: 3 of 6 slices per training exam on average;
  // adaptive-2-window labels no more (its looks beside a clot label nothing).
  const report = await Deno.readTextFile(join(out, "allocation.md"));
  const spent = tableAfter(report, "## Where the budget went");
  assert.equal(spent.length, 6);
  for (const [, budget, strategy, perExam] of spent) {
    assert.equal(budget, "50 %");
    if (strategy === "adaptive-2-window") assert.ok(Number(perExam) <= 3, perExam);
    else assert.equal(Number(perExam), 3, strategy);
  }
  // tiered shifts labels from negatives to peripheral PE (weights 3 : 1 : 0.5)
  const tiered = spent.find((row) => row[2] === "tiered")!;
  assert.ok(Number(tiered[6]) > Number(tiered[4]), `tiered: ${tiered.join(" | ")}`);
  assert.match(report, /Command: `deno task allocate-experiment --cache/);
  await Deno.stat(join(out, "auc_by_allocation.html"));

  const again = await runTask(args);
  assert.equal(again.code, 0, again.text);
  assert.match(again.text, /8 runs \(8 already finished\)/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("deno task allocate-experiment: a 0 % budget or an unknown strategy is refused", async () => {
  const zero = await runTask(["allocate-experiment", "--budgets", "0,2.5", ...tiny]);
  assert.notEqual(zero.code, 0);
  assert.match(zero.text, /budgets.*labels nothing; fix: give budgets above 0/);
  const unknown = await runTask(["allocate-experiment", "--strategies", "even,greedy", ...tiny]);
  assert.notEqual(unknown.code, 0);
  assert.match(unknown.text, /strategies/);
  const weightsWithoutTiered = await runTask([
    "allocate-experiment",
    "--strategies",
    "even,random",
    "--tier-weights",
    "6,1,0.25",
    ...tiny,
  ]);
  assert.notEqual(weightsWithoutTiered.code, 0);
  const dir = await Deno.makeTempDir();
  await writeTinyCache(join(dir, "cache"), [6, 12, 12], 8);
  const noFirstRound = await runTask([
    "allocate-experiment",
    "--cache",
    join(dir, "cache"),
    "--out",
    join(dir, "allocation"),
    "--strategies",
    "even,adaptive-2",
    "--budgets",
    "10",
    ...tiny,
  ]);
  assert.notEqual(noFirstRound.code, 0);
  // 5 % of the tiny exams' 6 slices rounds to none: refused before any run trains
  assert.match(noFirstRound.text, /adaptive-2 at 10 %: its first round, the even rule at 5 %/);
  assert.equal(await Deno.stat(join(dir, "allocation")).then(() => true, () => false), false);
  await Deno.remove(dir, { recursive: true });
  assert.match(weightsWithoutTiered.text, /--tier-weights .*fix: add tiered to --strategies/);
});
