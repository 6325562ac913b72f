/**
 * Test inputs for the preprocess tests: the real CT fixtures in ../shared/fixtures/real-ct read
 * through the project's io stage, and synthetic chest volumes with known lungs.
 */
import { copyFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { examOutcomeColumns, slicesCsvColumns } from "../../src/data/rspect/columns.ts";
import { formatCsv } from "../../src/io/csv.ts";
import { encodeCtSlice } from "../../src/io/dicom_write.ts";
import { readDicomSeries, readNifti } from "../../src/io/mod.ts";
import type { Volume } from "../../src/io/volume.ts";

/** ../shared/fixtures/real-ct from the repository root. */
export const realCtDir = fileURLToPath(
  new URL("../../../shared/fixtures/real-ct", import.meta.url),
);

/** Whether the real CT fixtures are present (tests skip with a message when not). */
export function hasRealCt(): boolean {
  try {
    return Deno.statSync(join(realCtDir, "LICENSE-NOTES.md")).isFile;
  } catch {
    console.warn(`preprocess tests: ${realCtDir} absent, real-CT tests skipped`);
    return false;
  }
}

/** The two LIDC chest slices as a 2-slice volume, read by the project's DICOM reader. */
export async function readLidcPair(): Promise<Volume> {
  const dir = await mkdtemp(join(tmpdir(), "lidc-pair-"));
  for (const k of [0, 1]) {
    const name = `lidc_chest_slice${k}_from_lungmask.dcm`;
    await copyFile(join(realCtDir, name), join(dir, name));
  }
  try {
    return await readDicomSeries(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * A NIfTI CT as a Volume in LPS: the affine (voxel -> RAS) is turned into LPS direction cosines
 * by negating x and y, so left/right and superior/inferior follow the file, not an assumption.
 */
export async function readNiftiVolume(path: string): Promise<Volume> {
  const image = await readNifti(path);
  const [nx, ny, nz] = image.dims;
  const a = image.affine;
  const axis = (c: number): [number, number, number] => {
    const v: [number, number, number] = [-a[c], -a[4 + c], a[8 + c]];
    const n = Math.hypot(...v);
    return [v[0] / n, v[1] / n, v[2] / n];
  };
  const [rx, ry, rz] = axis(0);
  const [cx, cy, cz] = axis(1);
  const [nxv, nyv, nzv] = axis(2);
  const origin: [number, number, number] = [-a[3], -a[7], a[11]];
  const spacing: [number, number, number] = [image.pixdim[2], image.pixdim[1], image.pixdim[0]];
  const zPositions = Array.from(
    { length: nz },
    (_, k) => origin[0] * nxv + origin[1] * nyv + origin[2] * nzv + k * spacing[0],
  );
  return {
    hu: image.data,
    dims: [nz, ny, nx],
    spacing,
    origin,
    direction: [rx, ry, rz, cx, cy, cz, nxv, nyv, nzv],
    sopInstanceUids: Array.from({ length: nz }, (_, k) => `nifti.${k}`),
    zPositions,
  };
}

/** A synthetic chest CT with its true lung labels (0 none, 1 right, 2 left), shape [S, R, C]. */
export interface SyntheticChest {
  volume: Volume;
  truth: Uint8Array;
}

/**
 * A chest-like phantom: field-of-view circle padded with `paddingHu`, room air, a table with a
 * hollow core, an elliptic body, spine, two ellipsoidal lungs (-850 HU with texture) with vessels
 * inside, a trachea running from the last slice down to the lung middle where main bronchi join
 * it to both lungs, and a gas
 * bubble (stomach) below the lungs. Lungs span slices `lungZ` (inclusive). Column index grows
 * toward patient left (LPS), so the right lung is at low columns.
 */
export function syntheticChest(
  dims: [number, number, number] = [60, 128, 128],
  options: { lungZ?: [number, number]; paddingHu?: number; spacing?: [number, number, number] } =
    {},
): SyntheticChest {
  const [S, R, C] = dims;
  const [za, zb] = options.lungZ ?? [Math.round(0.15 * S), Math.round(0.85 * S)];
  const padding = options.paddingHu ?? -2048;
  const hu = new Float32Array(S * R * C);
  const truth = new Uint8Array(S * R * C);
  const zc = (za + zb) / 2;
  const zr = (zb - za) / 2 + 0.5;
  const bronchusZ = Math.floor(zc) + 1;
  for (let z = 0; z < S; z++) {
    const taper = Math.abs(z - zc) <= zr ? Math.sqrt(1 - ((z - zc) / zr) ** 2) : 0;
    const lungScale = z >= za && z <= zb ? Math.max(0.35, taper) : 0;
    for (let y = 0; y < R; y++) {
      for (let x = 0; x < C; x++) {
        const i = (z * R + y) * C + x;
        const u = x / C, v = y / R;
        let value = -1000;
        if ((u - 0.5) ** 2 + (v - 0.5) ** 2 > 0.49 ** 2) value = padding;
        else if (v > 0.82 && v < 0.87 && u > 0.1 && u < 0.9) {
          value = v > 0.835 && v < 0.855 && u > 0.15 && u < 0.85 ? -900 : 100;
        } else if (((u - 0.5) / 0.4) ** 2 + ((v - 0.5) / 0.28) ** 2 <= 1) {
          value = 40;
          if ((u - 0.5) ** 2 + (v - 0.7) ** 2 < 0.05 ** 2) value = 700;
          for (const [side, cu] of [[1, 0.33], [2, 0.67]] as const) {
            const a = 0.11 * lungScale, b = 0.17 * lungScale;
            if (a > 0 && ((u - cu) / a) ** 2 + ((v - 0.48) / b) ** 2 <= 1) {
              truth[i] = side;
              const vessel = (u - cu) ** 2 + (v - 0.45) ** 2 < 0.012 ** 2;
              value = vessel ? 40 : -850 + 40 * Math.sin(x * 1.7 + y * 2.3 + z * 0.9);
            }
          }
          if (z > zc && (u - 0.5) ** 2 + (v - 0.4) ** 2 < 0.025 ** 2) value = -1000;
          // Main bronchi: join the trachea to both lungs, so lungs and airway are one 3D region.
          if (z === bronchusZ && Math.abs(v - 0.4) < 0.015 && u > 0.3 && u < 0.7) value = -1000;
          if (z < za - 2 && ((u - 0.6) / 0.06) ** 2 + ((v - 0.45) / 0.04) ** 2 <= 1) value = -1000;
        }
        hu[i] = value;
      }
    }
  }
  const spacing = options.spacing ?? [2, 2.5, 2.5];
  return {
    volume: {
      hu,
      dims: [S, R, C],
      spacing,
      origin: [0, 0, 0],
      direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
      sopInstanceUids: Array.from({ length: S }, (_, k) => `1.2.826.0.1.3680043.2.1125.9.${k}`),
      zPositions: Array.from({ length: S }, (_, k) => k * spacing[0]),
    },
    truth,
  };
}

/** Inclusive bounding box of the nonzero voxels of a [S, R, C] label array. */
export function labelBox(labels: Uint8Array, dims: [number, number, number]) {
  const [S, R, C] = dims;
  let z0 = S, z1 = -1, y0 = R, y1 = -1, x0 = C, x1 = -1;
  for (let z = 0; z < S; z++) {
    for (let y = 0; y < R; y++) {
      for (let x = 0; x < C; x++) {
        if (!labels[(z * R + y) * C + x]) continue;
        z0 = Math.min(z0, z), z1 = Math.max(z1, z), y0 = Math.min(y0, y);
        y1 = Math.max(y1, y), x0 = Math.min(x0, x), x1 = Math.max(x1, x);
      }
    }
  }
  return { z: [z0, z1], y: [y0, y1], x: [x0, x1] };
}

/**
 * Write a volume as a DICOM series (one file per slice, int16 stored = HU + 1024) with the
 * project's writer; returns the SOP UIDs in volume order. Files are named in reverse order so a
 * reader that sorts by name instead of position would fail.
 */
export async function writeVolumeAsDicom(
  dir: string,
  volume: Volume,
  uids: { study: string; series: string },
): Promise<string[]> {
  await Deno.mkdir(dir, { recursive: true });
  const [S, R, C] = volume.dims;
  const sops: string[] = [];
  for (let k = 0; k < S; k++) {
    const sop = `${uids.series}.${k + 1}`;
    const pixels = new Int16Array(R * C);
    const plane = volume.hu.subarray(k * R * C, (k + 1) * R * C);
    for (let i = 0; i < pixels.length; i++) pixels[i] = Math.round(plane[i]) + 1024;
    const bytes = encodeCtSlice({
      studyInstanceUid: uids.study,
      seriesInstanceUid: uids.series,
      sopInstanceUid: sop,
      frameOfReferenceUid: `${uids.series}.0`,
      patientId: "PHANTOM",
      instanceNumber: k + 1,
      imagePositionPatient: [0, 0, volume.zPositions[k]],
      imageOrientationPatient: [1, 0, 0, 0, 1, 0],
      pixelSpacing: [volume.spacing[1], volume.spacing[2]],
      sliceThickness: volume.spacing[0],
      rows: R,
      columns: C,
      rescaleIntercept: -1024,
      rescaleSlope: 1,
      pixelPaddingValue: null,
      windowCenter: 100,
      windowWidth: 700,
      pixels,
    });
    await Deno.writeFile(join(dir, `${String(S - k).padStart(4, "0")}.dcm`), bytes);
    sops.push(sop);
  }
  return sops;
}

/**
 * Write a cleaning manifest (`exams.csv` with the leading exam columns, `slices.csv`) into
 * `dir`, in the columns the cleaning step writes.
 */
export async function writeManifest(
  dir: string,
  exams: readonly (readonly unknown[])[],
  slices: readonly (readonly unknown[])[],
  columns: readonly string[] = examOutcomeColumns,
): Promise<void> {
  await Deno.writeTextFile(join(dir, "exams.csv"), formatCsv(columns, exams));
  await Deno.writeTextFile(join(dir, "slices.csv"), formatCsv(slicesCsvColumns, slices));
}
