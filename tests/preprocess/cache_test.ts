import assert from "node:assert/strict";
import { join } from "node:path";
import { readNifti } from "../../src/io/mod.ts";
import {
  initCache,
  listCachedExams,
  readCacheIndex,
  readExamSidecar,
  readPreparedExam,
  writePreparedExam,
} from "../../src/preprocess/cache.ts";
import { sliceLabelsForVolume } from "../../src/preprocess/manifest.ts";
import { preprocessConfigSchema } from "../../src/preprocess/prepare.ts";
import type { PreparedExam } from "../../src/preprocess/prepared_exam.ts";
import { preprocessManifest } from "../../src/preprocess/run.ts";
import { syntheticChest, writeManifest, writeVolumeAsDicom } from "./_fixtures.ts";

const record = {
  sourceDims: [4, 8, 8] as [number, number, number],
  sourceSpacing: [1, 1, 1] as [number, number, number],
  voi: { z: [0, 3], y: [0, 7], x: [0, 7] } as {
    z: [number, number];
    y: [number, number];
    x: [number, number];
  },
  lungSliceCount: 4,
  crop: { row0: 0, col0: 0, side: 8 },
  outputSpacing: [1.5, 7 / 3, 7 / 3] as [number, number, number],
  sourceSlices: [[0, 1], [1, 2], [2, 3]] as [number, number][],
  sourceLabels: [0, 1, 0, 0] as (0 | 1)[],
  positivesOutsideVoi: 0,
  rightLungVoxels: 10,
  leftLungVoxels: 9,
  maskStride: 1,
};

