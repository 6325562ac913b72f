import assert from "node:assert/strict";
import {
  allocationFigure,
  allocationMarkdown,
  compareAllocations,
} from "../../src/report/allocation_comparison.ts";
import { parsePredictions } from "../../src/train/mod.ts";
import { delongAuc, delongPairedTest } from "../../src/stats/mod.ts";

/** 8 private exams: 2 central, 2 peripheral, 4 negative; scores per budget. */
const EXAMS = [
  ["c1", 1, "central"],
  ["c2", 1, "central"],
  ["p1", 1, "peripheral"],
  ["p2", 1, "peripheral"],
  ["n1", 0, ""],
  ["n2", 0, ""],
  ["n3", 0, ""],
  ["n4", 0, ""],
] as const;

function table(file: string, scores: Record<number, number[]>) {
  const columns: Record<string, string[]> = {
    exam_id: [],
    split: [],
    label: [],
    fraction: [],
    fold: [],
    score: [],
    subtype: [],
  };
  for (const [budget, values] of Object.entries(scores)) {
    EXAMS.forEach(([id, label, subtype], i) => {
      columns.exam_id.push(id);
      columns.split.push("private");
      columns.label.push(String(label));
      columns.fraction.push(budget);
      columns.fold.push("0");
      columns.score.push(String(values[i]));
      columns.subtype.push(subtype);
    });
  }
  return parsePredictions(columns, columns.exam_id.length, file);
}

const even = [0.9, 0.4, 0.6, 0.3, 0.5, 0.2, 0.35, 0.1];
const tiered = [0.9, 0.8, 0.7, 0.6, 0.5, 0.2, 0.35, 0.1];

Deno.test("allocation comparison: AUC per subset and the paired test against even", () => {
  const rows = compareAllocations(
    [
      { seed: 0, strategy: "even", table: table("even.csv", { 2.5: even }) },
      { seed: 0, strategy: "tiered", table: table("tiered.csv", { 2.5: tiered }) },
    ],
    [2.5],
  );
  assert.equal(rows.length, 6); // 2 strategies x 3 subsets
  const row = (strategy: string, subset: string) =>
    rows.find((r) => r.strategy === strategy && r.subset === subset)!;
  // even, all exams: positives 0.9 0.4 0.6 0.3 vs negatives 0.5 0.2 0.35 0.1: 4 + 3 + 4 + 2
  // of 16 pairs ordered
  assert.equal(row("even", "all").auc, 13 / 16);
  assert.deepEqual([row("even", "all").differenceFromEven, row("even", "all").pAgainstEven], [
    0,
    1,
  ]);
  // peripheral subset: p1, p2 and the 4 negatives
  assert.equal(row("tiered", "peripheral").exams, 6);
  assert.equal(row("tiered", "peripheral").positives, 2);
  assert.equal(row("tiered", "peripheral").auc, 1);
  const labels = [1, 1, 1, 1, 0, 0, 0, 0];
  const reference = delongPairedTest(tiered, even, labels);
  assert.equal(row("tiered", "all").differenceFromEven, reference.difference);
  assert.equal(row("tiered", "all").pAgainstEven, reference.p);
  assert.equal(row("tiered", "all").low, delongAuc(tiered, labels).low);
});

Deno.test("allocation comparison: missing even runs, budgets or different exams are named", () => {
  const tiered25 = { seed: 0, strategy: "tiered", table: table("tiered.csv", { 2.5: tiered }) };
  assert.throws(
    () => compareAllocations([tiered25], [2.5]),
    /seed 0: no even runs to compare with/,
  );
  const even10 = { seed: 0, strategy: "even", table: table("even.csv", { 10: even }) };
  assert.throws(
    () => compareAllocations([even10, tiered25], [2.5]),
    /even\.csv: no predictions at 2\.5 %/,
  );
  const fewer = parsePredictions(
    {
      exam_id: ["c1", "n1"],
      split: ["private", "private"],
      label: ["1", "0"],
      fraction: ["2.5", "2.5"],
      fold: ["0", "0"],
      score: ["0.9", "0.1"],
      subtype: ["central", ""],
    },
    2,
    "fewer.csv",
  );
  assert.throws(
    () =>
      compareAllocations([
        { seed: 0, strategy: "even", table: table("even.csv", { 2.5: even }) },
        { seed: 0, strategy: "random", table: fewer },
      ], [2.5]),
    /fewer\.csv: private exams differ from even\.csv's/,
  );
});

Deno.test("allocation report: the table, the verdict line and the figure come from the rows", () => {
  const rows = compareAllocations(
    [
      { seed: 0, strategy: "even", table: table("even.csv", { 2.5: even, 10: even }) },
      { seed: 0, strategy: "tiered", table: table("tiered.csv", { 2.5: tiered, 10: even }) },
    ],
    [2.5, 10],
  );
  const spending = [2.5, 10].flatMap((budget) =>
    ["even", "tiered"].map((strategy) => ({
      seed: 0,
      budget,
      strategy,
      perExam: budget === 2.5 ? 1 : 3,
      bySubtype: [{ group: "peripheral", meanLabelled: strategy === "tiered" ? 2 : 1 }],
    }))
  );
  const text = allocationMarkdown(rows, spending);
  assert.match(text, /\| 2\.5 % \| even \| 0\.813 \(/);
  assert.match(text, /\| 10 % \| tiered \| 0\.813 .*\| \+0\.000 \(p 1\.000\)/);
  assert.match(text, /\| 0 \| 2\.5 % \| tiered \| 1\.00 \| n\/a \| n\/a \| 2\.00 \|/);
  const significant = rows.some((r) => r.strategy === "tiered" && r.pAgainstEven < 0.05);
  assert.match(
    text,
    significant ? /At p < 0\.05: tiered above even/ : /No strategy differs from even/,
  );
  const figure = allocationFigure(rows, spending);
  assert.equal(figure.data.length, 3 * 2); // 3 subsets x 2 strategies
  const [first, second] = figure.data as { x: number[]; y: number[]; name: string }[];
  assert.equal(first.name, "even");
  assert.equal(first.y[0], 13 / 16);
  // Each strategy sits beside the budget's slices per exam (1 and 3), the two mirrored about it.
  assert.equal(second.name, "tiered");
  first.x.forEach((x, i) => {
    assert.ok(x < [1, 3][i] && second.x[i] > [1, 3][i], `${x} / ${second.x[i]}`);
    assert.ok(Math.abs((x + second.x[i]) / 2 - [1, 3][i]) < 1e-12);
  });
  const xaxis = figure.layout.xaxis as { tickvals: number[]; range: [number, number] };
  assert.deepEqual(xaxis.tickvals, [1, 3]);
  assert.ok(xaxis.range[0] < first.x[0] && xaxis.range[1] > second.x[1]);
  // One budget: its point is in the middle of the axis, not at its right edge.
  const single = allocationFigure(
    rows.filter((r) => r.budget === 10),
    spending.filter((s) => s.budget === 10),
  ).layout.xaxis as { range: [number, number] };
  assert.ok(Math.abs((single.range[0] + single.range[1]) / 2 - 3) < 1e-12, `${single.range}`);
  // A strategy that labels fewer than the budget (adaptive-2-window) leaves the tick at the budget.
  const fewer = spending.map((s) =>
    s.strategy === "tiered" ? { ...s, perExam: s.perExam - 0.2 } : s
  );
  const ticks = allocationFigure(rows, fewer).layout.xaxis as { ticktext: string[] };
  assert.deepEqual(ticks.ticktext, ["1.0 (2.5 %)", "3.0 (10 %)"]);
});
