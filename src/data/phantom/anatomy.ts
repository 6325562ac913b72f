/**
 * Procedural chest anatomy of one exam: body outline (fat, muscle), ribs, sternum, spine, two
 * lungs with apices, domes and parenchymal texture, mediastinum and heart, abdomen below the
 * diaphragm. Shapes are analytic in patient space (mm); `paintBackground` samples them on the
 * grid. Tubes (vessels, airways) are added by `vessels.ts`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { Rng } from "../../util/random.ts";
 * import { sampleAnatomy, lungSideAt } from "./anatomy.ts";
 * const a = sampleAnatomy(new Rng(1), 250);
 * assert.equal(lungSideAt(a, -a.lungCx, a.lungCy, a.zCarina - 40), -1); // right lung
 * ```
 */
import type { Rng } from "../../util/random.ts";
import type { PhantomGrid } from "./grid.ts";
import { Tissue } from "./tissue.ts";

/** Parameters of one patient's chest (mm; x to patient left, y posterior, z superior). */
export interface Anatomy {
  bodyA: number;
  bodyB: number;
  fatMm: number;
  muscleMm: number;
  /** Top of the lungs. */
  zApex: number;
  zCarina: number;
  /** Top of the right and left diaphragm domes. */
  domeTop: [number, number];
  domeDepth: number;
  lungCx: number;
  lungCy: number;
  lungAx: number;
  lungAy: number;
  mediastinumHalf: number;
  heart: { cx: number; cy: number; cz: number; rx: number; ry: number; rz: number };
  /** Share of the heart's width taken by the right ventricle (> 0.5 when RV/LV >= 1). */
  rvShare: number;
  spine: { cy: number; r: number };
  ribPitch: number;
  ribPhase: number;
  /** Lung texture: coarse lattice of offsets (HU), 8 x 8 x 8. */
  texture: Float32Array;
  /** Posterior (dependent) density gradient, HU added at the back of the lung. */
  dependentHu: number;
  lungHu: number;
  fatHu: number;
  muscleHu: number;
  mediastinumHu: number;
  abdomenHu: number;
  boneHu: number;
  cortexHu: number;
}

/** Draw an anatomy that fits a scan of `scanLength` mm whose top is at z = 0. */
export function sampleAnatomy(rng: Rng, scanLength: number): Anatomy {
  const bodyA = rng.between(135, 158);
  const bodyB = rng.between(100, 122);
  const fatMm = rng.between(8, 24);
  const muscleMm = rng.between(7, 11);
  const zApex = -rng.between(8, 20);
  const lungHeight = Math.min(scanLength + zApex - 12, rng.between(195, 235));
  const domeDepth = rng.between(30, 45);
  const rightTop = zApex - lungHeight + domeDepth + rng.between(10, 20);
  const leftTop = rightTop - rng.between(8, 18);
  const inner = bodyA - fatMm - muscleMm;
  const lungAx = inner * rng.between(0.4, 0.44);
  const lungCx = inner - lungAx - 3;
  const lungAy = (bodyB - fatMm - muscleMm) * rng.between(0.86, 0.92);
  const texture = new Float32Array(512);
  for (let i = 0; i < texture.length; i++) texture[i] = rng.normal(0, 18);
  const zCarina = zApex - rng.between(55, 70);
  return {
    bodyA,
    bodyB,
    fatMm,
    muscleMm,
    zApex,
    zCarina,
    domeTop: [rightTop, leftTop],
    domeDepth,
    lungCx,
    lungCy: rng.between(0, 8),
    lungAx,
    lungAy,
    mediastinumHalf: rng.between(18, 26),
    heart: {
      cx: rng.between(10, 22),
      cy: -bodyB * rng.between(0.12, 0.2),
      cz: leftTop + rng.between(25, 35),
      rx: rng.between(52, 62),
      ry: rng.between(40, 48),
      rz: rng.between(45, 55),
    },
    rvShare: 0.45,
    spine: { cy: bodyB - fatMm - muscleMm - rng.between(24, 30), r: rng.between(15, 18) },
    ribPitch: rng.between(22, 27),
    ribPhase: rng.uniform(),
    texture,
    dependentHu: rng.between(20, 50),
    lungHu: rng.between(-870, -835),
    fatHu: rng.between(-110, -90),
    muscleHu: rng.between(40, 55),
    mediastinumHu: rng.between(32, 45),
    abdomenHu: rng.between(50, 58),
    boneHu: rng.between(420, 520),
    cortexHu: rng.between(850, 1150),
  };
}

