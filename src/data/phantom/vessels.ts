/**
 * Tubes of the chest: aorta, superior vena cava, trachea and bronchi, the pulmonary arterial
 * tree (trunk, main, lobar, segmental, subsegmental and a 5th generation, radius shrinking down
 * the tree), pulmonary veins, and small airways running beside the arteries. Each tube is a
 * capsule (segment + radius) in patient space; `paintTube` rasterises one with partial-volume
 * coverage.
 *
 * @example
 * ```ts
 * import { Rng } from "../../util/random.ts";
 * import { sampleAnatomy } from "./anatomy.ts";
 * import { growArterialTree } from "./vessels.ts";
 * const rng = new Rng(3);
 * const a = sampleAnatomy(rng, 250);
 * const arteries = growArterialTree(rng, a, [15, 12, 9, 7, 5.5, 4]);
 * arteries.filter((t) => t.generation === 4).length; // subsegmental branches
 * ```
 */
import type { Rng } from "../../util/random.ts";
import { type Anatomy, lungSideAt } from "./anatomy.ts";
import type { PhantomGrid } from "./grid.ts";

/** A 3-vector in patient space (mm). */
export type Vec3 = [number, number, number];

/** One capsule: from `a` to `b` with `radius`; `generation` 0 = pulmonary trunk. */
export interface Tube {
  a: Vec3;
  b: Vec3;
  radius: number;
  generation: number;
  /** -1 right lung, +1 left lung, 0 mediastinal (trunk). */
  side: -1 | 0 | 1;
  /** Index of the parent tube in the same list, -1 for a root. */
  parent: number;
}

const lengthByGeneration = [0, 0, 28, 26, 20, 15];

/** Grow the pulmonary arterial tree; `radii` per generation (trunk .. 5th). */
export function growArterialTree(rng: Rng, a: Anatomy, radii: readonly number[]): Tube[] {
  const tubes: Tube[] = [];
  const jitter = () => rng.between(0.9, 1.1);
  const bif: Vec3 = [rng.between(2, 8), rng.between(-22, -12), a.zCarina - rng.between(4, 10)];
  const rvot: Vec3 = [
    a.heart.cx - 5,
    a.heart.cy - a.heart.ry * 0.55,
    a.heart.cz + a.heart.rz * 0.5,
  ];
  tubes.push({ a: rvot, b: bif, radius: radii[0] * jitter(), generation: 0, side: 0, parent: -1 });
  for (const side of [-1, 1] as const) {
    const hilumX = side * (a.mediastinumHalf + rng.between(10, 16));
    const hilum: Vec3 = [hilumX, a.lungCy + rng.between(0, 10), a.zCarina - (side < 0 ? 16 : 6)];
    const arch: Vec3 = [(bif[0] + hilumX) / 2, (bif[1] + hilum[1]) / 2 - 4, bif[2] + 4];
    const r1 = radii[1] * jitter();
    tubes.push({ a: bif, b: arch, radius: r1, generation: 1, side, parent: 0 });
    tubes.push({ a: arch, b: hilum, radius: r1, generation: 1, side, parent: tubes.length - 1 });
    const mainIndex = tubes.length - 1;
    const lobes: Vec3[] = side < 0
      ? [[-0.3, -0.1, 1], [-0.5, -0.75, -0.45], [-0.35, 0.55, -0.9]]
      : [[0.3, -0.15, 1], [0.5, -0.75, -0.35], [0.35, 0.6, -0.9]];
    for (const dir of lobes) {
      growBranch(rng, a, radii, tubes, hilum, normalize(dir), 2, side, mainIndex);
    }
  }
  return tubes;
}

/** Grow pulmonary veins from the left atrium into both lungs, starting at lobar size. */
export function growVeins(rng: Rng, a: Anatomy, radii: readonly number[]): Tube[] {
  const tubes: Tube[] = [];
  const atrium: Vec3 = [a.heart.cx - 5, a.heart.cy + a.heart.ry * 0.6, a.heart.cz + 12];
  for (const side of [-1, 1] as const) {
    for (const up of [1, -1]) {
      const end: Vec3 = [
        side * (a.mediastinumHalf + rng.between(8, 14)),
        a.lungCy + rng.between(8, 18),
        atrium[2] + up * rng.between(12, 22),
      ];
      tubes.push({ a: atrium, b: end, radius: radii[2] * 0.9, generation: 2, side, parent: -1 });
      const dir = normalize([side * 0.5, rng.between(-0.6, 0.6), up * 0.8]);
      growBranch(rng, a, radii.map((r) => r * 0.9), tubes, end, dir, 3, side, tubes.length - 1);
    }
  }
  return tubes;
}

