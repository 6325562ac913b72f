/**
 * A small DICOM Part 10 writer for uncompressed CT slices: explicit VR little endian, int16
 * pixels, the geometry tags a reader needs (ImagePositionPatient, ImageOrientationPatient,
 * PixelSpacing, SliceThickness) and RescaleSlope/Intercept. Elements are encoded directly
 * (no dictionary round trip), which keeps writing tens of thousands of small slices fast; the
 * output is checked against pydicom and dicom-parser in tests/io/dicom_write_test.ts. Pixels are
 * written in the host's byte order, which is little endian on every supported platform.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { encodeCtSlice } from "./dicom_write.ts";
 * const bytes = encodeCtSlice({
 *   studyInstanceUid: "2.25.1", seriesInstanceUid: "2.25.2", sopInstanceUid: "2.25.3",
 *   frameOfReferenceUid: "2.25.4", patientId: "P1", instanceNumber: 1,
 *   imagePositionPatient: [-180, -180, -100], imageOrientationPatient: [1, 0, 0, 0, 1, 0],
 *   pixelSpacing: [0.7, 0.7], sliceThickness: 1.25, rows: 2, columns: 2,
 *   rescaleIntercept: -1024, rescaleSlope: 1, pixelPaddingValue: null,
 *   windowCenter: 100, windowWidth: 700, pixels: new Int16Array([0, 1024, 2048, 3072]),
 * });
 * assert.equal(new TextDecoder().decode(bytes.subarray(128, 132)), "DICM"); // a Part 10 file
 * ```
 */
import { concatBytes } from "./bytes.ts";

/** Everything that varies between the CT slices this writer produces. */
export interface CtSlice {
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  frameOfReferenceUid: string;
  patientId: string;
  instanceNumber: number;
  imagePositionPatient: [number, number, number];
  imageOrientationPatient: [number, number, number, number, number, number];
  /** [row spacing, column spacing] in mm. */
  pixelSpacing: [number, number];
  sliceThickness: number;
  rows: number;
  columns: number;
  rescaleIntercept: number;
  rescaleSlope: number;
  /** Stored value marking pixels outside the reconstruction circle, or null. */
  pixelPaddingValue: number | null;
  windowCenter: number;
  windowWidth: number;
  /** Stored values, row-major [rows, columns], signed (PixelRepresentation 1). */
  pixels: Int16Array;
  /** Optional free-text StudyDescription / SeriesDescription. */
  studyDescription?: string;
  seriesDescription?: string;
}

/** UIDs of the formats written here. */
export const CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
export const EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
const IMPLEMENTATION_CLASS_UID = "2.25.229085462381286271949216305467592719001";

type Value = string | number[] | Uint8Array;
interface Element {
  tag: number;
  vr: string;
  value: Value;
}

