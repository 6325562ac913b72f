import assert from "node:assert/strict";
import { fitLogistic, logisticScores, StatsInputError } from "../../src/stats/mod.ts";

const close = (actual: number, expected: number, tolerance: number, what: string) =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs ${expected}`);

Deno.test("fitLogistic: one binary feature gives the 2 x 2 table's log odds and log odds ratio", () => {
  // x = 0: 3 of 10 positive; x = 1: 6 of 8 positive.
  const rows = [...Array(10).fill([0]), ...Array(8).fill([1])];
  const labels = [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0];
  const model = fitLogistic(rows, labels);
  assert.ok(model.converged);
  close(model.intercept, Math.log(3 / 7), 1e-10, "intercept");
  close(model.slopes[0], Math.log((6 / 2) / (3 / 7)), 1e-10, "slope");
});

Deno.test("fitLogistic: the Challenger O-ring data give R's glm estimates (15.0429, -0.2322)", () => {
  // Dalal, Fowlkes and Hoadley (JASA 1989): launch temperature (F) and O-ring damage, 23
  // flights; glm(damage ~ temp, family = binomial) as printed in Faraway, "Extending the
  // Linear Model with R" (2006), ch. 2.
  const temp = [
    66,
    70,
    69,
    68,
    67,
    72,
    73,
    70,
    57,
    63,
    70,
    78,
    67,
    53,
    67,
    75,
    70,
    81,
    76,
    79,
    75,
    76,
    58,
  ];
  const damage = [0, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1];
  const model = fitLogistic(temp.map((t) => [t]), damage);
  close(model.intercept, 15.0429, 5e-5, "intercept");
  close(model.slopes[0], -0.2322, 5e-5, "temp");
});

Deno.test("fitLogistic: with a ridge penalty the score equations balance the penalty", () => {
  const rows = [[0.2, 1], [1.5, -0.3], [-0.7, 0.4], [2.2, 0.1], [0.9, -1.2], [-1.1, 0.8], [
    0.3,
    0.3,
  ]];
  const labels = [0, 1, 0, 1, 1, 0, 1];
  const l2 = 0.5;
  const model = fitLogistic(rows, labels, { l2 });
  const eta = logisticScores(model, rows);
  const residual = labels.map((y, i) => y - 1 / (1 + Math.exp(-eta[i])));
  close(residual.reduce((s, r) => s + r, 0), 0, 1e-9, "intercept equation");
  for (let j = 0; j < 2; j++) {
    const score = residual.reduce((s, r, i) => s + r * rows[i][j], 0);
    close(score, l2 * model.slopes[j], 1e-9, `slope ${j} equation`);
  }
});

Deno.test("fitLogistic: bad input is refused with a message that names it", () => {
  assert.throws(() => fitLogistic([], []), StatsInputError);
  assert.throws(() => fitLogistic([[1], [2]], [1, 1]), /one class only/);
  assert.throws(() => fitLogistic([[1], [2, 3]], [0, 1]), /rows\[1\] has 2 features/);
  assert.throws(() => fitLogistic([[1], [NaN]], [0, 1]), /rows\[1\]\[0\] is NaN/);
  assert.throws(() => fitLogistic([[1], [2]], [0, 2]), /labels\[1\] is 2/);
  assert.throws(() => fitLogistic([[1, 1], [2, 2], [3, 3]], [0, 1, 0]), /collinear/);
});