/** Trachea and main bronchi. */
export function centralAirways(rng: Rng, a: Anatomy): Tube[] {
  const carina: Vec3 = [0, a.lungCy + 12, a.zCarina];
  const r = rng.between(8, 10);
  const tubes: Tube[] = [{
    a: [0, a.lungCy + 4, 20],
    b: carina,
    radius: r,
    generation: 0,
    side: 0,
    parent: -1,
  }];
  for (const side of [-1, 1] as const) {
    const hilum: Vec3 = [
      side * (a.mediastinumHalf + 14),
      a.lungCy + 14,
      a.zCarina - (side < 0 ? 10 : 18),
    ];
    tubes.push({ a: carina, b: hilum, radius: r * 0.72, generation: 1, side, parent: 0 });
  }
  return tubes;
}

/** Small airways beside arteries of generations 2-4 (bronchus and artery run together). */
export function airwaysBeside(rng: Rng, arteries: readonly Tube[]): Tube[] {
  const tubes: Tube[] = [];
  for (const artery of arteries) {
    if (artery.generation < 2 || artery.generation > 4) continue;
    const axis = normalize(sub(artery.b, artery.a));
    const side = normalize(cross(axis, [0, 0, 1]).map((c, i) => c + (i === 1 ? 0.3 : 0)) as Vec3);
    const radius = artery.radius * rng.between(0.55, 0.75);
    const gap = artery.radius + radius + 1.5;
    const shift = scale(side, gap);
    tubes.push({ ...artery, a: add(artery.a, shift), b: add(artery.b, shift), radius, parent: -1 });
  }
  return tubes;
}

/** Aorta (ascending, arch, descending) as a polyline of tubes. */
export function aortaTubes(rng: Rng, a: Anatomy): Tube[] {
  const r = rng.between(12, 15);
  const arch = a.zCarina + rng.between(18, 28);
  const pts: Vec3[] = [
    [a.heart.cx - 25, a.heart.cy + 5, a.heart.cz + 20],
    [-22, -22, a.zCarina - 10],
    [-14, -24, arch - 8],
    [0, -8, arch],
    [16, 14, arch - 4],
    [22, a.spine.cy - a.spine.r - r + 2, a.zCarina - 10],
    [16, a.spine.cy - a.spine.r - r + 4, -400],
  ];
  return polyline(pts, r);
}

/** Superior vena cava, to the patient's right of the ascending aorta. */
export function svcTubes(rng: Rng, a: Anatomy): Tube[] {
  const r = rng.between(8, 10);
  return polyline(
    [[-38, -12, 20], [-36, -8, a.zCarina - 10], [-28, a.heart.cy, a.heart.cz + 25]],
    r,
  );
}

function polyline(pts: Vec3[], radius: number): Tube[] {
  return pts.slice(1).map((b, i) => ({
    a: pts[i],
    b,
    radius,
    generation: 0,
    side: 0 as const,
    parent: i - 1,
  }));
}

function growBranch(
  rng: Rng,
  a: Anatomy,
  radii: readonly number[],
  tubes: Tube[],
  start: Vec3,
  dir: Vec3,
  generation: number,
  side: -1 | 1,
  parent: number,
): void {
  if (generation >= radii.length) return;
  const radius = radii[generation] * rng.between(0.88, 1.12);
  const length = lengthByGeneration[generation] * rng.between(0.8, 1.2);
  let end: Vec3 | null = null;
  let usedDir = dir;
  for (let attempt = 0; attempt < 8 && !end; attempt++) {
    const tryDir = attempt === 0 ? dir : normalize(add(dir, randomUnit(rng, 0.6 + attempt * 0.15)));
    const tryLen = attempt < 5 ? length : length * 0.6;
    const candidate = add(start, scale(tryDir, tryLen));
    if (insideLung(a, candidate, side, radius * 0.5)) {
      end = candidate;
      usedDir = tryDir;
    }
  }
  if (!end) return;
  tubes.push({ a: start, b: end, radius, generation, side, parent });
  const index = tubes.length - 1;
  const children = rng.chance(0.25) ? 3 : 2;
  const perp = perpendicular(rng, usedDir);
  for (let c = 0; c < children; c++) {
    const angle = rng.between(22, 40) * (Math.PI / 180);
    const around = c === 2 ? normalize(cross(usedDir, perp)) : scale(perp, c === 0 ? 1 : -1);
    const childDir = normalize(
      add(scale(usedDir, Math.cos(angle)), scale(around, Math.sin(angle))),
    );
    growBranch(rng, a, radii, tubes, end, childDir, generation + 1, side, index);
  }
}

