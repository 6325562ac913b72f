import assert from "node:assert/strict";
import { join } from "node:path";
import { readDicomSeries, readNifti } from "../../src/io/mod.ts";
import { segmentLungs } from "../../src/preprocess/lung_mask.ts";
import {
  hasRealCt,
  labelBox,
  readLidcPair,
  readNiftiVolume,
  realCtDir,
  syntheticChest,
} from "./_fixtures.ts";

const realCt = hasRealCt();

function dice(a: Uint8Array, b: Uint8Array, label: number): number {
  let both = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] === label, y = b[i] === label;
    if (x) na++;
    if (y) nb++;
    if (x && y) both++;
  }
  return (2 * both) / (na + nb);
}

Deno.test("synthetic chest: the VOI is the true lungs' box; trachea, table and gas are left out", () => {
  const { volume, truth } = syntheticChest([48, 96, 96]);
  const lungs = segmentLungs(volume, { stride: 1 });
  assert.deepEqual(lungs.voi, labelBox(truth, volume.dims));
  assert.ok(dice(lungs.labels, truth, 1) > 0.97, "right lung (low columns, LPS) matches");
  assert.ok(dice(lungs.labels, truth, 2) > 0.97, "left lung matches");
});

Deno.test("synthetic chest: a coarser mask grid gives a VOI holding the true box within stride", () => {
  const { volume, truth } = syntheticChest([40, 128, 128]);
  const box = labelBox(truth, volume.dims);
  for (const stride of [2, 3, 4]) {
    const voi = segmentLungs(volume, { stride }).voi!;
    assert.deepEqual(voi.z, box.z);
    for (const axis of ["y", "x"] as const) {
      assert.ok(voi[axis][0] <= box[axis][0] && box[axis][0] - voi[axis][0] < stride, `${axis}0`);
      assert.ok(voi[axis][1] >= box[axis][1] && voi[axis][1] - box[axis][1] < stride, `${axis}1`);
    }
  }
});

Deno.test("synthetic chest: -3024 padding and lungs cut by both volume ends", () => {
  const { volume, truth } = syntheticChest([30, 96, 96], { lungZ: [0, 29], paddingHu: -3024 });
  const lungs = segmentLungs(volume, { stride: 1 });
  assert.deepEqual(lungs.voi, labelBox(truth, volume.dims));
  assert.deepEqual(lungs.voi!.z, [0, 29]);
});

Deno.test("left/right follows the row direction cosine, not the column index", () => {
  const { volume } = syntheticChest([20, 96, 96]);
  const lps = segmentLungs(volume, { stride: 1 });
  const mirrored = segmentLungs({ ...volume, direction: [-1, 0, 0, 0, 1, 0, 0, 0, 1] }, {
    stride: 1,
  });
  assert.ok(lps.rightVoxels > 0 && lps.leftVoxels > 0);
  // Same pixels, columns now growing toward patient right: the labels swap.
  assert.equal(mirrored.rightVoxels, lps.leftVoxels);
  assert.equal(mirrored.leftVoxels, lps.rightVoxels);
  const lowColumn = (labels: Uint8Array) => labels[(10 * 96 + 46) * 96 + 31];
  assert.equal(lowColumn(lps.labels), 1);
  assert.equal(lowColumn(mirrored.labels), 2);
});

Deno.test("no lung in the volume: VOI is null", () => {
  const { volume } = syntheticChest([6, 64, 64], { lungZ: [100, 101] });
  assert.equal(segmentLungs(volume, { stride: 1 }).voi, null);
});

Deno.test({
  name: "LIDC chest slices: lung areas within 20 % of lungmask's R231 reference counts",
  ignore: !realCt,
  async fn() {
    // LICENSE-NOTES.md: R231 counts over both slices, right 64,752 and left 36,536 voxels.
    const volume = await readLidcPair();
    const lungs = segmentLungs(volume, { stride: 1 });
    const right = lungs.rightVoxels, left = lungs.leftVoxels;
    assert.ok(Math.abs(right / 64752 - 1) <= 0.2, `right lung ${right} vs 64752`);
    assert.ok(Math.abs(left / 36536 - 1) <= 0.2, `left lung ${left} vs 36536`);
  },
});

