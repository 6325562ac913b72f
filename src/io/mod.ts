/**
 * The io stage: DICOM series -> Volume (HU), DICOM headers and series validation, NIfTI-1 read
 * and write, atomic writes and run records.
 *
 * @example
 * ```ts ignore
 * import { readDicomSeries, readNifti, SeriesError, writeNifti } from "./mod.ts";
 * try {
 *   const volume = await readDicomSeries("train/1.2.3/1.2.3.4");
 *   console.log(volume.dims);
 * } catch (e) {
 *   if (e instanceof SeriesError) console.log(e.reason, e.detail);
 * }
 * const seg = await readNifti("seg.nii.gz");
 * await writeNifti("copy.nii", seg);
 * ```
 */
export type { Volume } from "./volume.ts";
export { voxelIndex } from "./volume.ts";
export {
  type ReasonCode,
  ReasonCodeSchema,
  SeriesError,
  type SeriesProblem,
  SeriesProblemSchema,
  seriesReasonCodes,
} from "./series_problem.ts";
export {
  listSeriesFiles,
  parseSliceHeader,
  readSliceHeader,
  scanSeriesHeaders,
  type SliceHeader,
} from "./dicom_header.ts";
export {
  geometryTolerances,
  type SeriesGeometry,
  seriesGeometry,
  validateSeries,
} from "./dicom_geometry.ts";
export {
  decodeSliceInto,
  decodeStoredWords,
  paddingHu,
  storedToHu,
  supportedTransferSyntaxes,
} from "./dicom_pixels.ts";
export { decodeRle } from "./rle.ts";
export {
  checkDicomSeries,
  readDicomSeries,
  type ReadSeriesOptions,
  type SeriesCheck,
} from "./dicom_series.ts";
export {
  encodeNifti,
  type NiftiDatatype,
  niftiDatatypes,
  type NiftiImage,
  type NiftiImageInput,
  NiftiImageSchema,
  readNifti,
  writeNifti,
} from "./nifti.ts";
export { writeBytesAtomic, writeJsonAtomic, writeTextAtomic } from "./atomic.ts";
export { type RunRecord, runRecord } from "./run_record.ts";
export { csvField, formatCsv } from "./csv.ts";
export { concatBytes } from "./bytes.ts";
export { pathExists } from "./files.ts";
export { errorMessage } from "./errors.ts";
export { sha256Hex } from "./hash.ts";
export { parseJson, readJson, schemaIssue } from "./json.ts";
