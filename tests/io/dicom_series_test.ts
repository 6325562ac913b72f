/**
 * Series assembly and validation on small DICOM series written with dcmjs: a sound series
 * reads back in position order with the written HU, and each kind of broken series is
 * reported with its reason code.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkDicomSeries,
  readDicomSeries,
  scanSeriesHeaders,
  SeriesError,
  validateSeries,
} from "../../src/io/mod.ts";
import { type CtSlice, writeCtSeries } from "../../src/data/rspect/tiny_tree.ts";

const root = await Deno.makeTempDir({ prefix: "dicom-series-test-" });
let counter = 0;
const seriesDir = () => join(root, `1.2.${++counter}`, `1.2.${counter}.1`);

Deno.test("a sound series reads in position order with HU = stored + intercept", async () => {
  const dir = seriesDir();
  // file names run in reverse of position; the file order must not matter
  const written = await writeCtSeries(dir, { slices: 5, rows: 8, columns: 6, increment: 1.25 });
  const volume = await readDicomSeries(dir);
  assert.deepEqual(volume.dims, [5, 8, 6]);
  assert.deepEqual(volume.spacing, [1.25, 0.75, 0.75]);
  assert.deepEqual(volume.origin, [-100, -120, -300]);
  assert.deepEqual(volume.zPositions, [-300, -298.75, -297.5, -296.25, -295]);
  assert.deepEqual(volume.sopInstanceUids, written);
  assert.deepEqual(volume.direction, [1, 0, 0, 0, 1, 0, 0, 0, 1]);
  // slice k: disc of 40 + k % 3 HU inside, -1000 HU outside (see writeCtSeries)
  for (let k = 0; k < 5; k++) {
    assert.equal(volume.hu[k * 48 + 4 * 6 + 3], 40 + (k % 3), `centre of slice ${k}`);
    assert.equal(volume.hu[k * 48], -1000, `corner of slice ${k}`);
  }
  assert.equal(validateSeries(await scanSeriesHeaders(dir)), null);
});

type Alter = (k: number, s: CtSlice) => CtSlice | null;

const broken: { reason: string; alter: Alter; detail: RegExp; headerOnly: boolean }[] = [
  {
    reason: "missing-slices",
    alter: (k, s) => (k === 3 ? null : s),
    detail: /gap of 5 mm/,
    headerOnly: true,
  },
  {
    reason: "inconsistent-increment",
    alter: (k, s) => ({
      ...s,
      imagePositionPatient: [-100, -120, -300 + k * 2.5 + (k >= 3 ? 0.8 : 0)],
    }),
    detail: /increment 3\.3 mm/,
    headerOnly: true,
  },
  {
    reason: "gantry-tilt",
    alter: (k, s) => ({ ...s, imagePositionPatient: [-100, -120 + k * 0.4, -300 + k * 2.5] }),
    detail: /leave the slice normal by 9\.09/,
    headerOnly: true,
  },
  {
    reason: "gantry-tilt",
    alter: (_k, s) => ({ ...s, imageOrientationPatient: [1, 0, 0, 0.1, 0.995, 0] }),
    detail: /not orthogonal/,
    headerOnly: true,
  },
  {
    reason: "non-axial",
    alter: (k, s) => ({
      ...s,
      imageOrientationPatient: [0, 1, 0, 0, 0, -1],
      imagePositionPatient: [-50 + k * 2.5, -120, 0],
    }),
    detail: /left-right/,
    headerOnly: true,
  },
  {
    reason: "missing-attribute",
    alter: (k, s) => (k === 2 ? { ...s, omit: ["ImagePositionPatient"] } : s),
    detail: /ImagePositionPatient absent in .*\.4\.dcm \(1 of 6 files\)/,
    headerOnly: true,
  },
  {
    reason: "missing-attribute",
    alter: (_k, s) => ({ ...s, omit: ["RescaleIntercept"] }),
    detail: /RescaleIntercept absent/,
    headerOnly: true,
  },
  {
    reason: "mixed-series",
    alter: (k, s) => (k === 4 ? { ...s, rows: 12, pixels: new Int16Array(12 * 16) } : s),
    detail: /rows x columns \[12,16\]/,
    headerOnly: true,
  },
  {
    reason: "mixed-series",
    alter: (k, s) => (k === 4 ? { ...s, imagePositionPatient: [-100, -120, -300 + 3 * 2.5] } : s),
    detail: /share position/,
    headerOnly: true,
  },
  {
    reason: "unreadable-pixels",
    alter: (_k, s) => ({ ...s, transferSyntaxUid: "1.2.840.10008.1.2.4.50" }),
    detail: /unsupported transfer syntax 1\.2\.840\.10008\.1\.2\.4\.50/,
    headerOnly: true,
  },
  {
    reason: "unreadable-pixels",
    alter: (k, s) => (k === 1 ? { ...s, pixelBytes: new Uint8Array(100) } : s),
    detail: /PixelData holds 100 bytes, 512 expected/,
    headerOnly: false,
  },
];

for (const { reason, alter, detail, headerOnly } of broken) {
  Deno.test(`${reason} is reported as ${reason} (${detail.source})`, async () => {
    const dir = seriesDir();
    await writeCtSeries(dir, { slices: 6, alter });
    const problem = validateSeries(await scanSeriesHeaders(dir));
    if (headerOnly) {
      assert.equal(problem?.reason, reason);
      assert.match(problem!.detail, detail);
    } else {
      assert.equal(problem, null, "headers alone look sound");
    }
    const check = await checkDicomSeries(dir);
    assert.equal(check.problem?.reason, reason);
    assert.match(check.problem!.detail, detail);
    await assert.rejects(readDicomSeries(dir), (error) => {
      assert.ok(error instanceof SeriesError);
      assert.equal(error.reason, reason);
      return true;
    });
  });
}

Deno.test("a file that is not DICOM is unreadable-pixels, naming the file", async () => {
  const dir = seriesDir();
  await writeCtSeries(dir, { slices: 3 });
  await Deno.writeTextFile(join(dir, "notes.dcm"), "not a DICOM file");
  const check = await checkDicomSeries(dir);
  assert.equal(check.problem?.reason, "unreadable-pixels");
  assert.match(check.problem!.detail, /not readable as DICOM.*notes\.dcm/);
});

Deno.test("a header longer than the 16 KB prefix is read from the whole file", async () => {
  const dir = seriesDir();
  const comment = "long header ".repeat(3000); // 36 KB before PixelData
  await writeCtSeries(dir, {
    slices: 3,
    alter: (_k, s) => ({ ...s, extra: { ImageComments: comment } }),
  });
  const volume = await readDicomSeries(dir);
  assert.deepEqual(volume.dims, [3, 16, 16]);
  assert.deepEqual(volume.zPositions, [-300, -297.5, -295]);
});

Deno.test("an empty folder has no slices", async () => {
  const dir = seriesDir();
  await Deno.mkdir(dir, { recursive: true });
  const check = await checkDicomSeries(dir);
  assert.equal(check.files, 0);
  assert.equal(check.problem?.reason, "missing-slices");
});

globalThis.addEventListener("unload", () => Deno.removeSync(root, { recursive: true }));
