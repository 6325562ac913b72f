/**
 * A tiny RSPECT-layout tree for tests and the cleaning notebook: small CT series written as
 * DICOM with dcmjs (explicit VR little endian, int16, RescaleIntercept -1024) into
 * `<root>/<Study>/<Series>/<SOP>.dcm`, plus a matching train.csv. Slices can be altered one by
 * one (position, orientation, size, attributes, pixel bytes) to make each kind of broken series.
 *
 * @example
 * ```ts ignore
 * import { writeCtSeries, writeTinyRspectTree } from "./tiny_tree.ts";
 * // a 6-slice series with slice 3 missing: z = 0, 2.5, 5, 10, 12.5
 * await writeCtSeries("/tmp/t/1.2/1.2.3", { slices: 6, alter: (k, s) => (k === 3 ? null : s) });
 * const tree = await writeTinyRspectTree("/tmp/tree", { seed: 1, exams: 8 });
 * console.log(tree.labels); // "/tmp/tree/train.csv"
 * ```
 */
import dcmjs from "dcmjs";
import { join } from "node:path";
import { writeBytesAtomic, writeTextAtomic } from "../../io/atomic.ts";
import type { CtSlice as DicomCtSlice } from "../../io/dicom_write.ts";
import { Rng } from "../../util/random.ts";
import { rspectColumns } from "./columns.ts";

// deno-lint-ignore no-explicit-any
const { DicomDict, DicomMetaDictionary } = (dcmjs as any).data;

/**
 * One slice to write: the fields it shares with the fast writer's slice (`pixels` are the
 * stored values `[rows * columns]`), plus its transfer syntax; `omit` drops attributes,
 * `pixelBytes` replaces the pixel data.
 */
export interface CtSlice extends
  Pick<
    DicomCtSlice,
    | "studyInstanceUid"
    | "seriesInstanceUid"
    | "sopInstanceUid"
    | "rows"
    | "columns"
    | "imagePositionPatient"
    | "imageOrientationPatient"
    | "pixelSpacing"
    | "sliceThickness"
    | "rescaleIntercept"
    | "pixels"
  > {
  transferSyntaxUid: string;
  /** Attribute keywords to leave out (e.g. "ImagePositionPatient"). */
  omit?: string[];
  /** Raw PixelData bytes written instead of `pixels` (e.g. truncated). */
  pixelBytes?: Uint8Array;
  /** More attributes by keyword (e.g. `{ ImageComments: "..." }`). */
  extra?: Record<string, unknown>;
}

/** Write one CT slice as a DICOM file. */
export async function writeCtSlice(path: string, slice: CtSlice): Promise<void> {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: "1.2.840.10008.5.1.4.1.1.2",
    MediaStorageSOPInstanceUID: slice.sopInstanceUid,
    TransferSyntaxUID: slice.transferSyntaxUid,
    ImplementationClassUID: "1.2.826.0.1.3680043.10.1",
  };
  const pixelBytes = slice.pixelBytes ?? new Uint8Array(slice.pixels.buffer);
  const dataset: Record<string, unknown> = {
    SOPClassUID: "1.2.840.10008.5.1.4.1.1.2",
    SOPInstanceUID: slice.sopInstanceUid,
    StudyInstanceUID: slice.studyInstanceUid,
    SeriesInstanceUID: slice.seriesInstanceUid,
    Modality: "CT",
    Rows: slice.rows,
    Columns: slice.columns,
    BitsAllocated: 16,
    BitsStored: 16,
    HighBit: 15,
    PixelRepresentation: 1,
    SamplesPerPixel: 1,
    PhotometricInterpretation: "MONOCHROME2",
    RescaleSlope: "1",
    RescaleIntercept: String(slice.rescaleIntercept),
    PixelSpacing: slice.pixelSpacing,
    ImagePositionPatient: slice.imagePositionPatient,
    ImageOrientationPatient: slice.imageOrientationPatient,
    SliceThickness: String(slice.sliceThickness),
    PixelData: pixelBytes.slice().buffer,
    ...slice.extra,
    _vrMap: { PixelData: "OW" },
  };
  for (const name of slice.omit ?? []) delete dataset[name];
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  await writeBytesAtomic(path, new Uint8Array(dict.write()));
}

/** A series to write: `slices` axial slices `increment` mm apart, each open to `alter`. */
export interface CtSeriesSpec {
  studyInstanceUid?: string;
  seriesInstanceUid?: string;
  slices: number;
  rows?: number;
  columns?: number;
  increment?: number;
  /** Change slice k before it is written; return null to leave it out. */
  alter?: (k: number, slice: CtSlice) => CtSlice | null;
}

/**
 * Write a series folder (`dir` = `<root>/<Study>/<Series>`); files are named by SOP UID and
 * written in shuffled-looking name order (UID suffixes reversed) so order must come from
 * positions. Returns the SOPInstanceUIDs of the written slices in slice order.
 */
