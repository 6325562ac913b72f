/**
 * Transfer syntaxes against pydicom: the same MR slice stored as explicit and implicit VR little
 * endian, explicit VR big endian, RLE and JPEG 2000 lossless decodes to pydicom's stored values,
 * and three JPEG 2000 files (lossless and lossy, BitsStored 13-16, signed) match pydicom +
 * Pillow. The files are python3-pydicom's own test files, read where Debian installs them
 * (reference: tests/testdata/io/pydicom_reference.py).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { decodeStoredWords, readSliceHeader, storedToHu } from "../../src/io/mod.ts";

const reference: {
  pydicom_test_files_dir: string;
  pydicom_test_files: Record<
    string,
    { transfer_syntax: string; shape: number[]; min: number; max: number; stored_sha256: string }
  >;
} = JSON.parse(
  await Deno.readTextFile(new URL("../testdata/io/pydicom_reference.json", import.meta.url)),
);
const dir = reference.pydicom_test_files_dir;
const present = (() => {
  try {
    return Deno.statSync(join(dir, "MR_small.dcm")).isFile;
  } catch {
    return false;
  }
})();
if (!present) {
  console.warn(`dicom_syntaxes_test: skipped, ${dir} is absent (apt-get install python3-pydicom)`);
}

for (const [name, expected] of Object.entries(reference.pydicom_test_files)) {
  Deno.test({
    name: `${name} (${expected.transfer_syntax}) decodes to pydicom's stored values`,
    ignore: !present,
    async fn() {
      const path = join(dir, name);
      const header = await readSliceHeader(path);
      assert.equal(header.transferSyntaxUid, expected.transfer_syntax);
      assert.deepEqual([header.rows, header.columns], expected.shape);
      const words = await decodeStoredWords(await Deno.readFile(path), header);
      // stored values: sign and BitsStored applied, no rescale, no padding
      const values = new Float32Array(words.length);
      storedToHu(
        words,
        { ...header, rescaleSlope: 1, rescaleIntercept: 0, pixelPaddingValue: null },
        values,
        0,
      );
      const ints = Int32Array.from(values);
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", ints));
      const hex = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
      const range = ints.reduce(([lo, hi], v) => [Math.min(lo, v), Math.max(hi, v)], [
        Infinity,
        -Infinity,
      ]);
      assert.deepEqual(range, [expected.min, expected.max]);
      assert.equal(hex, expected.stored_sha256);
    },
  });
}