function insideLung(a: Anatomy, p: Vec3, side: -1 | 1, margin: number): boolean {
  if (lungSideAt(a, p[0], p[1], p[2]) !== side) return false;
  for (const [dx, dy] of [[margin, 0], [-margin, 0], [0, margin], [0, -margin]]) {
    if (lungSideAt(a, p[0] + dx, p[1] + dy, p[2]) !== side) return false;
  }
  return true;
}

/**
 * Rasterise one capsule into `coverage` (uint8, 255 = voxel filled) keeping the maximum, with a
 * box-filter partial-volume model across the voxel's extent. Optional `onVoxel` sees each
 * changed voxel index and its coverage (0..1).
 */
export function paintTube(
  grid: PhantomGrid,
  tube: Pick<Tube, "a" | "b" | "radius">,
  coverage: Uint8Array,
  limit?: Uint8Array,
  onVoxel?: (index: number, value: number) => void,
): void {
  const { px, dz, origin } = grid;
  const r = tube.radius;
  const pad = r + Math.max(px, dz);
  const lo = [0, 1, 2].map((d) => Math.min(tube.a[d], tube.b[d]) - pad);
  const hi = [0, 1, 2].map((d) => Math.max(tube.a[d], tube.b[d]) + pad);
  const i0 = Math.max(0, Math.ceil((lo[0] - origin[0]) / px));
  const i1 = Math.min(grid.cols - 1, Math.floor((hi[0] - origin[0]) / px));
  const j0 = Math.max(0, Math.ceil((lo[1] - origin[1]) / px));
  const j1 = Math.min(grid.rows - 1, Math.floor((hi[1] - origin[1]) / px));
  const k0 = Math.max(0, Math.ceil((lo[2] - origin[2]) / dz));
  const k1 = Math.min(grid.slices - 1, Math.floor((hi[2] - origin[2]) / dz));
  const ab = sub(tube.b, tube.a);
  const ab2 = dot(ab, ab) || 1e-9;
  for (let k = k0; k <= k1; k++) {
    const z = origin[2] + k * dz;
    for (let j = j0; j <= j1; j++) {
      const y = origin[1] + j * px;
      for (let i = i0; i <= i1; i++) {
        const x = origin[0] + i * px;
        const t = Math.max(
          0,
          Math.min(
            1,
            ((x - tube.a[0]) * ab[0] + (y - tube.a[1]) * ab[1] +
              (z - tube.a[2]) * ab[2]) / ab2,
          ),
        );
        const ox = x - (tube.a[0] + t * ab[0]);
        const oy = y - (tube.a[1] + t * ab[1]);
        const oz = z - (tube.a[2] + t * ab[2]);
        const d = Math.sqrt(ox * ox + oy * oy + oz * oz);
        // Extent of the voxel box along the direction from the axis to the voxel centre.
        const h = d > 1e-6 ? (Math.abs(ox) * px + Math.abs(oy) * px + Math.abs(oz) * dz) / d : px;
        const covered = Math.max(0, Math.min(d + h / 2, r) - Math.max(d - h / 2, -r)) / h;
        if (covered <= 0) continue;
        const v = (k * grid.rows + j) * grid.cols + i;
        let q = Math.round(covered * 255);
        if (limit) q = Math.min(q, limit[v]);
        if (q > coverage[v]) {
          coverage[v] = q;
          onVoxel?.(v, q / 255);
        }
      }
    }
  }
}

/** Point at fraction t along the tube axis. */
export function pointOnTube(tube: Pick<Tube, "a" | "b">, t: number): Vec3 {
  return add(tube.a, scale(sub(tube.b, tube.a), t));
}

/** Length of a tube's axis (mm). */
export function tubeLength(tube: Pick<Tube, "a" | "b">): number {
  return Math.sqrt(dot(sub(tube.b, tube.a), sub(tube.b, tube.a)));
}

function randomUnit(rng: Rng, length: number): Vec3 {
  return scale(normalize([rng.normal(), rng.normal(), rng.normal()]), length);
}

function perpendicular(rng: Rng, dir: Vec3): Vec3 {
  return normalize(cross(dir, normalize([rng.normal(), rng.normal(), rng.normal()])));
}

/** a + b. */
export function add(a: Vec3, b: Vec3): Vec3 {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
}
/** a - b. */
export function sub(a: Vec3, b: Vec3): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}
/** a * s. */
export function scale(a: Vec3, s: number): Vec3 {
  return [a[0] * s, a[1] * s, a[2] * s];
}
function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
/** a x b. */
export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
/** a / |a|. */
export function normalize(a: Vec3): Vec3 {
  const n = Math.sqrt(dot(a, a)) || 1;
  return [a[0] / n, a[1] / n, a[2] / n];
}
