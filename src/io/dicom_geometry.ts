/**
 * Series geometry and validation from slice headers alone: slice normal from
 * ImageOrientationPatient, slice order by ImagePositionPatient projected on that normal (never
 * by file name or InstanceNumber), spacing, and the checks that make a sound volume.
 *
 * Checks, in order; the first failure is the series' one reason:
 * 1. `missing-attribute`: a required attribute is absent in some slice (named in the detail).
 * 2. `unreadable-pixels`: transfer syntax or pixel format the reader cannot decode
 *    (see {@link supportedTransferSyntaxes}), multi-frame or colour images, no PixelData.
 * 3. `mixed-series`: rows, columns, pixel spacing, orientation (> 1e-4) or SeriesInstanceUID
 *    differ between slices, or two slices share one position.
 * 4. `gantry-tilt`: row and column directions not orthogonal (|cos| > 1e-3), or the slice
 *    positions drift in-plane: the line through the first and last position leaves the slice
 *    normal by more than 0.5 degrees.
 * 5. `non-axial`: the slice normal is not closest to the patient's head-foot axis.
 * 6. `missing-slices`: a gap between neighbouring slices larger than 1.5 x the median increment.
 * 7. `inconsistent-increment`: an increment differing from the median by more than 10 % (and
 *    more than 0.01 mm).
 *
 * @example
 * ```ts ignore
 * import { scanSeriesHeaders } from "./dicom_header.ts";
 * import { seriesGeometry, validateSeries } from "./dicom_geometry.ts";
 * const headers = await scanSeriesHeaders("series");
 * const problem = validateSeries(headers); // null or { reason: "missing-slices", detail: "..." }
 * if (!problem) console.log(seriesGeometry(headers).spacing); // [3, 0.98, 0.98]
 * ```
 */
import type { SliceHeader } from "./dicom_header.ts";
import { SeriesError, type SeriesProblem } from "./series_problem.ts";
import { supportedTransferSyntaxes } from "./dicom_pixels.ts";

/** Ordered geometry of a valid series. */
export interface SeriesGeometry {
  /** Header indices in volume order (increasing position along the slice normal). */
  order: number[];
  /** Position of each ordered slice along the normal (mm). */
  zPositions: number[];
  /** [slice increment (median), row spacing, column spacing] mm. */
  spacing: [number, number, number];
  /** ImagePositionPatient of the first ordered slice. */
  origin: [number, number, number];
  /** Row direction, column direction, slice normal (row-major 3x3). */
  direction: [number, number, number, number, number, number, number, number, number];
}

/** Tolerances of the checks (see the module comment). */
export const geometryTolerances = {
  orientation: 1e-4,
  orthogonality: 1e-3,
  tiltDegrees: 0.5,
  gapFactor: 1.5,
  incrementRelative: 0.1,
  incrementAbsoluteMm: 0.01,
};

type Vec3 = [number, number, number];

function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function dot(a: readonly number[], b: readonly number[]): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

