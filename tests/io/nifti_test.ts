/** NIfTI-1 write -> read round trips exactly; reading agrees with the fixture's header. */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type NiftiDatatype, readNifti, writeNifti } from "../../src/io/mod.ts";

const dir = await Deno.makeTempDir({ prefix: "nifti-test-" });

for (const ext of [".nii", ".nii.gz"]) {
  for (const datatype of ["int16", "uint8", "float32", "float64", "int32"] as NiftiDatatype[]) {
    Deno.test(`round trip ${datatype} ${ext}: data, dims, pixdim, affine, datatype`, async () => {
      const dims = [5, 4, 3];
      const data = new Float32Array(60).map((_, i) =>
        datatype === "uint8"
          ? (i * 37) % 256
          : datatype.startsWith("float")
          ? (i - 30) * 0.37
          : (i - 30) * 101
      );
      // an oblique affine with a flipped axis, as real scanners produce
      const affine = [-0.8, 0.1, 0, 120.5, 0.05, 0.9, 0, -88.25, 0, 0, 2.5, -300, 0, 0, 0, 1];
      const path = join(dir, `x_${datatype}${ext}`);
      await writeNifti(path, { data, dims, pixdim: [0.8, 0.9, 2.5], affine, datatype });
      const image = await readNifti(path);
      assert.deepEqual(image.dims, dims);
      assert.deepEqual(image.data, data);
      assert.equal(image.datatype, datatype);
      assert.deepEqual(image.pixdim, [0.8, 0.9, 2.5].map(Math.fround));
      assert.deepEqual(image.affine, affine.map(Math.fround));
      const bytes = await Deno.readFile(path);
      assert.equal(bytes[0] === 0x1f && bytes[1] === 0x8b, ext === ".nii.gz");
    });
  }
}

Deno.test("scl_slope / scl_inter: written values come back after rescaling", async () => {
  const data = new Float32Array([-1024, 0, 40, 3070]); // on the slope-2 grid
  const path = join(dir, "scaled.nii");
  await writeNifti(path, {
    data,
    dims: [4, 1, 1],
    pixdim: [1, 1, 1],
    affine: [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1],
    datatype: "int16",
    sclSlope: 2,
    sclInter: -1024,
  });
  const image = await readNifti(path);
  assert.deepEqual(image.data, data);
  assert.deepEqual([image.sclSlope, image.sclInter], [2, -1024]);
});

const fixture = fileURLToPath(
  new URL("../../../shared/fixtures/real-ct/totalseg-example-ct-sm.nii.gz", import.meta.url),
);
const hasFixture = (() => {
  try {
    return Deno.statSync(fixture).isFile;
  } catch {
    return false;
  }
})();
if (!hasFixture) console.warn(`nifti_test: fixture test skipped, ${fixture} is absent`);

Deno.test({
  name: "the TotalSegmentator CT: header as documented (122x101x30, 3 mm, sform RAS, -1100..1207)",
  ignore: !hasFixture,
  async fn() {
    const image = await readNifti(fixture);
    assert.deepEqual(image.dims, [122, 101, 30]);
    assert.deepEqual(image.pixdim, [3, 3, 3]);
    assert.equal(image.datatype, "int16");
    assert.equal(image.header.sform_code, 2);
    assert.deepEqual([image.affine[0], image.affine[5], image.affine[10]], [3, 3, 3]);
    let min = Infinity, max = -Infinity;
    for (const v of image.data) [min, max] = [Math.min(min, v), Math.max(max, v)];
    assert.deepEqual([min, max], [-1100, 1207]);
    const copy = join(dir, "copy.nii.gz");
    await writeNifti(copy, image);
    const again = await readNifti(copy);
    assert.deepEqual(again.data, image.data);
    assert.deepEqual(again.affine, image.affine);
  },
});

globalThis.addEventListener("unload", () => Deno.removeSync(dir, { recursive: true }));