/** Height of the diaphragm dome under lung `side` (-1 right, +1 left) at (x, y). */
export function domeAt(a: Anatomy, side: -1 | 1, x: number, y: number): number {
  const u = (x - side * a.lungCx) / a.lungAx;
  const v = (y - a.lungCy) / a.lungAy;
  return a.domeTop[side < 0 ? 0 : 1] - a.domeDepth * Math.min(1.3, u * u + v * v);
}

/** Inside the heart (pericardium included) ellipsoid? */
export function inHeart(a: Anatomy, x: number, y: number, z: number, margin = 0): boolean {
  const h = a.heart;
  const u = (x - h.cx) / (h.rx + margin);
  const v = (y - h.cy) / (h.ry + margin);
  const w = (z - h.cz) / (h.rz + margin);
  return u * u + v * v + w * w < 1;
}

/** Which lung contains (x, y, z): -1 right, +1 left, 0 none. */
export function lungSideAt(a: Anatomy, x: number, y: number, z: number): -1 | 0 | 1 {
  if (z > a.zApex) return 0;
  const side: -1 | 1 = x < 0 ? -1 : 1;
  if (Math.abs(x) < a.mediastinumHalf) return 0;
  const taper = Math.sqrt(Math.min(1, (a.zApex - z) / 45));
  const u = (x - side * a.lungCx) / (a.lungAx * taper);
  const v = (y - a.lungCy) / (a.lungAy * Math.max(0.55, taper));
  if (u * u + v * v >= 1) return 0;
  if (z < domeAt(a, side, x, y)) return 0;
  if (inHeart(a, x, y, z, 4)) return 0;
  if (y > a.spine.cy - a.spine.r - 6 && Math.abs(x) < a.spine.r + 14) return 0;
  return side;
}

/** Smooth lung texture (HU offset) by trilinear interpolation of the 8^3 lattice. */
function textureAt(a: Anatomy, x: number, y: number, z: number): number {
  const fx = Math.min(6.999, Math.max(0, (x + 170) / 48));
  const fy = Math.min(6.999, Math.max(0, (y + 130) / 38));
  const fz = Math.min(6.999, Math.max(0, -z / 40));
  const ix = Math.floor(fx), iy = Math.floor(fy), iz = Math.floor(fz);
  const tx = fx - ix, ty = fy - iy, tz = fz - iz;
  const t = a.texture;
  const at = (dz: number, dy: number, dx: number) => t[((iz + dz) * 8 + iy + dy) * 8 + ix + dx];
  const c00 = at(0, 0, 0) * (1 - tx) + at(0, 0, 1) * tx;
  const c01 = at(0, 1, 0) * (1 - tx) + at(0, 1, 1) * tx;
  const c10 = at(1, 0, 0) * (1 - tx) + at(1, 0, 1) * tx;
  const c11 = at(1, 1, 0) * (1 - tx) + at(1, 1, 1) * tx;
  return (c00 * (1 - ty) + c01 * ty) * (1 - tz) + (c10 * (1 - ty) + c11 * ty) * tz;
}