/** Encode one CT slice as a complete DICOM Part 10 file. */
export function encodeCtSlice(slice: CtSlice): Uint8Array {
  if (slice.pixels.length !== slice.rows * slice.columns) {
    throw new Error(
      `encodeCtSlice: pixels has ${slice.pixels.length} values, expected rows x columns = ` +
        `${slice.rows * slice.columns}`,
    );
  }
  const ds = (n: number) => formatDs(n);
  const elements: Element[] = [
    { tag: 0x00080008, vr: "CS", value: "ORIGINAL\\PRIMARY\\AXIAL" },
    { tag: 0x00080016, vr: "UI", value: CT_IMAGE_STORAGE },
    { tag: 0x00080018, vr: "UI", value: slice.sopInstanceUid },
    { tag: 0x00080060, vr: "CS", value: "CT" },
    { tag: 0x00080070, vr: "LO", value: "pe-fewer-labels phantom" },
    { tag: 0x00081030, vr: "LO", value: slice.studyDescription ?? "CT PULMONARY ANGIOGRAM" },
    { tag: 0x0008103e, vr: "LO", value: slice.seriesDescription ?? "CTPA SYNTHETIC" },
    { tag: 0x00100010, vr: "PN", value: `PHANTOM^${slice.patientId}` },
    { tag: 0x00100020, vr: "LO", value: slice.patientId },
    { tag: 0x00180015, vr: "CS", value: "CHEST" },
    { tag: 0x00180050, vr: "DS", value: ds(slice.sliceThickness) },
    { tag: 0x00180060, vr: "DS", value: "120" },
    { tag: 0x0020000d, vr: "UI", value: slice.studyInstanceUid },
    { tag: 0x0020000e, vr: "UI", value: slice.seriesInstanceUid },
    { tag: 0x00200013, vr: "IS", value: String(slice.instanceNumber) },
    { tag: 0x00200032, vr: "DS", value: slice.imagePositionPatient.map(ds).join("\\") },
    { tag: 0x00200037, vr: "DS", value: slice.imageOrientationPatient.map(ds).join("\\") },
    { tag: 0x00200052, vr: "UI", value: slice.frameOfReferenceUid },
    { tag: 0x00280002, vr: "US", value: [1] },
    { tag: 0x00280004, vr: "CS", value: "MONOCHROME2" },
    { tag: 0x00280010, vr: "US", value: [slice.rows] },
    { tag: 0x00280011, vr: "US", value: [slice.columns] },
    { tag: 0x00280030, vr: "DS", value: slice.pixelSpacing.map(ds).join("\\") },
    { tag: 0x00280100, vr: "US", value: [16] },
    { tag: 0x00280101, vr: "US", value: [16] },
    { tag: 0x00280102, vr: "US", value: [15] },
    { tag: 0x00280103, vr: "US", value: [1] },
    ...(slice.pixelPaddingValue === null
      ? []
      : [{ tag: 0x00280120, vr: "SS", value: [slice.pixelPaddingValue] }]),
    { tag: 0x00281050, vr: "DS", value: ds(slice.windowCenter) },
    { tag: 0x00281051, vr: "DS", value: ds(slice.windowWidth) },
    { tag: 0x00281052, vr: "DS", value: ds(slice.rescaleIntercept) },
    { tag: 0x00281053, vr: "DS", value: ds(slice.rescaleSlope) },
    { tag: 0x00281054, vr: "LO", value: "HU" },
    {
      tag: 0x7fe00010,
      vr: "OW",
      value: new Uint8Array(slice.pixels.buffer, slice.pixels.byteOffset, slice.pixels.byteLength),
    },
  ];
  const meta: Element[] = [
    { tag: 0x00020001, vr: "OB", value: new Uint8Array([0, 1]) },
    { tag: 0x00020002, vr: "UI", value: CT_IMAGE_STORAGE },
    { tag: 0x00020003, vr: "UI", value: slice.sopInstanceUid },
    { tag: 0x00020010, vr: "UI", value: EXPLICIT_VR_LITTLE_ENDIAN },
    { tag: 0x00020012, vr: "UI", value: IMPLEMENTATION_CLASS_UID },
    { tag: 0x00020013, vr: "SH", value: "PE_FEWER_LABELS" },
  ];
  const metaBytes = concatBytes(meta.map(encodeElement));
  const groupLength = encodeElement({ tag: 0x00020000, vr: "UL", value: [metaBytes.length] });
  const preamble = new Uint8Array(132);
  preamble.set([0x44, 0x49, 0x43, 0x4d], 128); // "DICM"
  return concatBytes([preamble, groupLength, metaBytes, ...elements.map(encodeElement)]);
}

/** Decimal string of at most 16 characters (DS), without exponent where possible. */
export function formatDs(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`formatDs: ${n} is not a finite number`);
  for (let digits = 10; digits >= 0; digits--) {
    const text = String(Number(n.toFixed(digits)));
    if (text.length <= 16) return text;
  }
  return n.toExponential(8);
}

const longLengthVrs = new Set(["OB", "OW", "OF", "SQ", "UT", "UN"]);
const encoder = new TextEncoder();

function encodeElement(element: Element): Uint8Array {
  const body = encodeValue(element);
  const long = longLengthVrs.has(element.vr);
  const header = new Uint8Array(long ? 12 : 8);
  const view = new DataView(header.buffer);
  view.setUint16(0, element.tag >>> 16, true);
  view.setUint16(2, element.tag & 0xffff, true);
  header[4] = element.vr.charCodeAt(0);
  header[5] = element.vr.charCodeAt(1);
  if (long) view.setUint32(8, body.length, true);
  else {
    if (body.length > 0xffff) throw new Error(`tag ${element.tag.toString(16)}: value too long`);
    view.setUint16(6, body.length, true);
  }
  return concatBytes([header, body]);
}

function encodeValue({ vr, value }: Element): Uint8Array {
  if (value instanceof Uint8Array) return padEven(value, 0);
  if (typeof value === "string") return padEven(encoder.encode(value), vr === "UI" ? 0 : 0x20);
  const sizes: Record<string, number> = { US: 2, SS: 2, UL: 4 };
  const size = sizes[vr];
  if (!size) throw new Error(`encodeValue: numeric VR ${vr} is not supported`);
  const out = new Uint8Array(value.length * size);
  const view = new DataView(out.buffer);
  value.forEach((n, i) => {
    if (vr === "US") view.setUint16(i * 2, n, true);
    else if (vr === "SS") view.setInt16(i * 2, n, true);
    else view.setUint32(i * 4, n, true);
  });
  return out;
}

function padEven(bytes: Uint8Array, pad: number): Uint8Array {
  if (bytes.length % 2 === 0) return bytes;
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  out[bytes.length] = pad;
  return out;
}
