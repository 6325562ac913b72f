/**
 * Seeded pseudo-random numbers for every stage (the phantom, splits, label allocation, weight
 * initialisation, sampling, augmentation): xoshiro128** (Blackman & Vigna, 2018) seeded through
 * splitmix32, so the same seed gives the same numbers on every machine. `Math.random` is never
 * used. What each stream is for is named in `seed_streams.ts`.
 *
 * @example
 * ```ts
 * import { mixSeed, Rng } from "./random.ts";
 * const rng = new Rng(mixSeed(42, 7)); // exam 7 of dataset seed 42
 * const u = rng.uniform(); // [0, 1)
 * const hu = rng.normal(40, 10);
 * ```
 */

/** splitmix32 step: a well-mixed 32-bit value from a 32-bit state. */
export function splitmix32(state: number): number {
  let z = (state + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/**
 * Combine a dataset seed with any number of integers (exam index, purpose tag from
 * `SEED_STREAMS`) into one 32-bit seed; different tuples give unrelated streams.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mixSeed } from "./random.ts";
 * assert.equal(mixSeed(1, 2) !== mixSeed(2, 1), true);
 * ```
 */
export function mixSeed(...parts: number[]): number {
  let h = 0x6a09e667;
  for (const part of parts) h = splitmix32((h ^ splitmix32(part >>> 0)) >>> 0);
  return h;
}

/**
 * xoshiro128** generator with helpers for the distributions the stages draw from.
 *
 * @example
 * ```ts
 * import { Rng } from "./random.ts";
 * const rng = new Rng(1);
 * rng.int(6); // 0..5
 * ```
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | null = null;

  constructor(seed: number) {
    let x = seed >>> 0;
    this.s0 = x = splitmix32(x);
    this.s1 = x = splitmix32(x);
    this.s2 = x = splitmix32(x);
    this.s3 = splitmix32(x) | 1;
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.uniform() < p;
  }

  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Gaussian by the polar Box-Muller method. */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== null) {
      const z = this.spareNormal;
      this.spareNormal = null;
      return mean + sd * z;
    }
    let u = 0, v = 0, s = 0;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return mean + sd * u * f;
  }

  /** Fisher-Yates shuffle in place; returns the same array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
