import assert from "node:assert/strict";
import { hideBorders, oracleScores } from "../../bench/allocation_border_oracle.ts";
import { tinySource } from "../train/_tiny.ts";

Deno.test("hideBorders: only the clear slices beside a clot become certain (0)", () => {
  // Hand-labelled: clot on slices 2-3; slices 1 and 4 border it, 0 and 5 do not.
  const { scores, hidden } = hideBorders(
    [0.5, 0.45, 0.7, 0.9, 0.55, 0.5],
    Uint8Array.of(0, 0, 1, 1, 0, 0),
  );
  assert.deepEqual(scores, [0.5, 0, 0.7, 0.9, 0, 0.5]);
  assert.equal(hidden, 2);
});

Deno.test("hideBorders: scores that do not match the slices are refused with the fix", () => {
  assert.throws(
    () => hideBorders([0.5, 0.5], Uint8Array.of(0, 1, 0)),
    /2 slice scores for 3 slice labels; fix: score the exams/,
  );
});

Deno.test("oracleScores: positive exams lose their border slices' doubt, negative exams keep theirs", async () => {
  const source = tinySource();
  const exams = Object.fromEntries(source.exams.map((e) => [e.examId, e.sliceCount]));
  const scores = {
    format: "pe-fewer-labels/slice-scores" as const,
    model: "runs/x/fraction-5/fold-0",
    exams: Object.fromEntries(
      Object.entries(exams).map(([id, count]) => [id, Array(count).fill(0.5)]),
    ),
  };
  const out = await oracleScores(scores, source);
  assert.match(out.scores.model, /^runs\/x\/fraction-5\/fold-0 \(oracle: /);
  let expectedHidden = 0;
  for (const exam of source.exams) {
    const labels = (await source.read(exam.examId)).sliceLabels;
    const got = out.scores.exams[exam.examId];
    for (let z = 0; z < exam.sliceCount; z++) {
      const border = exam.examLabel === 1 && labels[z] === 0 &&
        (labels[z - 1] === 1 || labels[z + 1] === 1);
      if (border) expectedHidden++;
      assert.equal(got[z], border ? 0 : 0.5, `${exam.examId} slice ${z}`);
    }
  }
  assert.ok(expectedHidden > 0, "the tiny exams hold clots with clear neighbours");
  assert.equal(out.hidden, expectedHidden);
  assert.equal(out.slices, Object.values(exams).reduce((a, b) => a + b, 0));
});
