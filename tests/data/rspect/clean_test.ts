/**
 * The cleaning run end to end on a small RSPECT-layout tree in which every exclusion reason is
 * planted once: each broken exam is excluded with exactly its reason, every sound exam is kept,
 * slices come out in position order, and a rerun reuses the DICOM check cache.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import pl from "nodejs-polars";
import {
  cleanRspect,
  type CtSlice,
  readCleaningSummary,
  rspectColumns,
  writeCtSeries,
} from "../../../src/data/rspect/mod.ts";

type Alter = (k: number, s: CtSlice) => CtSlice | null;
interface Planted {
  reason: string | null;
  positive?: boolean;
  alter?: Alter;
  labels?: Record<string, number>;
  /** Change the labelled SOP list (e.g. a slice without file). */
  sops?: (sops: string[]) => string[];
  noFolder?: boolean;
}

const plan: Planted[] = [
  { reason: null },
  { reason: null, positive: true },
  { reason: null },
  { reason: null, positive: true, labels: { central_pe: 1 } },
  { reason: null },
  { reason: null, positive: true },
  { reason: "missing-slices", alter: (k, s) => (k === 3 ? null : s) },
  {
    reason: "inconsistent-increment",
    alter: (k, s) => ({
      ...s,
      imagePositionPatient: [-100, -120, -300 + k * 2.5 + (k >= 4 ? 0.6 : 0)],
    }),
  },
  {
    reason: "gantry-tilt",
    alter: (k, s) => ({ ...s, imagePositionPatient: [-100, -120 + k, -300 + k * 2.5] }),
  },
  {
    reason: "non-axial",
    alter: (k, s) => ({
      ...s,
      imageOrientationPatient: [1, 0, 0, 0, 0, -1],
      imagePositionPatient: [-100, k * 2.5, 0],
    }),
  },
  {
    reason: "missing-attribute",
    alter: (k, s) => (k === 0 ? { ...s, omit: ["PixelSpacing"] } : s),
  },
  {
    reason: "unreadable-pixels",
    alter: (k, s) => (k === 5 ? { ...s, pixelBytes: new Uint8Array(64) } : s),
  },
  {
    reason: "mixed-series",
    alter: (k, s) => (k === 2 ? { ...s, columns: 20, pixels: new Int16Array(16 * 20) } : s),
  },
  { reason: "indeterminate", labels: { indeterminate: 1, negative_exam_for_pe: 0 } },
  { reason: "label-incoherent", labels: { negative_exam_for_pe: 0 } },
  { reason: "missing-files", noFolder: true },
  { reason: "missing-files", sops: (sops) => [...sops, `${sops[0]}.9`] },
  { reason: "missing-labels", sops: (sops) => sops.slice(1) },
];

const root = await Deno.makeTempDir({ prefix: "clean-test-" });
const data = join(root, "train");
const lines = [rspectColumns.join(",")];
const splitLines = ["study_uid,split"];
const reasonOf = new Map<string, string | null>();
const goodOrder = new Map<string, string[]>();
for (const [e, p] of plan.entries()) {
  const study = `1.2.826.0.1.3680043.10.7.${e + 1}`;
  const series = `${study}.1`;
  reasonOf.set(study, p.reason);
  const written = p.noFolder
    ? ["a", "b", "c"].map((s) => `${series}.${s}`)
    : await writeCtSeries(join(data, study, series), { slices: 8, alter: p.alter });
  if (p.reason === null) goodOrder.set(study, written);
  // label rows in a shuffled order: z must come from positions, not from train.csv
  const sops = (p.sops ? p.sops(written) : written).slice().reverse();
  const positive = p.positive || p.reason === "label-incoherent" || p.reason === "indeterminate";
  sops.forEach((sop, k) => {
    const row: Record<string, number | string> = {
      StudyInstanceUID: study,
      SeriesInstanceUID: series,
      SOPInstanceUID: sop,
      pe_present_on_image: p.positive && k >= 2 && k < 5 ? 1 : 0,
      negative_exam_for_pe: positive ? 0 : 1,
      ...p.labels,
    };
    lines.push(rspectColumns.map((c) => row[c] ?? 0).join(","));
  });
  splitLines.push(`${study},${e === 2 ? "public" : "train"}`);
}
const stray = "1.2.826.0.1.3680043.10.7.999";
await writeCtSeries(join(data, stray, `${stray}.1`), { slices: 3 });
const labels = join(root, "train.csv"), splits = join(root, "splits.csv");
await Deno.writeTextFile(labels, `${lines.join("\n")}\n`);
await Deno.writeTextFile(splits, `${splitLines.join("\n")}\n`);

function readCsv(path: string) {
  return pl.readCSV(path, { inferSchemaLength: 0 }).toRecords() as Record<string, string | null>[];
}