export async function writeCtSeries(dir: string, spec: CtSeriesSpec): Promise<string[]> {
  const parts = dir.split(/[\\/]/);
  const seriesUid = spec.seriesInstanceUid ?? parts[parts.length - 1];
  const studyUid = spec.studyInstanceUid ?? parts[parts.length - 2];
  const rows = spec.rows ?? 16, columns = spec.columns ?? 16, increment = spec.increment ?? 2.5;
  const written: string[] = [];
  for (let k = 0; k < spec.slices; k++) {
    const base: CtSlice = {
      studyInstanceUid: studyUid,
      seriesInstanceUid: seriesUid,
      sopInstanceUid: `${seriesUid}.${spec.slices - k}`,
      rows,
      columns,
      imagePositionPatient: [-100, -120, -300 + k * increment],
      imageOrientationPatient: [1, 0, 0, 0, 1, 0],
      pixelSpacing: [0.75, 0.75],
      sliceThickness: increment,
      rescaleIntercept: -1024,
      transferSyntaxUid: "1.2.840.10008.1.2.1",
      pixels: discPixels(rows, columns, k),
    };
    const slice = spec.alter ? spec.alter(k, base) : base;
    if (!slice) continue;
    await writeCtSlice(join(dir, `${slice.sopInstanceUid}.dcm`), slice);
    written.push(slice.sopInstanceUid);
  }
  return written;
}

/** Stored values of a body disc (40 HU) in air (-1000 HU), intercept -1024: `[rows*cols]`. */
function discPixels(rows: number, columns: number, k: number): Int16Array {
  const pixels = new Int16Array(rows * columns);
  const r = Math.min(rows, columns) * 0.4;
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < columns; x++) {
      const inside = (y - rows / 2) ** 2 + (x - columns / 2) ** 2 < r * r;
      pixels[y * columns + x] = (inside ? 40 + (k % 3) : -1000) + 1024;
    }
  }
  return pixels;
}

/** Options of {@link writeTinyRspectTree}. */
export interface TinyTreeOptions {
  seed: number;
  /** Number of exams in train.csv (at least 8; default 12). */
  exams?: number;
  /** Slices per series (default 8). */
  slices?: number;
}

/** What {@link writeTinyRspectTree} wrote, and the defects it planted (study UID -> reason). */
export interface TinyTree {
  root: string;
  data: string;
  labels: string;
  splits: string;
  planted: Record<string, string>;
}

/**
 * Write a tiny RSPECT-like tree: `<root>/train/<Study>/<Series>/*.dcm`, `<root>/train.csv` and
 * `<root>/splits.csv`. Half the exams are positive (positive slices in the middle; every third
 * positive is central). Planted defects: one exam without files (`missing-files`), one
 * indeterminate exam, one positive exam without positive slices (`label-incoherent`), one
 * series with a gap (`missing-slices`), one tilted (`gantry-tilt`) and one DICOM folder that is
 * not in train.csv.
 */
export async function writeTinyRspectTree(
  root: string,
  options: TinyTreeOptions,
): Promise<TinyTree> {
  const rng = new Rng(options.seed);
  const exams = Math.max(8, options.exams ?? 12), slices = options.slices ?? 8;
  const data = join(root, "train");
  const planted: Record<string, string> = {};
  const lines = [rspectColumns.join(",")];
  const splitLines = ["study_uid,split"];
  for (let e = 0; e < exams; e++) {
    const study = `1.2.826.0.1.3680043.10.2.${options.seed}.${e + 1}`;
    const series = `${study}.1`;
    const defect =
      ["missing-files", "indeterminate", "label-incoherent", "missing-slices", "gantry-tilt"][e] ??
        null;
    if (defect) planted[study] = defect;
    const positive = e % 2 === 1 || defect === "label-incoherent";
    const alter = defect === "missing-slices"
      ? (k: number, s: CtSlice) => (k === 2 ? null : s)
      : defect === "gantry-tilt"
      ? (k: number, s: CtSlice): CtSlice => ({
        ...s,
        imagePositionPatient: [-100, -120 + k * 0.5, -300 + k * 2.5],
      })
      : undefined;
    const sops = defect === "missing-files"
      ? Array.from({ length: slices }, (_, k) => `${series}.${slices - k}`)
      : await writeCtSeries(join(data, study, series), { slices, alter });
    if (defect === "missing-slices") sops.splice(2, 0, `${series}.${slices - 2}`);
    const central = positive && e % 3 === 0 ? 1 : 0;
    const indeterminate = defect === "indeterminate" ? 1 : 0;
    const negative = positive || indeterminate ? 0 : 1;
    const leftsided = positive && rng.chance(0.5) ? 1 : 0;
    const from = Math.floor(slices / 3), to = from + 1 + rng.int(Math.max(1, slices - from - 1));
    sops.forEach((sop, k) => {
      const pe = positive && defect !== "label-incoherent" && k >= from && k < to ? 1 : 0;
      const row: Record<string, string | number> = {
        StudyInstanceUID: study,
        SeriesInstanceUID: series,
        SOPInstanceUID: sop,
        pe_present_on_image: pe,
        negative_exam_for_pe: negative,
        indeterminate,
        central_pe: central,
        rightsided_pe: positive ? 1 : 0,
        leftsided_pe: leftsided,
      };
      lines.push(rspectColumns.map((c) => row[c] ?? 0).join(","));
    });
    splitLines.push(`${study},${e < exams - 2 ? "train" : e === exams - 2 ? "public" : "private"}`);
  }
  const stray = `1.2.826.0.1.3680043.10.2.${options.seed}.999`;
  await writeCtSeries(join(data, stray, `${stray}.1`), { slices: 3 });
  planted[stray] = "not-in-labels";
  const labels = join(root, "train.csv"), splits = join(root, "splits.csv");
  await writeTextAtomic(labels, `${lines.join("\n")}\n`);
  await writeTextAtomic(splits, `${splitLines.join("\n")}\n`);
  return { root, data, labels, splits, planted };
}
