/**
 * Logistic regression by Newton-Raphson (iteratively reweighted least squares) with an optional
 * ridge (L2) penalty on the slopes, never on the intercept. Used as a probe: how well do a few
 * summary features of an exam predict its label?
 *
 * Reference: P. McCullagh and J. A. Nelder, Generalized Linear Models, 2nd ed. (1989), sec. 4.4;
 * with `l2 = 0` the estimates are the maximum-likelihood ones R's glm(family = binomial) gives
 * (for one binary feature: intercept = log odds of the reference group, slope = log odds ratio).
 */
import { StatsInputError } from "./errors.ts";

/** A fitted model: log odds = intercept + sum(slopes[j] * x[j]). */
export interface LogisticModel {
  intercept: number;
  slopes: number[];
  /** Newton steps taken. */
  iterations: number;
  /** True when the largest change of a coefficient fell below the tolerance. */
  converged: boolean;
}

/** Options of {@link fitLogistic}. */
export interface LogisticOptions {
  /** Ridge penalty added as l2/2 * sum(slopes^2) to the negative log-likelihood (default 0). */
  l2?: number;
  /** Newton steps at most (default 50). */
  maxIterations?: number;
  /** Convergence: largest absolute coefficient change (default 1e-10). */
  tolerance?: number;
}

/**
 * Fit log odds(label = 1) = b0 + b . x on `rows` (one array of features per case, all the same
 * length) and 0/1 `labels`. Throws StatsInputError on empty or ragged input, non-finite
 * features, labels other than 0/1, or a single class.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { fitLogistic } from "./logistic.ts";
 * // 2 x 2 table: x = 0 -> 1 of 4 positive, x = 1 -> 3 of 4 positive.
 * const model = fitLogistic([[0], [0], [0], [0], [1], [1], [1], [1]], [1, 0, 0, 0, 1, 1, 1, 0]);
 * assert.ok(Math.abs(model.intercept - Math.log(1 / 3)) < 1e-9);
 * assert.ok(Math.abs(model.slopes[0] - Math.log(9)) < 1e-9); // log odds ratio (3/1) / (1/3)
 * ```
 */
export function fitLogistic(
  rows: readonly ArrayLike<number>[],
  labels: ArrayLike<number>,
  options: LogisticOptions = {},
): LogisticModel {
  const { l2 = 0, maxIterations = 50, tolerance = 1e-10 } = options;
  const n = rows.length;
  if (n === 0) throw new StatsInputError("no cases: fitLogistic needs at least one row");
  if (labels.length !== n) {
    throw new StatsInputError(`${n} rows but ${labels.length} labels: give one label per row`);
  }
  const p = rows[0].length;
  let positives = 0;
  for (let i = 0; i < n; i++) {
    if (rows[i].length !== p) {
      throw new StatsInputError(`rows[${i}] has ${rows[i].length} features, rows[0] has ${p}`);
    }
    for (let j = 0; j < p; j++) {
      if (!Number.isFinite(rows[i][j])) {
        throw new StatsInputError(`rows[${i}][${j}] is ${rows[i][j]}: features must be finite`);
      }
    }
    if (labels[i] !== 0 && labels[i] !== 1) {
      throw new StatsInputError(`labels[${i}] is ${labels[i]}: labels are 0 or 1`);
    }
    positives += labels[i];
  }
  if (positives === 0 || positives === n) {
    throw new StatsInputError("one class only: the labels need both 0 and 1");
  }

  // beta[0] = intercept, beta[1..p] = slopes; Newton step solves (X'WX + P) d = X'(y - mu) - P b.
  const k = p + 1;
  const beta = new Float64Array(k);
  const x = new Float64Array(k);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations++;
    const hessian = new Float64Array(k * k);
    const gradient = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      x[0] = 1;
      for (let j = 0; j < p; j++) x[j + 1] = rows[i][j];
      let eta = 0;
      for (let j = 0; j < k; j++) eta += beta[j] * x[j];
      const mu = 1 / (1 + Math.exp(-eta));
      const w = Math.max(mu * (1 - mu), 1e-12);
      const r = labels[i] - mu;
      for (let a = 0; a < k; a++) {
        gradient[a] += x[a] * r;
        for (let b = 0; b <= a; b++) hessian[a * k + b] += w * x[a] * x[b];
      }
    }
    for (let a = 1; a < k; a++) {
      hessian[a * k + a] += l2;
      gradient[a] -= l2 * beta[a];
    }
    const step = solveSymmetric(hessian, gradient, k);
    let largest = 0;
    for (let j = 0; j < k; j++) {
      beta[j] += step[j];
      largest = Math.max(largest, Math.abs(step[j]));
    }
    converged = largest < tolerance;
  }
  return { intercept: beta[0], slopes: Array.from(beta.subarray(1)), iterations, converged };
}

/**
 * Log odds of each row under `model` (a monotone score: use it for AUC, or apply the logistic
 * function for probabilities).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { logisticScores } from "./logistic.ts";
 * const model = { intercept: -1, slopes: [2], iterations: 1, converged: true };
 * assert.deepEqual(Array.from(logisticScores(model, [[0], [1]])), [-1, 1]);
 * ```
 */
export function logisticScores(
  model: LogisticModel,
  rows: readonly ArrayLike<number>[],
): Float64Array {
  return Float64Array.from(rows, (row, i) => {
    if (row.length !== model.slopes.length) {
      throw new StatsInputError(
        `rows[${i}] has ${row.length} features, the model ${model.slopes.length}`,
      );
    }
    let eta = model.intercept;
    for (let j = 0; j < row.length; j++) eta += model.slopes[j] * row[j];
    return eta;
  });
}

/** Solve A d = g for a symmetric positive-definite A (lower triangle filled) by Cholesky. */
function solveSymmetric(a: Float64Array, g: Float64Array, k: number): Float64Array {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i * k + j];
      for (let m = 0; m < j; m++) sum -= l[i * k + m] * l[j * k + m];
      if (i === j) {
        if (!(sum > 0)) {
          throw new StatsInputError(
            "the features are collinear or constant (the Newton system is singular): drop " +
              "redundant features or set a ridge penalty (l2 > 0)",
          );
        }
        l[i * k + i] = Math.sqrt(sum);
      } else {
        l[i * k + j] = sum / l[j * k + j];
      }
    }
  }
  const y = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let sum = g[i];
    for (let m = 0; m < i; m++) sum -= l[i * k + m] * y[m];
    y[i] = sum / l[i * k + i];
  }
  const d = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let sum = y[i];
    for (let m = i + 1; m < k; m++) sum -= l[m * k + i] * d[m];
    d[i] = sum / l[i * k + i];
  }
  return d;
}
