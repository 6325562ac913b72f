/**
 * Classical lung segmentation (no neural network) and the lung volume of interest (VOI).
 *
 * Steps, per slice where 2D suffices, on a grid subsampled in-plane by `stride`:
 * 1. air = HU < `airHu`; the body is the largest 4-connected non-air region of the slice with
 *    its holes filled, so air outside the body (room air, the table, the -2048 / -3024 padding
 *    outside the scan's field-of-view circle) is never lung;
 * 2. candidate lung air = air inside the body; small, mostly pure-air 2D blobs (trachea, main
 *    bronchi, oesophagus, small gas bubbles: area below `airwayMaxAreaMm2` and more than
 *    `gasDarkFraction` of their pixels below `darkHu`) are removed;
 * 3. 3D 6-connected components of the candidates; gas-like components (more than
 *    `gasDarkFraction` of voxels below `darkHu`: bowel and stomach gas, the airway tree) are
 *    dropped; of the rest, those of at least `keepFraction` of the largest are the lungs;
 * 4. left/right: a component lying on one side of the lungs' mid-column goes to that side
 *    whole, a component spanning both (lungs joined) is split at the mid-column; patient right
 *    is found from the row direction cosine (LPS);
 * 5. holes (vessels, nodules) are filled per slice and per lung.
 *
 * Lungs cut by the volume's first or last slice are handled like any other (step 1-3 need no
 * closed apex or base).
 *
 * @example
 * ```ts ignore
 * import { segmentLungs } from "./lung_mask.ts";
 * import type { Volume } from "../io/volume.ts";
 * declare const volume: Volume;
 * const lungs = segmentLungs(volume, { stride: 2 }); // default: automatic stride
 * console.log(lungs.voi, lungs.rightVoxels, lungs.leftVoxels);
 * ```
 */
import { z } from "zod";
import type { Volume } from "../io/volume.ts";
import {
  flood,
  floodMapped,
  neighbourOffsets2d,
  neighbourOffsets3d,
  passableTable,
} from "./_flood.ts";

/** Lung VOI: inclusive voxel-index ranges [first, last] in the source volume. */
export const lungVoiSchema = z.object({
  z: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
  y: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
  x: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
});
/** Lung VOI (inclusive voxel indices in the source volume). */
export type LungVoi = z.infer<typeof lungVoiSchema>;

/** Segmentation parameters (HU, mm², fractions); defaults in `defaultLungMaskOptions`. */
export const lungMaskOptionsSchema = z.object({
  /** Voxels below this are air. */
  airHu: z.number().default(-320),
  /** Voxels below this are pure air (gas, airway lumen), not lung parenchyma. */
  darkHu: z.number().default(-950),
  /** A 2D air blob smaller than this (mm²) and mostly pure air is airway or gas, not lung. */
  airwayMaxAreaMm2: z.number().positive().default(400),
  /** A region with more than this fraction of pure-air voxels is gas, not lung. */
  gasDarkFraction: z.number().min(0).max(1).default(0.35),
  /** Keep 3D components of at least this fraction of the largest lung component. */
  keepFraction: z.number().min(0).max(1).default(0.1),
  /**
   * In-plane subsampling of the working grid (1 = full resolution); 0 = automatic: the
   * largest stride keeping working pixels at most `autoStrideMm` wide (2 for 0.7 mm pixels).
   */
  stride: z.number().int().min(0).max(8).default(0),
  autoStrideMm: z.number().positive().default(1.5),
});
/** Segmentation parameters. */
export type LungMaskOptions = z.infer<typeof lungMaskOptionsSchema>;

/** The defaults of every segmentation parameter. */
export const defaultLungMaskOptions: LungMaskOptions = lungMaskOptionsSchema.parse({});

/** Result of `segmentLungs`. */
export interface LungMask {
  /** 0 background, 1 right lung, 2 left lung; shape [slices, ceil(rows/stride), ceil(cols/stride)]. */
  labels: Uint8Array;
  /** Shape of `labels`. */
  dims: [number, number, number];
  /** In-plane subsampling used: mask voxel (z, y, x) is source voxel (z, y*stride, x*stride). */
  stride: number;
  /** Bounding box of both lungs in source voxel indices, or null when no lung was found. */
  voi: LungVoi | null;
  /** Mask voxels per lung (at mask resolution). */
  rightVoxels: number;
  leftVoxels: number;
}