/** HU of the heart at (x, y, z): myocardium, right chambers (arterial), left (systemic). */
function heartHu(a: Anatomy, x: number, y: number, z: number, rightHu: number, leftHu: number) {
  const h = a.heart;
  const u = (x - h.cx) / h.rx, v = (y - h.cy) / h.ry, w = (z - h.cz) / h.rz;
  if (u * u + v * v + w * w > 0.62) return { hu: a.muscleHu, tissue: Tissue.SoftTissue };
  // Right chambers lie anterior and to the patient's right of an oblique septum.
  const septum = (u + 0.8 * v) / 1.8 + 0.5;
  return septum < a.rvShare
    ? { hu: rightHu, tissue: Tissue.Artery }
    : { hu: leftHu, tissue: Tissue.SystemicBlood };
}

/**
 * Paint the background (everything but tubes) into `hu` and `tissue` ([slices, rows, cols]).
 * `rightHeartHu` / `leftHeartHu`: opacification of the right and left heart chambers.
 */
export function paintBackground(
  a: Anatomy,
  grid: PhantomGrid,
  rightHeartHu: number,
  leftHeartHu: number,
  hu: Float32Array,
  tissue: Uint8Array,
): void {
  const meanR = (a.bodyA + a.bodyB) / 2;
  const wall = a.fatMm + a.muscleMm;
  let v = 0;
  for (let k = 0; k < grid.slices; k++) {
    const z = grid.origin[2] + k * grid.dz;
    for (let j = 0; j < grid.rows; j++) {
      const y = grid.origin[1] + j * grid.px;
      for (let i = 0; i < grid.cols; i++, v++) {
        const x = grid.origin[0] + i * grid.px;
        const rho = Math.sqrt((x / a.bodyA) ** 2 + (y / a.bodyB) ** 2);
        let value: number, code: number;
        if (rho >= 1) {
          value = -1000;
          code = Tissue.Air;
        } else {
          const depth = (1 - rho) * meanR;
          if (depth < a.fatMm) {
            value = a.fatHu;
            code = Tissue.Fat;
          } else if (isBone(a, x, y, z, depth, wall)) {
            const cortex = isCortex(a, x, y, depth, wall);
            value = cortex ? a.cortexHu : a.boneHu;
            code = Tissue.Bone;
          } else if (depth < wall) {
            value = a.muscleHu;
            code = Tissue.SoftTissue;
          } else if (lungSideAt(a, x, y, z) !== 0) {
            value = a.lungHu + textureAt(a, x, y, z) + a.dependentHu * (y / a.bodyB + 0.5);
            code = Tissue.Lung;
          } else if (inHeart(a, x, y, z)) {
            const h = heartHu(a, x, y, z, rightHeartHu, leftHeartHu);
            value = h.hu;
            code = h.tissue;
          } else if (z < Math.max(domeAt(a, -1, x, y), domeAt(a, 1, x, y))) {
            value = a.abdomenHu;
            code = Tissue.SoftTissue;
          } else {
            value = a.mediastinumHu;
            code = Tissue.SoftTissue;
          }
        }
        hu[v] = value;
        tissue[v] = code;
      }
    }
  }
}

/** Vertebra, ribs and sternum. */
function isBone(a: Anatomy, x: number, y: number, z: number, depth: number, wall: number) {
  const dx = x, dy = y - a.spine.cy;
  if (dx * dx + dy * dy < a.spine.r * a.spine.r) return true;
  // Posterior arch behind the vertebral body.
  if (Math.abs(dx) < 5 && dy > a.spine.r + 6 && dy < a.spine.r + 22) return true;
  if (depth > wall - 8 && depth < wall + 1) {
    if (y < 0 && Math.abs(x) < 14) return z < -20 && z > -190; // sternum
    if (y < 0 && Math.abs(x) < 40) return false; // costal cartilage gap
    const ribZ = z - 55 * (y / a.bodyB);
    const phase = ribZ / a.ribPitch + a.ribPhase;
    return Math.abs(phase - Math.round(phase)) * a.ribPitch < 5 && z > -240;
  }
  return false;
}

function isCortex(a: Anatomy, x: number, y: number, depth: number, wall: number): boolean {
  const r = Math.hypot(x, y - a.spine.cy);
  if (r < a.spine.r) return r > a.spine.r - 2.5;
  return depth < wall - 6 || depth > wall - 1.5;
}