Deno.test({
  name: "abdomen CT (NIfTI, RAS): lung found only in the top (superior) slices",
  ignore: !realCt,
  async fn() {
    const volume = await readNiftiVolume(join(realCtDir, "totalseg-example-ct-sm.nii.gz"));
    // Slice order along the normal must run inferior -> superior for "top" to be the last slices.
    assert.ok(volume.direction[8] > 0, "slice normal points superior");
    const lungs = segmentLungs(volume, { stride: 1 });
    const [S, R, C] = volume.dims;
    const perSlice = Array.from({ length: S }, (_, z) => {
      let n = 0;
      for (let i = z * R * C; i < (z + 1) * R * C; i++) if (lungs.labels[i]) n++;
      return n;
    });
    const first = perSlice.findIndex((n) => n > 0);
    assert.ok(first >= Math.floor(0.5 * S), `lung starts at slice ${first} of ${S}`);
    assert.ok(perSlice[S - 1] > perSlice[first], "lung area grows toward the top");
    assert.ok(lungs.rightVoxels > 0 && lungs.leftVoxels > 0, "both lung bases");
    assert.deepEqual(lungs.voi!.z, [first, S - 1]);
  },
});

Deno.test({
  name: "upper-abdomen DICOM series: stomach and bowel gas are not taken for lung",
  ignore: !realCt,
  async fn() {
    // TotalSegmentator's segmentation of this series labels the abdominal organs (stomach = 6)
    // and no lung (lobe labels 10-14 absent). The series holds large gas pockets.
    const volume = await readDicomSeries(join(realCtDir, "totalseg-example-dicom"));
    const seg = await readNifti(join(realCtDir, "totalseg-example-dicom-seg.nii.gz"));
    const [nx, ny] = seg.dims;
    const a = seg.affine;
    assert.ok(a[1] === 0 && a[2] === 0 && a[4] === 0 && a[6] === 0, "axis-aligned affine");
    const lungs = segmentLungs(volume, { stride: 1 });
    const [S, R, C] = volume.dims;
    let inOrgan = 0, inStomach = 0, lungVoxels = 0, gasInStomach = 0, gasInOrgans = 0;
    for (let z = 0; z < S; z++) {
      for (let y = 0; y < R; y++) {
        for (let x = 0; x < C; x++) {
          // DICOM voxel -> LPS -> RAS -> segmentation voxel, through the affine.
          const lps = [
            volume.origin[0] + x * volume.spacing[2],
            volume.origin[1] + y * volume.spacing[1],
            volume.zPositions[z],
          ];
          const i = Math.round((-lps[0] - a[3]) / a[0]);
          const j = Math.round((-lps[1] - a[7]) / a[5]);
          const k = Math.round((lps[2] - a[11]) / a[10]);
          const label = seg.data[(k * ny + j) * nx + i];
          const v = (z * R + y) * C + x;
          if (label === 6 && volume.hu[v] < -950) gasInStomach++;
          if (label !== 0 && volume.hu[v] < -950) gasInOrgans++;
          if (!lungs.labels[v]) continue;
          lungVoxels++;
          if (label !== 0) inOrgan++;
          if (label === 6) inStomach++;
        }
      }
    }
    assert.ok(gasInStomach > 1000, `the stomach holds gas (${gasInStomach} voxels)`);
    assert.equal(inStomach, 0, "no lung voxel in the stomach");
    // What remains is a thin posterior lung-base crescent above the liver (partial volume at
    // its edge may touch the organ labels).
    assert.ok(inOrgan <= 0.02 * lungVoxels, `${inOrgan} of ${lungVoxels} lung voxels in organs`);
    assert.ok(lungVoxels < 0.1 * gasInOrgans, `${lungVoxels} lung voxels, ${gasInOrgans} gas`);
  },
});

Deno.test("hundreds of tissue specks outside the body (more than one label value each) change nothing", () => {
  const { volume, truth } = syntheticChest([12, 128, 128], { lungZ: [1, 10] });
  const [S, R, C] = volume.dims;
  let specks = 0;
  for (let z = 0; z < S; z++) {
    for (let y = 0; y < 27; y += 3) {
      for (let x = 0; x < C; x += 3) volume.hu[(z * R + y) * C + x] = 50, specks += z === 0 ? 1 : 0;
    }
  }
  assert.ok(specks > 300, `${specks} specks per slice`);
  assert.deepEqual(segmentLungs(volume, { stride: 1 }).voi, labelBox(truth, volume.dims));
});
