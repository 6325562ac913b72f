import assert from "node:assert/strict";
import { join } from "node:path";
import dicomParser from "dicom-parser";
import { type CtSlice, encodeCtSlice, formatDs } from "../../src/io/dicom_write.ts";
import { pythonHas } from "../_python_peer.ts";

const slice: CtSlice = {
  studyInstanceUid: "2.25.11",
  seriesInstanceUid: "2.25.22",
  sopInstanceUid: "2.25.333",
  frameOfReferenceUid: "2.25.44",
  patientId: "P7",
  instanceNumber: 12,
  imagePositionPatient: [-180.5, -175.25, -97.125],
  imageOrientationPatient: [1, 0, 0, 0, 0.9659258262890683, 0.25881904510252074],
  pixelSpacing: [0.703125, 0.703125],
  sliceThickness: 1.25,
  rows: 3,
  columns: 4,
  rescaleIntercept: -1024,
  rescaleSlope: 1,
  pixelPaddingValue: -2000,
  windowCenter: 100,
  windowWidth: 700,
  pixels: new Int16Array([-2000, 0, 24, 1024, 1074, 1500, 2048, 3000, -1, 32767, -32768, 7]),
};

Deno.test("dicom-parser reads every geometry and pixel tag back", () => {
  const ds = dicomParser.parseDicom(encodeCtSlice(slice));
  assert.equal(ds.string("x00020010"), "1.2.840.10008.1.2.1");
  assert.equal(ds.string("x00080060"), "CT");
  assert.equal(ds.string("x00080018"), "2.25.333");
  assert.equal(ds.string("x0020000d"), "2.25.11");
  assert.equal(ds.string("x0020000e"), "2.25.22");
  assert.deepEqual([0, 1, 2].map((i) => ds.floatString("x00200032", i)), [
    -180.5,
    -175.25,
    -97.125,
  ]);
  const iop = [0, 1, 2, 3, 4, 5].map((i) => ds.floatString("x00200037", i)!);
  iop.forEach((v, i) => assert.ok(Math.abs(v - slice.imageOrientationPatient[i]) < 1e-9));
  assert.equal(ds.floatString("x00280030", 0), 0.703125);
  assert.equal(ds.floatString("x00180050"), 1.25);
  assert.equal(ds.uint16("x00280010"), 3);
  assert.equal(ds.uint16("x00280011"), 4);
  assert.equal(ds.uint16("x00280100"), 16);
  assert.equal(ds.uint16("x00280103"), 1);
  assert.equal(ds.int16("x00280120"), -2000);
  assert.equal(ds.floatString("x00281052"), -1024);
  assert.equal(ds.floatString("x00281053"), 1);
  const pixel = ds.elements.x7fe00010;
  assert.equal(pixel.vr, "OW");
  const bytes = encodeCtSlice(slice).slice(pixel.dataOffset, pixel.dataOffset + pixel.length);
  assert.deepEqual(new Int16Array(bytes.buffer), slice.pixels);
});

Deno.test("formatDs keeps DS values within 16 characters", () => {
  assert.equal(formatDs(0.25881904510252074).length <= 16, true);
  assert.equal(formatDs(-1024), "-1024");
  assert.ok(Math.abs(Number(formatDs(-123456.123456789)) + 123456.123456789) < 1e-6);
  assert.throws(() => formatDs(NaN), /not a finite number/);
});

Deno.test("encodeCtSlice refuses pixels that do not match rows x columns", () => {
  assert.throws(() => encodeCtSlice({ ...slice, rows: 2 }), /expected rows x columns = 8/);
});

const pydicom = pythonHas("pydicom, numpy");
if (!pydicom) {
  console.warn("dicom_write_test: pydicom check skipped (apt-get install python3-pydicom)");
}

Deno.test({
  name: "pydicom reads the file with strict checks and decodes the same HU",
  ignore: !pydicom,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "dicom-write-" });
    const path = join(dir, "slice.dcm");
    await Deno.writeFile(path, encodeCtSlice(slice));
    const script = [
      "import json, sys, pydicom",
      "pydicom.config.settings.reading_validation_mode = pydicom.config.RAISE",
      "d = pydicom.dcmread(sys.argv[1])",
      "hu = (d.pixel_array * float(d.RescaleSlope) + float(d.RescaleIntercept)).ravel().tolist()",
      "print(json.dumps({'ts': str(d.file_meta.TransferSyntaxUID), 'ipp': [float(x) for x in d.ImagePositionPatient],",
      " 'ps': [float(x) for x in d.PixelSpacing], 'rows': d.Rows, 'cols': d.Columns, 'pad': d.PixelPaddingValue,",
      " 'modality': d.Modality, 'sop': d.SOPInstanceUID, 'hu': hu}))",
    ].join("\n");
    const out = new Deno.Command("/usr/bin/python3", {
      args: ["-c", script, path],
      stderr: "piped",
    })
      .outputSync();
    await Deno.remove(dir, { recursive: true });
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    const read = JSON.parse(new TextDecoder().decode(out.stdout));
    assert.equal(read.ts, "1.2.840.10008.1.2.1");
    assert.deepEqual(read.ipp, [-180.5, -175.25, -97.125]);
    assert.deepEqual(read.ps, [0.703125, 0.703125]);
    assert.equal(read.rows, 3);
    assert.equal(read.cols, 4);
    assert.equal(read.pad, -2000);
    assert.equal(read.modality, "CT");
    assert.equal(read.sop, "2.25.333");
    assert.deepEqual(read.hu, [...slice.pixels].map((v) => v - 1024));
  },
});
