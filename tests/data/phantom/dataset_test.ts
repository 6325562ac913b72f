import assert from "node:assert/strict";
import { join, relative } from "node:path";
import dicomParser from "dicom-parser";
import { synthesizeDataset } from "../../../src/data/phantom/dataset.ts";
import { readTruth } from "../../../src/data/phantom/truth.ts";
import { rspectColumns } from "../../../src/data/rspect/columns.ts";

async function listFiles(root: string, dir = root): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) files.push(...await listFiles(root, path));
    else files.push(relative(root, path));
  }
  return files.sort();
}

const request = { profile: "tiny" as const, seed: 3, exams: 10 };

Deno.test({
  name: "a tiny dataset: byte-identical for the same seed, resumable, broken series really broken",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const a = await Deno.makeTempDir({ prefix: "synth-a-" });
    const b = await Deno.makeTempDir({ prefix: "synth-b-" });
    const c = await Deno.makeTempDir({ prefix: "synth-c-" });
    const seen: number[] = [];
    const first = await synthesizeDataset(a, request, {
      workers: 2,
      onProgress: (d) => seen.push(d),
    });
    await synthesizeDataset(b, request, { workers: 1 });
    await synthesizeDataset(c, { ...request, seed: 4 }, { workers: 1 });
    assert.equal(first.written, 10);
    assert.equal(seen.at(-1), 10);

    await t.step("same seed -> same bytes, whatever the number of workers", async () => {
      const files = await listFiles(a);
      assert.deepEqual(files, await listFiles(b));
      assert.ok(files.filter((f) => f.endsWith(".dcm")).length > 100);
      for (const file of files) {
        assert.deepEqual(
          await Deno.readFile(join(a, file)),
          await Deno.readFile(join(b, file)),
          file,
        );
      }
      assert.notDeepEqual(
        await Deno.readFile(join(a, "train.csv")),
        await Deno.readFile(join(c, "train.csv")),
      );
    });

    await t.step(
      "a rerun skips finished exams; other settings are refused with the fix",
      async () => {
        const again = await synthesizeDataset(a, request, { workers: 1 });
        assert.equal(again.written, 0);
        assert.equal(again.skipped, 10);
        await assert.rejects(
          () => synthesizeDataset(a, { ...request, seed: 9 }, { workers: 1 }),
          /seed 3.*--seed 3 --exams 10 to resume it, or choose another --out/s,
        );
      },
    );

    await t.step("an interrupted exam is regenerated", async () => {
      const truth = await readTruth(join(a, "truth.json"));
      await Deno.remove(join(a, ".synth-progress", "4.json"));
      await Deno.remove(join(a, truth.exams[4].studyUid), { recursive: true });
      const again = await synthesizeDataset(a, request, { workers: 1 });
      assert.equal(again.written, 1);
      assert.deepEqual(await listFiles(a), await listFiles(b));
    });

    const truth = await readTruth(join(a, "truth.json"));
    const csv = (await Deno.readTextFile(join(a, "train.csv"))).trim().split("\n");

    await t.step("train.csv: RSPECT columns, one row per image, coherent labels", () => {
      assert.deepEqual(csv[0].split(","), [...rspectColumns]);
      assert.equal(csv.length - 1, truth.exams.reduce((s, e) => s + e.slices, 0));
      const col = (name: string) => rspectColumns.indexOf(name as typeof rspectColumns[number]);
      for (const exam of truth.exams) {
        const rows = csv.slice(1).map((r) => r.split(",")).filter((r) => r[0] === exam.studyUid);
        assert.equal(rows.length, exam.slices);
        const positives = rows.filter((r) => r[col("pe_present_on_image")] === "1").map((r) =>
          r[2]
        );
        assert.deepEqual(positives.sort(), exam.positiveSlices.map((k) => exam.sopUids[k]).sort());
        const flag = (name: string) => Number(rows[0][col(name)]);
        assert.equal(flag("negative_exam_for_pe"), exam.label === "negative" ? 1 : 0);
        assert.equal(flag("indeterminate"), exam.label === "indeterminate" ? 1 : 0);
        assert.equal(flag("central_pe"), exam.clots.some((c) => c.class === "central") ? 1 : 0);
        assert.equal(
          flag("rv_lv_ratio_gte_1") + flag("rv_lv_ratio_lt_1"),
          exam.label === "positive" ? 1 : 0,
        );
        if (exam.label === "indeterminate") {
          assert.equal(positives.length, 0);
          assert.equal(flag("qa_motion") + flag("qa_contrast"), 1);
        }
      }
    });

    await t.step("splits.csv names every study once, with each split present", async () => {
      const lines = (await Deno.readTextFile(join(a, "splits.csv"))).trim().split("\n");
      assert.equal(lines[0], "study_uid,split");
      const splits = new Map(lines.slice(1).map((l) => l.split(",") as [string, string]));
      assert.equal(splits.size, 10);
      assert.deepEqual([...new Set(splits.values())].sort(), [
        "external",
        "private",
        "public",
        "train",
      ]);
    });

    await t.step(
      "DICOM files: geometry tags right, missing slice absent, tilt tilted",
      async () => {
        const missing = truth.exams.find((e) => e.broken === "missing-slice")!;
        const tilted = truth.exams.find((e) => e.broken === "gantry-tilt")!;
        assert.ok(missing && tilted);
        for (const exam of truth.exams) {
          const dir = join(a, exam.studyUid, exam.seriesUid);
          const names = (await listFiles(dir)).map((f) => f.replace(/\.dcm$/, ""));
          const expected = exam.sopUids.filter((u) => u !== exam.missingSopUid);
          assert.deepEqual(names.sort(), [...expected].sort());
          const zs: number[] = [];
          for (const [k, uid] of exam.sopUids.entries()) {
            if (uid === exam.missingSopUid) continue;
            const ds = dicomParser.parseDicom(await Deno.readFile(join(dir, `${uid}.dcm`)));
            assert.equal(ds.string("x00080060"), "CT");
            assert.equal(ds.uint16("x00280010"), 64);
            assert.equal(ds.floatString("x00280030", 0), exam.pixelSpacingMm);
            assert.equal(ds.floatString("x00180050"), exam.sliceThicknessMm);
            assert.equal(ds.floatString("x00281052"), -1024);
            const iop = [0, 1, 2, 3, 4, 5].map((i) => ds.floatString("x00200037", i)!);
            const tiltDeg = Math.atan2(iop[5], iop[4]) * (180 / Math.PI);
            assert.ok(Math.abs(tiltDeg - (exam.gantryTiltDeg ?? 0)) < 1e-6, `tilt ${tiltDeg}`);
            zs[k] = ds.floatString("x00200032", 2)!;
          }
          const steps = zs.slice(1).map((z, k) => z - zs[k]).filter((d) => !Number.isNaN(d));
          for (const step of steps) assert.ok(Math.abs(step - exam.sliceThicknessMm) < 0.002);
          if (exam === missing) {
            assert.equal(zs.filter((z) => z !== undefined).length, exam.slices - 1);
          }
        }
      },
    );

    for (const dir of [a, b, c]) {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