Deno.test("cache round trip: voxels, labels and facts come back; a changed config is refused", async () => {
  const dir = await Deno.makeTempDir({ prefix: "cache-rt-" });
  const config = preprocessConfigSchema.parse({ size: [3, 4, 4] });
  const { manifest } = await initCache(dir, config);
  const exam: PreparedExam = {
    examId: "1.2.3",
    seriesId: "1.2.3.4",
    split: "train",
    fold: 2,
    examLabel: 1,
    subtype: "central",
    dims: [3, 4, 4],
    voxels: Uint8Array.from({ length: 48 }, (_, i) => (i * 37) % 256),
    sliceLabels: new Uint8Array([1, 1, 0]),
    lungSliceCount: 4,
  };
  await writePreparedExam(dir, exam, record, manifest.configHash);
  assert.deepEqual(await readPreparedExam(dir, "1.2.3", { verify: true }), exam);
  assert.deepEqual((await readExamSidecar(dir, "1.2.3")).record, record);

  // A corrupted voxel file fails verification.
  const voxelPath = join(dir, "exams", "1.2.3.u8");
  const bytes = await Deno.readFile(voxelPath);
  bytes[0] ^= 1;
  await Deno.writeFile(voxelPath, bytes);
  await assert.rejects(readPreparedExam(dir, "1.2.3", { verify: true }), /content hash/);

  // Other settings: cache.json changes, the old exam is refused, not silently reused.
  const init = await initCache(
    dir,
    preprocessConfigSchema.parse({ size: [3, 4, 4], fillHu: -1000 }),
  );
  assert.equal(init.configChanged, true);
  await assert.rejects(readPreparedExam(dir, "1.2.3"), /other settings/);
  await assert.rejects(readPreparedExam(dir, "../etc"), /exam id/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("slice labels are matched by SOP UID; an unmatched slice is an error", () => {
  assert.deepEqual(
    sliceLabelsForVolume(["1.1", "1.2", "1.3"], ["1.3", "1.1", "1.2"], [1, 0, 0], 1),
    new Uint8Array([0, 0, 1]),
  );
  assert.deepEqual(sliceLabelsForVolume(["1.1"], [], [], 0), new Uint8Array([0]));
  assert.throws(() => sliceLabelsForVolume(["1.1", "1.9"], ["1.1"], [1], 1), /1 of 2 slices/);
});

/** A manifest with 3 good exams, one without lungs and one whose folder is missing. */
async function tinyDataset(root: string) {
  const data = join(root, "data");
  const manifest = join(root, "manifest");
  await Deno.mkdir(manifest, { recursive: true });
  const exams: unknown[][] = [];
  const slices: unknown[][] = [];
  const positives: Record<string, number[]> = {};
  for (let e = 0; e < 5; e++) {
    const study = `1.2.826.0.1.99.${e + 1}`;
    const series = `${study}.1`;
    const label = e % 2 === 0 ? 1 : 0;
    exams.push([
      study,
      series,
      e < 4 ? "train" : "public",
      e < 4 ? e % 2 : "",
      label,
      label ? "peripheral" : "",
      12,
      label ? 2 : 0,
      "included",
      "",
      "",
    ]);
    if (e === 4) break; // folder never written
    const { volume } = syntheticChest([12, 48, 48], { lungZ: e === 3 ? [100, 101] : [1, 10] });
    const sops = await writeVolumeAsDicom(join(data, study, series), volume, { study, series });
    // Exam 3's slice 0 lies below its lungs (slices 1..10): outside the VOI, and counted.
    positives[study] = label ? (e === 2 ? [0, 5] : [5, 6]) : [];
    // Rows in reverse order: labels must be matched by SOP UID.
    sops.map((sop, k) => [study, series, sop, k, k * 2, positives[study].includes(k) ? 1 : 0])
      .reverse().forEach((row) => slices.push(row));
  }
  exams.push([
    "1.2.826.0.1.99.9",
    "1.2.826.0.1.99.9.1",
    "train",
    0,
    1,
    "central",
    10,
    0,
    "excluded",
    "label-incoherent",
    "positive exam without positive slice",
  ]);
  await writeManifest(manifest, exams, slices);
  return { data, manifest, positives };
}

Deno.test({
  name: "preprocess run: workers, failures recorded, rerun skips, changed settings rebuild",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "preprocess-run-" });
    const { data, manifest } = await tinyDataset(root);
    const out = join(root, "cache");
    const options = {
      manifest,
      data,
      out,
      size: [8, 16, 16] as [number, number, number],
      maskStride: 1,
    };
    const progress: number[] = [];
    const first = await preprocessManifest({ ...options, workers: 2, saveMasks: true }, {
      onProgress: (done) => progress.push(done),
    });
    assert.equal(first.total, 5);
    assert.equal(first.prepared, 3);
    assert.equal(first.failed, 2);
    assert.deepEqual(first.excludedInManifest, { "label-incoherent": 1 });
    assert.deepEqual(progress.at(-1), 5);
    const reasons = Object.fromEntries(first.failures.map((f) => [f.examId, f.reason]));
    assert.equal(reasons["1.2.826.0.1.99.4"], "prepare-failed");
    assert.match(reasons["1.2.826.0.1.99.5"], /^read/);
    const failuresCsv = await Deno.readTextFile(join(out, "failures.csv"));
    assert.match(failuresCsv, /1\.2\.826\.0\.1\.99\.4,.*no lung found/);

    // The index lists the exams without reading voxels.
    const entries = await listCachedExams(out);
    assert.deepEqual(entries.map((e) => [e.examId, e.split, e.fold, e.examLabel, e.subtype]), [
      ["1.2.826.0.1.99.1", "train", 0, 1, "peripheral"],
      ["1.2.826.0.1.99.2", "train", 1, 0, null],
      ["1.2.826.0.1.99.3", "train", 0, 1, "peripheral"],
    ]);
    assert.equal((await readCacheIndex(out)).failures.length, 2);
    assert.deepEqual(entries.map((e) => [e.positiveSlices > 0, e.positivesOutsideVoi]), [
      [true, 0],
      [false, 0],
      [true, 1],
    ]);
    assert.equal(first.examsWithPositivesOutsideVoi, 1);

    // Positive source slices 5 and 6 (lungs on slices 1..10): VOI z = [1, 10], 10 source
    // slices -> 8, so the positives land on the outputs whose intervals hold them.
    const sidecar = await readExamSidecar(out, "1.2.826.0.1.99.1");
    assert.deepEqual(sidecar.record.voi.z, [1, 10]);
    assert.deepEqual(sidecar.record.sourceLabels, [0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]);
    sidecar.sliceLabels.forEach((label, j) => {
      const [a, b] = sidecar.record.sourceSlices[j];
      assert.equal(label, a <= 6 && b >= 5 ? 1 : 0, `output ${j} [${a}, ${b}]`);
    });
    const exam = await readPreparedExam(out, "1.2.826.0.1.99.1", { verify: true });
    assert.equal(exam.voxels.length, 8 * 16 * 16);
    assert.equal(exam.lungSliceCount, 10);
    const maskImage = await readNifti(join(out, "masks", "1.2.826.0.1.99.1.nii.gz"));
    assert.deepEqual(maskImage.dims, [48, 48, 12]);
    const counts = [0, 0, 0];
    for (const v of maskImage.data) counts[v]++;
    assert.deepEqual(counts.slice(1), [
      sidecar.record.rightLungVoxels,
      sidecar.record.leftLungVoxels,
    ]);
    // RAS affine of an LPS volume with identity cosines: x and y negated, z kept.
    assert.ok(maskImage.affine[0] < 0 && maskImage.affine[5] < 0 && maskImage.affine[10] > 0);
    const run = JSON.parse(await Deno.readTextFile(join(out, "run.json")));
    assert.equal(run.command, "preprocess");

    // Rerun: finished exams are skipped and their files untouched; failures are retried.
    const voxelPath = join(out, "exams", "1.2.826.0.1.99.1.u8");
    const before = (await Deno.stat(voxelPath)).mtime?.getTime();
    const second = await preprocessManifest({ ...options, workers: 0 });
    assert.equal(second.skipped, 3);
    assert.equal(second.prepared, 0);
    assert.equal(second.failed, 2);
    assert.equal((await Deno.stat(voxelPath)).mtime?.getTime(), before);

    // Other settings: detected and every exam rebuilt.
    const third = await preprocessManifest({ ...options, size: [6, 16, 16], workers: 0 });
    assert.equal(third.configChanged, true);
    assert.equal(third.prepared, 3);
    assert.equal(third.skipped, 0);
    assert.deepEqual((await readPreparedExam(out, "1.2.826.0.1.99.2")).dims, [6, 16, 16]);
    await Deno.remove(root, { recursive: true });
  },
});
