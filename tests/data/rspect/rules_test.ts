/** Exam table and label rules on small hand-written tables with known answers. */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  examLabel,
  examTable,
  labelExclusion,
  readTrainCsv,
  rspectColumns,
  subtypeOf,
} from "../../../src/data/rspect/mod.ts";

const dir = await Deno.makeTempDir({ prefix: "rules-test-" });

/** Rows of one exam: `pe` per slice and exam-level values. */
function exam(study: string, pe: number[], labels: Record<string, number>): string[] {
  return pe.map((p, k) => {
    const row: Record<string, string | number> = {
      StudyInstanceUID: study,
      SeriesInstanceUID: `${study}.1`,
      SOPInstanceUID: `${study}.1.${k}`,
      pe_present_on_image: p,
      ...labels,
    };
    return rspectColumns.map((c) => row[c] ?? 0).join(",");
  });
}

async function table(lines: string[]) {
  const path = join(dir, `t${crypto.randomUUID()}.csv`);
  await Deno.writeTextFile(path, `${[rspectColumns.join(","), ...lines].join("\n")}\n`);
  return examTable(readTrainCsv(path));
}

Deno.test("exam table: one row per exam in first-appearance order with slice counts", async () => {
  const exams = await table([
    ...exam("9", [0, 1, 1, 0], { negative_exam_for_pe: 0, central_pe: 1, qa_motion: 1 }),
    ...exam("3", [0, 0, 0], { negative_exam_for_pe: 1 }),
  ]);
  assert.deepEqual(exams.map((e) => [e.studyUid, e.seriesUid, e.nSlices, e.nPosSlices]), [
    ["9", "9.1", 4, 2],
    ["3", "3.1", 3, 0],
  ]);
  assert.equal(exams[0].labels.qa_motion, 1);
  assert.deepEqual([examLabel(exams[0]), examLabel(exams[1])], [1, 0]);
  assert.deepEqual([subtypeOf(exams[0]), subtypeOf(exams[1])], ["central", null]);
  assert.deepEqual([labelExclusion(exams[0]), labelExclusion(exams[1])], [null, null]);
});

Deno.test("subtype: positive without central_pe is peripheral", async () => {
  const [e] = await table(exam("1", [1], { negative_exam_for_pe: 0, rightsided_pe: 1 }));
  assert.equal(subtypeOf(e), "peripheral");
});

Deno.test("label-incoherent: positive exam without positive slice, negative exam with one", async () => {
  const [positive, negative] = await table([
    ...exam("1", [0, 0], { negative_exam_for_pe: 0 }),
    ...exam("2", [0, 1, 1], { negative_exam_for_pe: 1 }),
  ]);
  assert.deepEqual(labelExclusion(positive), {
    reason: "label-incoherent",
    detail: "negative_exam_for_pe = 0 but no slice has pe_present_on_image = 1",
  });
  assert.deepEqual(labelExclusion(negative), {
    reason: "label-incoherent",
    detail: "negative_exam_for_pe = 1 but 2 slices have pe_present_on_image = 1",
  });
});

Deno.test("indeterminate is its own reason, naming the incoherence it also has", async () => {
  const [rspectLike, coherent] = await table([
    ...exam("1", [0, 0], { negative_exam_for_pe: 0, indeterminate: 1 }),
    ...exam("2", [0, 0], { negative_exam_for_pe: 1, indeterminate: 1 }),
  ]);
  assert.equal(labelExclusion(rspectLike)?.reason, "indeterminate");
  assert.match(
    labelExclusion(rspectLike)!.detail,
    /indeterminate = 1; also label-incoherent: negative_exam_for_pe = 0/,
  );
  assert.deepEqual(labelExclusion(coherent), {
    reason: "indeterminate",
    detail: "indeterminate = 1",
  });
});

Deno.test("exam-level columns that vary within a study are named", async () => {
  const lines = exam("1", [1, 1, 0], { negative_exam_for_pe: 0, central_pe: 1 });
  lines[2] = lines[2].replace(/,1,0$/, ",0,0"); // central_pe 0 on the last row
  const [e] = await table(lines);
  assert.deepEqual(labelExclusion(e), {
    reason: "inconsistent-exam-labels",
    detail: "central_pe not constant within study 1",
  });
});

globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
