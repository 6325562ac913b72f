/**
 * Image artefacts that mimic or hide emboli: motion blur (a slab of slices smeared along one
 * axis), beam-hardening streaks from dense contrast in the superior vena cava, and Gaussian
 * image noise. Flow (mixing) artefacts and poor opacification act on the arterial attenuation
 * and live in `exam.ts`.
 *
 * @example
 * ```ts
 * import { Rng } from "../../util/random.ts";
 * import { makeGrid } from "./grid.ts";
 * import { addNoise } from "./artefacts.ts";
 * const grid = makeGrid(8, 2, 2, 2, [0, 0, 0]);
 * const hu = new Float32Array(grid.voxels);
 * addNoise(new Rng(1), hu, 15); // sd 15 HU
 * ```
 */
import type { Rng } from "../../util/random.ts";
import type { PhantomGrid } from "./grid.ts";

/** Add white Gaussian noise of `sd` HU to every voxel. */
export function addNoise(rng: Rng, hu: Float32Array, sd: number): void {
  for (let v = 0; v < hu.length; v++) hu[v] += rng.normal(0, sd);
}

/**
 * Smear slices k0..k1 with a moving average of `width` pixels along rows (`axis` "y") or
 * columns ("x"): cardiac or breathing motion.
 */
export function motionBlur(
  grid: PhantomGrid,
  hu: Float32Array,
  k0: number,
  k1: number,
  width: number,
  axis: "x" | "y",
): void {
  const { rows, cols } = grid;
  const line = new Float32Array(Math.max(rows, cols));
  const half = Math.floor(width / 2);
  for (let k = Math.max(0, k0); k <= Math.min(grid.slices - 1, k1); k++) {
    const base = k * rows * cols;
    const lines = axis === "y" ? cols : rows;
    const n = axis === "y" ? rows : cols;
    const stride = axis === "y" ? cols : 1;
    for (let l = 0; l < lines; l++) {
      const start = base + (axis === "y" ? l : l * cols);
      for (let p = 0; p < n; p++) line[p] = hu[start + p * stride];
      for (let p = 0; p < n; p++) {
        let sum = 0, count = 0;
        for (let q = Math.max(0, p - half); q <= Math.min(n - 1, p + half); q++) {
          sum += line[q];
          count++;
        }
        hu[start + p * stride] = sum / count;
      }
    }
  }
}

/**
 * Streaks radiating from (cx, cy) mm in slices k0..k1: `count` lines of alternating sign and
 * amplitude `amplitude` HU, fading with distance; only inside `inside` voxels.
 */
export function streaks(
  rng: Rng,
  grid: PhantomGrid,
  hu: Float32Array,
  inside: (v: number) => boolean,
  centre: [number, number],
  k0: number,
  k1: number,
  amplitude: number,
): void {
  const count = 6 + rng.int(6);
  const lines = Array.from({ length: count }, (_, n) => ({
    angle: rng.uniform() * Math.PI,
    sign: n % 2 === 0 ? -1 : 1,
    scale: rng.between(0.5, 1),
  }));
  // The pattern is the same on every slice of the range: compute it once, [rows, cols].
  const pattern = new Float32Array(grid.rows * grid.cols);
  for (let j = 0; j < grid.rows; j++) {
    const y = grid.origin[1] + j * grid.px - centre[1];
    for (let i = 0; i < grid.cols; i++) {
      const x = grid.origin[0] + i * grid.px - centre[0];
      const r = Math.hypot(x, y);
      if (r < 10) continue;
      let delta = 0;
      for (const line of lines) {
        const across = Math.abs(-Math.sin(line.angle) * x + Math.cos(line.angle) * y);
        delta += line.sign * line.scale * Math.exp(-((across / 2.5) ** 2));
      }
      pattern[j * grid.cols + i] = amplitude * delta * Math.exp(-r / 120);
    }
  }
  const perSlice = grid.rows * grid.cols;
  for (let k = Math.max(0, k0); k <= Math.min(grid.slices - 1, k1); k++) {
    for (let p = 0; p < perSlice; p++) {
      const v = k * perSlice + p;
      if (pattern[p] !== 0 && inside(v)) hu[v] += pattern[p];
    }
  }
}
