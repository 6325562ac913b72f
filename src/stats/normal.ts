/**
 * The standard normal distribution to full double precision: the CDF by W. J. Cody's rational
 * Chebyshev approximations and the quantile by M. J. Wichura's algorithm AS 241 (PPND16).
 *
 * References: W. J. Cody, "Rational Chebyshev approximations for the error function",
 * Mathematics of Computation 23 (1969) 631-637, and the ANORM routine of Cody's SPECFUN
 * collection; M. J. Wichura, "Algorithm AS 241: The percentage points of the normal
 * distribution", Applied Statistics 37 (1988) 477-484.
 */

/** 1 / sqrt(2 pi). */
const INV_SQRT_2PI = 0.398942280401432677939946059934;
/** Below this |x| the CDF is 1/2 + x * rational(x^2): qnorm(3/4). */
const CENTRAL_LIMIT = 0.67448975;
/** Up to this |x| the intermediate rational in |x| is used; beyond, the asymptotic one. */
const TAIL_LIMIT = Math.sqrt(32);

// Cody's ANORM coefficients: central region.
const A = [
  2.2352520354606839287,
  161.02823106855587881,
  1067.6894854603709582,
  18154.981253343561249,
  0.065682337918207449113,
];
const B = [
  47.20258190468824187,
  976.09855173777669322,
  10260.932208618978205,
  45507.789335026729956,
];
// Intermediate region.
const C = [
  0.39894151208813466764,
  8.8831497943883759412,
  93.506656132177855979,
  597.27027639480026226,
  2494.5375852903726711,
  6848.1904505362823326,
  11602.651437647350124,
  9842.7148383839780218,
  1.0765576773720192317e-8,
];
const D = [
  22.266688044328115691,
  235.38790178262499861,
  1519.377599407554805,
  6485.558298266760755,
  18615.571640885098091,
  34900.952721145977266,
  38912.003286093271411,
  19685.429676859990727,
];
// Tail region.
const P = [
  0.21589853405795699,
  0.1274011611602473639,
  0.022235277870649807,
  0.001421619193227893466,
  2.9112874951168792e-5,
  0.02307344176494017303,
];
const Q = [
  1.28426009614491121,
  0.468238212480865118,
  0.0659881378689285515,
  0.00378239633202758244,
  7.29751555083966205e-5,
];

/**
 * exp(-x^2 / 2) without the cancellation of squaring: x is split into a part with few bits
 * (x rounded down to a multiple of 1/16) and a remainder.
 */
function gaussianKernel(x: number): number {
  const head = Math.trunc(x * 16) / 16;
  const rest = (x - head) * (x + head);
  return Math.exp(-head * head * 0.5) * Math.exp(-rest * 0.5);
}

/** P(Z <= -|x|) for |x| > CENTRAL_LIMIT: the tail that never cancels. */
function lowerTail(y: number): number {
  let ratio: number;
  if (y <= TAIL_LIMIT) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + C[i]) * y;
      den = (den + D[i]) * y;
    }
    ratio = (num + C[7]) / (den + D[7]);
  } else {
    const inv2 = 1 / (y * y);
    let num = P[5] * inv2;
    let den = inv2;
    for (let i = 0; i < 4; i++) {
      num = (num + P[i]) * inv2;
      den = (den + Q[i]) * inv2;
    }
    ratio = (INV_SQRT_2PI - inv2 * (num + P[4]) / (den + Q[4])) / y;
  }
  return gaussianKernel(y) * ratio;
}

/**
 * Standard normal cumulative distribution function P(Z <= x), accurate to about one unit in the
 * last place over the whole range (lower tail: relative precision down to 1e-308; upper tail
 * computed as 1 - tail, so use `normalCdf(-x)` for upper-tail probabilities).
 * Matches R's `pnorm` to ~1e-15 relative. NaN gives NaN.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normalCdf } from "./mod.ts";
 * assert.equal(normalCdf(1.959963984540054), 0.975);
 * 2 * normalCdf(-3); // two-sided p for z = 3: 0.002699796063260189
 * ```
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const y = Math.abs(x);
  if (y <= CENTRAL_LIMIT) {
    const x2 = y > 1.11e-16 ? x * x : 0;
    let num = A[4] * x2;
    let den = x2;
    for (let i = 0; i < 3; i++) {
      num = (num + A[i]) * x2;
      den = (den + B[i]) * x2;
    }
    return 0.5 + x * (num + A[3]) / (den + B[3]);
  }
  if (y > 40) return x > 0 ? 1 : 0; // beyond the smallest double
  const tail = lowerTail(y);
  return x > 0 ? 1 - tail : tail;
}

// Wichura's AS 241 (PPND16) coefficients.
const CENTRAL_NUM = [
  3.3871328727963666080,
  133.14166789178437745,
  1971.5909503065514427,
  13731.693765509461125,
  45921.953931549871457,
  67265.770927008700853,
  33430.575583588128105,
  2509.0809287301226727,
];
const CENTRAL_DEN = [
  1,
  42.313330701600911252,
  687.18700749205790830,
  5394.1960214247511077,
  21213.794301586595867,
  39307.895800092710610,
  28729.085735721942674,
  5226.4952788528545610,
];
const NEAR_NUM = [
  1.42343711074968357734,
  4.63033784615654529590,
  5.76949722146069140550,
  3.64784832476320460504,
  1.27045825245236838258,
  0.241780725177450611770,
  0.0227238449892691845833,
  7.74545014278341407640e-4,
];
const NEAR_DEN = [
  1,
  2.05319162663775882187,
  1.67638483018380384940,
  0.689767334985100004550,
  0.148103976427480074590,
  0.0151986665636164571966,
  5.47593808499534494600e-4,
  1.05075007164441684324e-9,
];
const FAR_NUM = [
  6.65790464350110377720,
  5.46378491116411436990,
  1.78482653991729133580,
  0.296560571828504891230,
  0.0265321895265761230930,
  0.00124266094738807843860,
  2.71155556874348757815e-5,
  2.01033439929228813265e-7,
];
const FAR_DEN = [
  1,
  0.599832206555887937690,
  0.136929880922735805310,
  0.0148753612908506148525,
  7.86869131145613259100e-4,
  1.84631831751005468180e-5,
  1.42151175831644588870e-7,
  2.04426310338993978564e-15,
];

/** Polynomial c[0] + c[1] r + ... + c[7] r^7 by Horner's rule. */
function poly(c: readonly number[], r: number): number {
  let s = c[c.length - 1];
  for (let i = c.length - 2; i >= 0; i--) s = s * r + c[i];
  return s;
}

/**
 * Standard normal quantile (inverse CDF) by AS 241, relative accuracy about 1e-16.
 * p = 0 gives -Infinity, p = 1 gives +Infinity, p outside [0, 1] or NaN gives NaN.
 * Matches R's `qnorm` to ~1e-15 relative.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { normalQuantile } from "./mod.ts";
 * assert.ok(Math.abs(normalQuantile(0.975) - 1.959963984540054) < 1e-15);
 * ```
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return q * poly(CENTRAL_NUM, r) / poly(CENTRAL_DEN, r);
  }
  let r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
  let value: number;
  if (r <= 5) {
    r -= 1.6;
    value = poly(NEAR_NUM, r) / poly(NEAR_DEN, r);
  } else {
    r -= 5;
    value = poly(FAR_NUM, r) / poly(FAR_DEN, r);
  }
  return q < 0 ? -value : value;
}