// Pixel states while segmenting one slice (WALL is the one-pixel padding).
// Tissue components get values FIRST_COMPONENT.. so the body can be told apart without a
// second fill; with more components than values, the body is refilled as BODY.
const AIR = 1;
const TISSUE = 2;
const BODY = 4;
const OUTSIDE = 5;
const BLOB = 6;
const WALL = 9;
const FIRST_COMPONENT = 16;
const LAST_COMPONENT = 254;
// Mask states in 3D (0 is background and the padding).
const CAND = 1;
const CAND_DARK = 2;
const SEEN = 3;
const SEEN_DARK = 4;
const KEPT = 5;

/**
 * Segment both lungs of a CT volume and return the label mask and the lung VOI.
 *
 * @example
 * ```ts ignore
 * import { segmentLungs } from "./lung_mask.ts";
 * import type { Volume } from "../io/volume.ts";
 * declare const volume: Volume;
 * const { voi } = segmentLungs(volume); // e.g. { z: [12, 230], y: [101, 390], x: [60, 455] }
 * ```
 */
export function segmentLungs(volume: Volume, options: Partial<LungMaskOptions> = {}): LungMask {
  const opts = lungMaskOptionsSchema.parse(options);
  const [slices, rows, cols] = volume.dims;
  const s = opts.stride || Math.max(1, Math.floor(opts.autoStrideMm / volume.spacing[2]));
  const h = Math.ceil(rows / s);
  const w = Math.ceil(cols / s);
  // Padded working grid: [slices + 2, h + 2, w + 2].
  const pw = w + 2;
  const plane = (h + 2) * pw;
  const pixelMm2 = volume.spacing[1] * volume.spacing[2] * s * s;
  const work = new Uint8Array((slices + 2) * plane);
  const { candidates, bodyMidColumn } = markCandidates(volume, work, h, w, s, opts, pixelMm2);

  const lungs = keepLungComponents(work, [slices, h, w], candidates, opts);
  work.fill(0);
  assignSides(work, lungs, pw, w, bodyMidColumn, volume.direction[0] >= 0);
  fillHolesPerSlice(work, slices, h, w);
  const { labels, rightVoxels, leftVoxels, box } = unpad(work, [slices, h, w]);
  // A lung edge lies within stride - 1 source pixels of the first / last mask sample.
  const voi: LungVoi | null = box && {
    z: box.z,
    y: [Math.max(0, (box.y[0] - 1) * s + 1), Math.min(rows - 1, box.y[1] * s + s - 1)],
    x: [Math.max(0, (box.x[0] - 1) * s + 1), Math.min(cols - 1, box.x[1] * s + s - 1)],
  };
  return { labels, dims: [slices, h, w], stride: s, voi, rightVoxels, leftVoxels };
}

/** The kept lung components' voxels, one component after another in `voxels`. */
interface LungComponents {
  voxels: Int32Array;
  ranges: [number, number][];
}

/**
 * Step 3: 6-connected components of the candidates in the padded `work` volume (unpadded dims
 * `dims`); gas-like ones are dropped, and of the rest those of at least `keepFraction` of the
 * largest are returned.
 */
function keepLungComponents(
  work: Uint8Array,
  dims: [number, number, number],
  candidates: number,
  opts: LungMaskOptions,
): LungComponents {
  const [, h, w] = dims;
  const plane = (h + 2) * (w + 2);
  const offsets = neighbourOffsets3d(w + 2, h + 2);
  const queue = new Int32Array(Math.max(1, candidates));
  const seeds: number[] = [];
  const sizes: number[] = [];
  const darks: number[] = [];
  const unseen = passableTable([CAND, CAND_DARK]);
  const markSeen = new Uint8Array(256);
  markSeen[CAND] = SEEN;
  markSeen[CAND_DARK] = SEEN_DARK;
  for (let p = plane; p < work.length - plane; p++) {
    const v = work[p];
    if (v !== CAND && v !== CAND_DARK) continue;
    const n = floodMapped(work, p, unseen, markSeen, queue, offsets);
    let dark = 0;
    for (let i = 0; i < n; i++) if (work[queue[i]] === SEEN_DARK) dark++;
    seeds.push(p);
    sizes.push(n);
    darks.push(dark);
  }
  const lungLike = (c: number) => darks[c] <= opts.gasDarkFraction * sizes[c];
  let largest = 0;
  for (let c = 0; c < sizes.length; c++) if (lungLike(c)) largest = Math.max(largest, sizes[c]);
  const seen = passableTable([SEEN, SEEN_DARK]);
  const ranges: [number, number][] = [];
  let filled = 0;
  for (let c = 0; c < sizes.length; c++) {
    if (!lungLike(c) || sizes[c] < opts.keepFraction * largest) continue;
    const n = flood(work, seeds[c], seen, KEPT, queue, offsets, filled);
    ranges.push([filled, filled + n]);
    filled += n;
  }
  return { voxels: queue, ranges };
}