function normalize(a: Vec3): Vec3 {
  const n = Math.hypot(a[0], a[1], a[2]);
  return [a[0] / n, a[1] / n, a[2] / n];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const round = (v: number) => Number(v.toFixed(3));

/** Validate a series from its headers; null when it can become a sound volume. */
export function validateSeries(headers: SliceHeader[]): SeriesProblem | null {
  const result = analyse(headers);
  return "reason" in result ? result : null;
}

/** Geometry of a valid series; throws {@link SeriesError} with the reason otherwise. */
export function seriesGeometry(headers: SliceHeader[], path = ""): SeriesGeometry {
  const result = analyse(headers);
  if ("reason" in result) throw new SeriesError(result.reason, result.detail, path);
  return result;
}

function analyse(headers: SliceHeader[]): SeriesGeometry | SeriesProblem {
  if (headers.length === 0) return { reason: "missing-slices", detail: "the series has no files" };
  const tol = geometryTolerances;
  for (const h of headers) {
    if (h.missing.length > 0) {
      const count = headers.filter((o) => o.missing.length > 0).length;
      return {
        reason: "missing-attribute",
        detail: `${h.missing.join(", ")} absent in ${h.path} (${count} of ${headers.length} files)`,
      };
    }
  }
  for (const h of headers) {
    const pixelProblem = pixelFormatProblem(h);
    if (pixelProblem) {
      return { reason: "unreadable-pixels", detail: `${pixelProblem} in ${h.path}` };
    }
  }
  const first = headers[0];
  const iop0 = first.imageOrientationPatient!;
  for (const h of headers) {
    const differs = (what: string, a: unknown, b: unknown) => ({
      reason: "mixed-series" as const,
      detail: `${what} ${JSON.stringify(b)} in ${h.path} differs from ${
        JSON.stringify(a)
      } in ${first.path}`,
    });
    if (h.rows !== first.rows || h.columns !== first.columns) {
      return differs("rows x columns", [first.rows, first.columns], [h.rows, h.columns]);
    }
    if (h.seriesInstanceUid !== first.seriesInstanceUid) {
      return differs("SeriesInstanceUID", first.seriesInstanceUid, h.seriesInstanceUid);
    }
    const iop = h.imageOrientationPatient!;
    if (iop.some((v, i) => Math.abs(v - iop0[i]) > tol.orientation)) {
      return differs("ImageOrientationPatient", iop0, iop);
    }
    const ps = h.pixelSpacing!, ps0 = first.pixelSpacing!;
    if (Math.abs(ps[0] - ps0[0]) > 1e-4 || Math.abs(ps[1] - ps0[1]) > 1e-4) {
      return differs("PixelSpacing", ps0, ps);
    }
  }
  const rowDir = normalize([iop0[0], iop0[1], iop0[2]]);
  const colDir = normalize([iop0[3], iop0[4], iop0[5]]);
  const cosine = dot(rowDir, colDir);
  if (Math.abs(cosine) > tol.orthogonality) {
    const degrees = (Math.acos(Math.abs(cosine)) * 180) / Math.PI;
    return {
      reason: "gantry-tilt",
      detail: `row and column directions are not orthogonal (${round(degrees)} degrees apart)`,
    };
  }
  const normal = normalize(cross(rowDir, colDir));
  const positions = headers.map((h) => h.imagePositionPatient!);
  const z = positions.map((p) => dot(p, normal));
  const order = z.map((_, i) => i).sort((a, b) => z[a] - z[b]);
  const firstPos = positions[order[0]], lastPos = positions[order[order.length - 1]];
  const along = z[order[order.length - 1]] - z[order[0]];
  if (headers.length > 1) {
    const d: Vec3 = [lastPos[0] - firstPos[0], lastPos[1] - firstPos[1], lastPos[2] - firstPos[2]];
    const inPlane = Math.hypot(
      d[0] - along * normal[0],
      d[1] - along * normal[1],
      d[2] - along * normal[2],
    );
    const degrees = (Math.atan2(inPlane, Math.abs(along)) * 180) / Math.PI;
    if (along > 0 && degrees > tol.tiltDegrees) {
      return {
        reason: "gantry-tilt",
        detail: `slice positions leave the slice normal by ${round(degrees)} degrees`,
      };
    }
  }
  const axis = [0, 1, 2].reduce(
    (best, i) => Math.abs(normal[i]) > Math.abs(normal[best]) ? i : best,
    0,
  );
  if (axis !== 2) {
    return {
      reason: "non-axial",
      detail: `slice normal [${normal.map(round).join(", ")}] is closest to the ${
        axis === 0 ? "left-right (sagittal)" : "front-back (coronal)"
      } axis`,
    };
  }
  const zs = order.map((i) => z[i]);
  const increments = zs.slice(1).map((v, i) => v - zs[i]);
  for (let i = 0; i < increments.length; i++) {
    if (increments[i] <= tol.incrementAbsoluteMm) {
      return {
        reason: "mixed-series",
        detail: `${headers[order[i]].path} and ${headers[order[i + 1]].path} share position ${
          round(zs[i])
        } mm`,
      };
    }
  }
  const step = increments.length > 0 ? median(increments) : first.sliceThickness ?? 1;
  for (let i = 0; i < increments.length; i++) {
    if (increments[i] > tol.gapFactor * step) {
      return {
        reason: "missing-slices",
        detail: `gap of ${round(increments[i])} mm between z = ${round(zs[i])} and ${
          round(zs[i + 1])
        } (median increment ${round(step)} mm)`,
      };
    }
  }
  for (let i = 0; i < increments.length; i++) {
    const off = Math.abs(increments[i] - step);
    if (off > tol.incrementRelative * step && off > tol.incrementAbsoluteMm) {
      return {
        reason: "inconsistent-increment",
        detail: `increment ${round(increments[i])} mm at z = ${
          round(zs[i])
        } differs from the median ${round(step)} mm`,
      };
    }
  }
  const [ps0, ps1] = first.pixelSpacing!;
  return {
    order,
    zPositions: zs,
    spacing: [step, ps0, ps1],
    origin: [...firstPos] as Vec3,
    direction: [...rowDir, ...colDir, ...normal] as SeriesGeometry["direction"],
  };
}

function pixelFormatProblem(h: SliceHeader): string | null {
  if (!h.hasPixelData) return "no PixelData element";
  if (!supportedTransferSyntaxes.has(h.transferSyntaxUid)) {
    return `unsupported transfer syntax ${h.transferSyntaxUid}`;
  }
  if (h.samplesPerPixel !== 1) return `SamplesPerPixel ${h.samplesPerPixel} (not greyscale CT)`;
  if (h.bitsAllocated !== 16) return `BitsAllocated ${h.bitsAllocated} (16 expected)`;
  if (h.numberOfFrames > 1) return `multi-frame image (${h.numberOfFrames} frames)`;
  return null;
}
