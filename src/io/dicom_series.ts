/**
 * A DICOM series folder -> {@link Volume} in HU: headers scanned, validated and ordered by
 * position along the slice normal, then pixels decoded slice by slice into one preallocated
 * buffer (the next file is read while the current one decodes).
 *
 * @example
 * ```ts ignore
 * import { checkDicomSeries, readDicomSeries } from "./dicom_series.ts";
 * const volume = await readDicomSeries("train/1.2.3/1.2.3.4", {
 *   onProgress: (done, total) => console.log(done, total),
 * });
 * console.log(volume.dims, volume.spacing); // [240, 512, 512] [1.25, 0.7, 0.7]
 * const check = await checkDicomSeries("train/1.2.3/1.2.3.4"); // { problem: null, ... }
 * ```
 */
import type { Volume } from "./volume.ts";
import { scanSeriesHeaders, type SliceHeader } from "./dicom_header.ts";
import { type SeriesGeometry, seriesGeometry } from "./dicom_geometry.ts";
import { decodeSliceInto } from "./dicom_pixels.ts";
import { SeriesError, type SeriesProblem } from "./series_problem.ts";
import { errorMessage } from "./errors.ts";

/** Options of {@link readDicomSeries}. */
export interface ReadSeriesOptions {
  /** Called after each decoded slice. */
  onProgress?: (done: number, total: number) => void;
}

/** Read a series folder into a Volume; throws {@link SeriesError} with the reason. */
export async function readDicomSeries(
  dir: string,
  options: ReadSeriesOptions = {},
): Promise<Volume> {
  const headers = await scanSeriesHeaders(dir);
  const geometry = seriesGeometry(headers, dir);
  const { rows, columns } = headers[0];
  const sliceSize = rows * columns;
  // [slices, rows, cols]
  const hu = new Float32Array(headers.length * sliceSize);
  await decodeOrdered(
    headers,
    geometry,
    (k) => hu.subarray(k * sliceSize, (k + 1) * sliceSize),
    options.onProgress,
  );
  return {
    hu,
    dims: [headers.length, rows, columns],
    spacing: geometry.spacing,
    origin: geometry.origin,
    direction: geometry.direction,
    sopInstanceUids: geometry.order.map((i) => headers[i].sopInstanceUid),
    zPositions: geometry.zPositions,
  };
}

/** Result of {@link checkDicomSeries}: the problem (or null) and, when sound, the slice order. */
export interface SeriesCheck {
  problem: SeriesProblem | null;
  /** Number of files in the folder. */
  files: number;
  /** SOPInstanceUIDs in volume order (empty when a problem was found). */
  sopInstanceUids: string[];
  /** Positions along the slice normal (mm), in volume order. */
  zPositions: number[];
}

/**
 * Validate a series folder without building the volume: header scan, geometry checks, then
 * (with `decode`, the default) every slice decoded into one reusable slice buffer.
 */
export async function checkDicomSeries(
  dir: string,
  options: { decode?: boolean } = {},
): Promise<SeriesCheck> {
  let headers: SliceHeader[] = [];
  try {
    headers = await scanSeriesHeaders(dir);
    const geometry = seriesGeometry(headers, dir);
    if (options.decode ?? true) {
      const slice = new Float32Array(headers[0].rows * headers[0].columns);
      await decodeOrdered(headers, geometry, () => slice);
    }
    return {
      problem: null,
      files: headers.length,
      sopInstanceUids: geometry.order.map((i) => headers[i].sopInstanceUid),
      zPositions: geometry.zPositions,
    };
  } catch (error) {
    if (!(error instanceof SeriesError)) throw error;
    const where = error.path === dir ? "" : ` (${error.path})`;
    return {
      problem: { reason: error.reason, detail: `${error.detail}${where}` },
      files: headers.length,
      sopInstanceUids: [],
      zPositions: [],
    };
  }
}

async function decodeOrdered(
  headers: SliceHeader[],
  geometry: SeriesGeometry,
  target: (k: number) => Float32Array,
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const read = (k: number) => Deno.readFile(headers[geometry.order[k]].path);
  let next = read(0);
  for (let k = 0; k < geometry.order.length; k++) {
    const header = headers[geometry.order[k]];
    let bytes: Uint8Array;
    try {
      bytes = await next;
    } catch (error) {
      throw new SeriesError(
        "unreadable-pixels",
        `cannot read file: ${errorMessage(error)}`,
        header.path,
      );
    }
    if (k + 1 < geometry.order.length) {
      next = read(k + 1);
      next.catch(() => {}); // reported when awaited
    }
    try {
      await decodeSliceInto(bytes, header, target(k), 0);
    } catch (error) {
      throw new SeriesError("unreadable-pixels", errorMessage(error), header.path);
    }
    onProgress?.(k + 1, geometry.order.length);
  }
}