Deno.test("--check-dicom: every planted reason, and nothing else, is excluded", async () => {
  const out = join(root, "out-check");
  let progress = [0, 0];
  const { summary } = await cleanRspect(
    { data, labels, splits, out, checkDicom: true, workers: 2, seed: 1 },
    { onProgress: (done, total) => progress = [done, total] },
  );
  const exams = readCsv(join(out, "exams.csv"));
  for (const [study, reason] of reasonOf) {
    const row = exams.find((r) => r.study_uid === study)!;
    assert.equal(row.status, reason ? "excluded" : "included", `${study} (${reason})`);
    assert.equal(row.reason ?? null, reason, `${study}: ${row.detail}`);
  }
  assert.equal(exams.length, plan.length);
  const unlabelled = readCsv(join(out, "unlabelled-folders.csv"));
  assert.deepEqual(unlabelled.map((r) => [r.study_uid, r.reason]), [[stray, "not-in-labels"]]);
  assert.equal(unlabelled[0].folder, join(data, stray, `${stray}.1`));
  assert.equal(summary.included, 6);
  // summary.json reads back through its schema, unchanged
  assert.deepEqual(await readCleaningSummary(join(out, "summary.json")), summary);
  assert.equal(summary.excluded, plan.length - 6);
  assert.equal(summary.unlabelledFolders, 1);
  assert.deepEqual(summary.bySplit.public, {
    exams: 1,
    excluded: 0,
    included: 1,
    positive: 0,
    central: 0,
    peripheral: 0,
    negative: 1,
  });
  assert.deepEqual(summary.bySubtype, { central: 1, peripheral: 2 });
  // checked: all but the 2 label exclusions and the exam without a folder
  assert.deepEqual(progress, [plan.length - 3, plan.length - 3], "series checked");
  // folds only for included training exams
  for (const r of exams) {
    assert.equal(r.fold !== null, r.status === "included" && r.split === "train", `${r.study_uid}`);
  }

  const slices = readCsv(join(out, "slices.csv"));
  assert.equal(slices.length, 6 * 8);
  for (const [study, written] of goodOrder) {
    const mine = slices.filter((s) => s.study_uid === study);
    assert.deepEqual(mine.map((s) => s.sop_uid), written, "position order");
    assert.deepEqual(mine.map((s) => Number(s.z_index)), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(
      mine.map((s) => Number(s.z_position)),
      [0, 1, 2, 3, 4, 5, 6, 7].map((k) => -300 + k * 2.5),
    );
  }
  const run = JSON.parse(await Deno.readTextFile(join(out, "run.json")));
  assert.equal(run.command, "clean");
  assert.equal(run.seed, 1);
});

Deno.test("a rerun reuses the check cache; a torn last line is checked again", async () => {
  const out = join(root, "out-rerun");
  const config = { data, labels, splits, out, checkDicom: true, workers: 2, seed: 1 };
  await cleanRspect(config);
  const cache = join(out, "dicom-check.jsonl");
  const first = (await Deno.readTextFile(cache)).trim().split("\n");
  const firstExams = await Deno.readTextFile(join(out, "exams.csv"));
  let checked = -1;
  await cleanRspect(config, { onProgress: (done) => checked = done });
  assert.equal(
    (await Deno.readTextFile(cache)).trim().split("\n").length,
    first.length,
    "nothing rechecked",
  );
  assert.equal(await Deno.readTextFile(join(out, "exams.csv")), firstExams);
  assert.equal(checked, first.length);
  // an interrupted run: the last line is cut in half
  await Deno.writeTextFile(
    cache,
    `${first.slice(0, -1).join("\n")}\n${first.at(-1)!.slice(0, 40)}`,
  );
  await cleanRspect(config);
  const lines = (await Deno.readTextFile(cache)).trim().split("\n");
  assert.equal(lines.length, first.length + 1, "the torn series checked once more");
  assert.deepEqual(JSON.parse(lines.at(-1)!), JSON.parse(first.at(-1)!));
  assert.equal(await Deno.readTextFile(join(out, "exams.csv")), firstExams);
});

Deno.test("without --check-dicom: label and folder reasons only, file order, no z position", async () => {
  const out = join(root, "out-plain");
  const { summary } = await cleanRspect({ data, labels, out, seed: 1 });
  assert.deepEqual(summary.byReason, {
    "indeterminate": 1,
    "label-incoherent": 1,
    "missing-files": 1,
  });
  assert.equal(summary.unlabelledFolders, 1);
  assert.deepEqual(Object.keys(summary.bySplit), ["train"], "no split file: all train");
  const slices = readCsv(join(out, "slices.csv"));
  const study = [...goodOrder.keys()][0];
  const mine = slices.filter((s) => s.study_uid === study);
  assert.deepEqual(
    mine.map((s) => s.sop_uid),
    goodOrder.get(study)!.slice().reverse(),
    "train.csv order",
  );
  assert.ok(mine.every((s) => s.z_position === null));
});

Deno.test("without a split file, train.csv's split column gives the splits", async () => {
  const withSplit = join(root, "train-with-split.csv");
  const splitOf = new Map(splitLines.slice(1).map((l) => l.split(",") as [string, string]));
  const text = lines.map((line, i) =>
    i === 0 ? `${line},split` : `${line},${splitOf.get(line.split(",")[0])}`
  );
  await Deno.writeTextFile(withSplit, `${text.join("\n")}\n`);
  const { summary } = await cleanRspect({ data, labels: withSplit, out: join(root, "out-col") });
  assert.deepEqual(Object.keys(summary.bySplit).sort(), ["public", "train"]);
  assert.equal(summary.bySplit.public.exams, 1);
});

Deno.test("a split file that lacks a study stops with the fix", async () => {
  const partial = join(root, "partial.csv");
  await Deno.writeTextFile(partial, splitLines.slice(0, 3).join("\n") + "\n");
  await assert.rejects(
    cleanRspect({ data, labels, splits: partial, out: join(root, "out-bad") }),
    /partial\.csv: 16 studies of train\.csv have no split .*add a row study_uid,split for each/,
  );
});

globalThis.addEventListener("unload", () => Deno.removeSync(root, { recursive: true }));