/**
 * Step 4: write 1 (right) or 2 (left) for each lung voxel. A component lying (90 %) on one side
 * of the body's mid-column goes to that side whole; one spanning both is split at it. Patient
 * right is -x in LPS, and columns run along the row direction cosine.
 */
function assignSides(
  work: Uint8Array,
  lungs: LungComponents,
  pw: number,
  w: number,
  midColumn: number,
  lowColumnsAreRight: boolean,
): void {
  const { voxels, ranges } = lungs;
  const sideOf = (x: number) => ((x < midColumn) === lowColumnsAreRight ? 1 : 2);
  for (const [from, to] of ranges) {
    let low = 0;
    for (let i = from; i < to; i++) if ((voxels[i] % pw) - 1 < midColumn) low++;
    const fractionLow = low / (to - from);
    const whole = fractionLow >= 0.9 ? sideOf(0) : fractionLow <= 0.1 ? sideOf(w) : 0;
    for (let i = from; i < to; i++) work[voxels[i]] = whole || sideOf((voxels[i] % pw) - 1);
  }
}

/** Unpadded labels, voxel count per lung, and the inclusive box of all lung voxels (or null). */
function unpad(work: Uint8Array, dims: [number, number, number]) {
  const [slices, h, w] = dims;
  const pw = w + 2;
  const plane = (h + 2) * pw;
  const labels = new Uint8Array(slices * h * w);
  let rightVoxels = 0;
  let leftVoxels = 0;
  let z0 = slices, z1 = -1, y0 = h, y1 = -1, x0 = w, x1 = -1;
  for (let z = 0; z < slices; z++) {
    for (let y = 0; y < h; y++) {
      const from = (z + 1) * plane + (y + 1) * pw + 1;
      const to = (z * h + y) * w;
      let rowHasLung = false;
      for (let x = 0; x < w; x++) {
        const v = work[from + x];
        if (v === 0) continue;
        labels[to + x] = v;
        if (v === 1) rightVoxels++;
        else leftVoxels++;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        rowHasLung = true;
      }
      if (!rowHasLung) continue;
      if (z < z0) z0 = z;
      if (z > z1) z1 = z;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  const box: LungVoi | null = z1 < 0 ? null : { z: [z0, z1], y: [y0, y1], x: [x0, x1] };
  return { labels, rightVoxels, leftVoxels, box };
}

/**
 * Steps 1-2, slice by slice: write CAND (CAND_DARK for pure air) into the padded `work` volume
 * for air inside the body that is not a small pure-air blob. Returns the number of candidate voxels and the mean column
 * of the body (the patient's midline, in working-grid columns).
 */
function markCandidates(
  volume: Volume,
  work: Uint8Array,
  h: number,
  w: number,
  s: number,
  opts: LungMaskOptions,
  pixelMm2: number,
): { candidates: number; bodyMidColumn: number } {
  const [slices, rows, cols] = volume.dims;
  const pw = w + 2;
  const plane = (h + 2) * pw;
  const state = new Uint8Array(plane).fill(WALL);
  const dark = new Uint8Array(plane);
  const queue = new Int32Array(plane);
  const offsets = neighbourOffsets2d(pw);
  const ring: number[] = [];
  for (let x = 1; x <= w; x++) ring.push(pw + x, h * pw + x);
  for (let y = 2; y < h; y++) ring.push(y * pw + 1, y * pw + w);
  const tissue = passableTable([TISSUE]);
  const components = Array.from(
    { length: LAST_COMPONENT - FIRST_COMPONENT + 1 },
    (_, i) => FIRST_COMPONENT + i,
  );
  const anyComponent = passableTable(components);
  const notBody = passableTable([AIR, ...components]);
  const air = passableTable([AIR]);
  const maxBlobPixels = opts.airwayMaxAreaMm2 / pixelMm2;
  const airHu = opts.airHu;
  const darkHu = opts.darkHu;
  let candidates = 0;
  let bodyColumnSum = 0;
  let bodyPixels = 0;
  for (let z = 0; z < slices; z++) {
    const sliceOffset = z * rows * cols;
    for (let y = 0; y < h; y++) {
      const src = sliceOffset + y * s * cols;
      const dst = (y + 1) * pw + 1;
      for (let x = 0; x < w; x++) {
        const hu = volume.hu[src + x * s];
        state[dst + x] = hu < airHu ? AIR : TISSUE;
        dark[dst + x] = hu < darkHu ? 1 : 0;
      }
    }
    // Body: the largest tissue component.
    let bodySeed = -1;
    let bodySize = 0;
    let bodyValue = 0;
    let next = FIRST_COMPONENT;
    let count = 0;
    for (let y = 1; y <= h; y++) {
      for (let p = y * pw + 1, end = y * pw + w; p <= end; p++) {
        if (state[p] !== TISSUE) continue;
        const n = flood(state, p, tissue, next, queue, offsets);
        if (n > bodySize) {
          bodySize = n;
          bodySeed = p;
          bodyValue = next;
        }
        next = next === LAST_COMPONENT ? FIRST_COMPONENT : next + 1;
        count++;
      }
    }
    if (bodySeed < 0) continue;
    if (count > LAST_COMPONENT - FIRST_COMPONENT + 1) {
      // Values were reused: give the body its own value.
      flood(state, bodySeed, anyComponent, BODY, queue, offsets);
      bodyValue = BODY;
    }
    notBody[bodyValue] = 0;
    for (let y = 1; y <= h; y++) {
      for (let p = y * pw + 1, end = y * pw + w; p <= end; p++) {
        if (state[p] === bodyValue) {
          bodyColumnSum += (p % pw) - 1;
          bodyPixels++;
        }
      }
    }
    // Everything reachable from the image edge without crossing the body is outside.
    flood(state, ring, notBody, OUTSIDE, queue, offsets);
    notBody[bodyValue] = bodyValue === BODY ? 0 : 1;
    // Remaining AIR pixels are enclosed by the body: inspect each 2D blob.
    const zOffset = (z + 1) * plane;
    for (let y = 1; y <= h; y++) {
      for (let p = y * pw + 1, end = y * pw + w; p <= end; p++) {
        if (state[p] !== AIR) continue;
        const n = flood(state, p, air, BLOB, queue, offsets);
        let nDark = 0;
        for (let i = 0; i < n; i++) nDark += dark[queue[i]];
        if (n < maxBlobPixels && nDark > opts.gasDarkFraction * n) continue;
        for (let i = 0; i < n; i++) {
          const q = queue[i];
          work[zOffset + q] = dark[q] ? CAND_DARK : CAND;
        }
        candidates += n;
      }
    }
  }
  return { candidates, bodyMidColumn: bodyPixels > 0 ? bodyColumnSum / bodyPixels : w / 2 };
}

/** Fill 2D holes of each lung label, per slice, inside the label's bounding box. */
function fillHolesPerSlice(work: Uint8Array, slices: number, h: number, w: number): void {
  const pw = w + 2;
  const plane = (h + 2) * pw;
  // Box copy with an empty margin and a wall around it: [bh + 2, bw + 2] at most.
  const tmp = new Uint8Array((h + 4) * (w + 4));
  const queue = new Int32Array(tmp.length);
  const outside = passableTable([0]);
  for (let z = 1; z <= slices; z++) {
    const offset = z * plane;
    for (const label of [1, 2]) {
      let y0 = h + 1, y1 = -1, x0 = w + 1, x1 = -1;
      for (let y = 1; y <= h; y++) {
        const row = offset + y * pw;
        for (let x = 1; x <= w; x++) {
          if (work[row + x] !== label) continue;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
        }
      }
      if (y1 < 0) continue;
      // Box rows y0-1..y1+1 (margin) inside a wall: width bw = (x1 - x0 + 3) + 2.
      const bw = x1 - x0 + 5;
      const bh = y1 - y0 + 5;
      tmp.fill(WALL, 0, bw * bh);
      for (let y = 1; y < bh - 1; y++) tmp.fill(0, y * bw + 1, y * bw + bw - 1);
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          if (work[offset + y * pw + x] === label) tmp[(y - y0 + 2) * bw + (x - x0 + 2)] = 1;
        }
      }
      flood(tmp, bw + 1, outside, 2, queue, neighbourOffsets2d(bw));
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const p = offset + y * pw + x;
          if (tmp[(y - y0 + 2) * bw + (x - x0 + 2)] === 0 && work[p] === 0) work[p] = label;
        }
      }
    }
  }
}
