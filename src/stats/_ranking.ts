/**
 * Ranking primitives shared by the ROC statistics: the one sort (a stable least-significant-
 * digit radix argsort of the scores' IEEE-754 bits, O(n)), DeLong's placements (structural
 * components, i.e. midrank differences) and the distinct score levels of an ROC scan.
 * Private to src/stats.
 */
import type { RocInput } from "./_input.ts";

/** Digit width of the radix sort: 4 passes of 16 bits over the 64-bit keys. */
const RADIX_BITS = 16;
const RADIX = 1 << RADIX_BITS;
/** Below this many scores a comparison sort is cheaper than the radix sort's histograms. */
const SMALL = 4096;
/** The radix keys read a double's words in little-endian order (x86, ARM); else compare. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Indices of `scores` in ascending score order, ties in input order: [n]. NaN must be absent
 * (checked before). Radix sort on order-preserving keys: the bits of a double read as an
 * unsigned integer, with every bit flipped for negatives and only the sign bit for the rest.
 *
 * @example
 * ```ts
 * import { ascendingOrder } from "./_ranking.ts";
 * ascendingOrder(new Float64Array([0.3, -1, 0.3, 0.1])); // Uint32Array [1, 3, 0, 2]
 * ```
 */
export function ascendingOrder(scores: Float64Array): Uint32Array {
  const n = scores.length;
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (n < SMALL || !LITTLE_ENDIAN) return order.sort((a, b) => scores[a] - scores[b] || a - b);
  // keys [n, 2]: little-endian words, [2i] low and [2i + 1] high
  const keys = new Uint32Array(new Float64Array(scores).buffer);
  const counts = new Uint32Array(4 * RADIX); // histograms of the 4 digits
  for (let i = 0; i < n; i++) {
    const high = keys[2 * i + 1];
    if (high & 0x80000000) {
      keys[2 * i + 1] = ~high;
      keys[2 * i] = ~keys[2 * i];
    } else keys[2 * i + 1] = high | 0x80000000;
    const low = keys[2 * i];
    const top = keys[2 * i + 1];
    counts[low & 0xffff]++;
    counts[RADIX + (low >>> 16)]++;
    counts[2 * RADIX + (top & 0xffff)]++;
    counts[3 * RADIX + (top >>> 16)]++;
  }
  let next = new Uint32Array(n);
  for (let pass = 0; pass < 4; pass++) {
    const base = pass * RADIX;
    let total = 0;
    let constant = false; // every key has the same digit: the pass would change nothing
    for (let digit = 0; digit < RADIX; digit++) {
      const count = counts[base + digit];
      if (count === n) {
        constant = true;
        break;
      }
      counts[base + digit] = total; // now the first output slot of this digit
      total += count;
    }
    if (constant) continue;
    const word = pass >> 1; // passes 0, 1 read the low word, 2, 3 the high word
    const shift = (pass & 1) * RADIX_BITS;
    for (let i = 0; i < n; i++) {
      const index = order[i];
      const digit = (keys[2 * index + word] >>> shift) & 0xffff;
      next[counts[base + digit]++] = index;
    }
    [order, next] = [next, order];
  }
  return order;
}

/** DeLong placements of every entry, in input order, with the AUC they average to. */
export interface Placements {
  /**
   * [n] per case (label 1): V10 = share of controls scoring below it, ties 1/2; per control
   * (label 0): V01 = share of cases scoring above it, ties 1/2.
   */
  values: Float64Array;
  /** Mann-Whitney AUC = mean V10 = mean V01, from integer counts (one rounding). */
  auc: number;
}

/**
 * Placements (DeLong et al. 1988; Sun & Xu 2014, where V10 = (midrank among all - midrank
 * among cases) / n), computed in one pass over the tie groups of the sorted scores.
 *
 * @example
 * ```ts
 * import { checkRocInput } from "./_input.ts";
 * import { placements } from "./_ranking.ts";
 * const input = checkRocInput([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1], { scores: "s", labels: "l" });
 * placements(input); // { values: [1, 0.5, 0.5, 1], auc: 0.75 }
 * ```
 */
export function placements(input: RocInput): Placements {
  const { scores, labels, cases: m, controls: n } = input;
  const order = ascendingOrder(scores);
  const values = new Float64Array(scores.length);
  let casesBelow = 0;
  let controlsBelow = 0;
  let doubledSum = 0; // sum over cases of 2 * controls below + controls tied: exact integer
  let start = 0;
  while (start < order.length) {
    const level = scores[order[start]];
    let end = start;
    let tiedCases = 0;
    while (end < order.length && scores[order[end]] === level) tiedCases += labels[order[end++]];
    const tiedControls = end - start - tiedCases;
    const caseValue = (2 * controlsBelow + tiedControls) / (2 * n);
    const controlValue = (2 * (m - casesBelow - tiedCases) + tiedCases) / (2 * m);
    for (let r = start; r < end; r++) {
      const i = order[r];
      values[i] = labels[i] === 1 ? caseValue : controlValue;
    }
    doubledSum += tiedCases * (2 * controlsBelow + tiedControls);
    casesBelow += tiedCases;
    controlsBelow += tiedControls;
    start = end;
  }
  return { values, auc: doubledSum / (2 * m * n) };
}

/** Distinct score levels from highest to lowest, with how many cases and controls hold each. */
export interface ScoreLevels {
  /** Distinct scores, descending: [levels]. */
  scores: Float64Array;
  /** Cases (label 1) at each level: [levels]. */
  cases: Float64Array;
  /** Controls (label 0) at each level: [levels]. */
  controls: Float64Array;
}

/**
 * The distinct score levels of the input, descending, with their class counts.
 *
 * @example
 * ```ts
 * import { checkRocInput } from "./_input.ts";
 * import { scoreLevels } from "./_ranking.ts";
 * const input = checkRocInput([0.2, 0.5, 0.2], [1, 0, 0], { scores: "s", labels: "l" });
 * scoreLevels(input); // scores [0.5, 0.2], cases [0, 1], controls [1, 1]
 * ```
 */
export function scoreLevels(input: RocInput): ScoreLevels {
  const { scores, labels } = input;
  const order = ascendingOrder(scores);
  const levelScores = new Float64Array(order.length);
  const cases = new Float64Array(order.length);
  const controls = new Float64Array(order.length);
  let level = -1;
  for (let r = order.length - 1; r >= 0; r--) {
    const i = order[r];
    if (level < 0 || scores[i] !== levelScores[level]) levelScores[++level] = scores[i];
    if (labels[i] === 1) cases[level]++;
    else controls[level]++;
  }
  return {
    scores: levelScores.slice(0, level + 1),
    cases: cases.slice(0, level + 1),
    controls: controls.slice(0, level + 1),
  };
}
