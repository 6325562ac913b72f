import assert from "node:assert/strict";
import { join } from "node:path";
import { runThreshold } from "../../src/explain/threshold.ts";

const header = "exam_id,split,label,fraction,fold,score,subtype";

Deno.test("Youden threshold on the public rows of a run's predictions (midpoint, by hand)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "threshold-" });
  const path = join(dir, "predictions.csv");
  // public: negatives 0.1, 0.4; positives 0.35, 0.8. Thresholds 0.225 (sens 1, spec 0.5) and
  // 0.6 (sens 0.5, spec 1) both give J = 0.5; ties go to the lower threshold: 0.225.
  // The private rows would move the threshold if they were used.
  await Deno.writeTextFile(
    path,
    [
      header,
      "a,public,0,10,0,0.1,",
      "b,public,0,10,0,0.4,",
      "c,public,1,10,0,0.35,peripheral",
      "d,public,1,10,0,0.8,central",
      "e,private,0,10,0,0.9,",
      "f,private,1,10,0,0.05,central",
      "",
    ].join("\n"),
  );
  const result = runThreshold(path);
  assert.ok(Math.abs(result.threshold - 0.225) < 1e-12, `${result.threshold}`);
  assert.equal(result.source, "Youden's J on 4 public exams");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("fallback threshold with the reason when the public split cannot give one", async () => {
  assert.deepEqual(runThreshold("no/such/predictions.csv"), {
    threshold: 0.5,
    source: "fallback 0.5: no/such/predictions.csv does not exist",
  });
  const dir = await Deno.makeTempDir({ prefix: "threshold-" });
  const path = join(dir, "predictions.csv");
  await Deno.writeTextFile(path, `${header}\na,public,0,0,0,0.2,\nb,private,1,0,0,0.7,central\n`);
  assert.equal(
    runThreshold(path, "public", 0.4).source,
    `fallback 0.4: ${path} has no public exams of both classes`,
  );
  await Deno.remove(dir, { recursive: true });
});
