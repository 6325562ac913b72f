/**
 * Confidence intervals for a binomial proportion, matching statsmodels' proportion_confint
 * (methods wilson, beta, normal, agresti_coull, jeffreys).
 *
 * References: E. B. Wilson, JASA 22 (1927) 209-212; C. J. Clopper & E. S. Pearson, Biometrika
 * 26 (1934) 404-413; A. Agresti & B. A. Coull, Am. Stat. 52 (1998) 119-126; L. D. Brown,
 * T. T. Cai & A. DasGupta, "Interval estimation for a binomial proportion", Statistical Science
 * 16 (2001) 101-133 (Jeffreys interval, Wald interval).
 */
import { betaQuantile } from "./_beta.ts";
import { StatsInputError } from "./errors.ts";
import { normalQuantile } from "./normal.ts";

/** Binomial interval methods; "clopper-pearson" is the exact interval. */
export const CI_METHODS = [
  "wilson",
  "clopper-pearson",
  "wald",
  "agresti-coull",
  "jeffreys",
] as const;

/** A binomial interval method. */
export type CiMethod = (typeof CI_METHODS)[number];

/** A point estimate with its confidence interval. */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

/** Two-sided interval [low, high] for count / trials by `method` at critical value z. */
function interval(count: number, trials: number, method: CiMethod, alpha: number) {
  const q = count / trials;
  const z = normalQuantile(1 - alpha / 2);
  switch (method) {
    case "wilson": {
      const z2 = z * z;
      const shrink = 1 + z2 / trials;
      const centre = (q + z2 / (2 * trials)) / shrink;
      const half = z * Math.sqrt(q * (1 - q) / trials + z2 / (4 * trials * trials)) / shrink;
      return [centre - half, centre + half];
    }
    case "wald": {
      const half = z * Math.sqrt(q * (1 - q) / trials);
      return [Math.max(0, q - half), Math.min(1, q + half)];
    }
    case "agresti-coull": {
      const trialsC = trials + z * z;
      const qC = (count + z * z / 2) / trialsC;
      const half = z * Math.sqrt(qC * (1 - qC) / trialsC);
      return [Math.max(0, qC - half), Math.min(1, qC + half)];
    }
    case "clopper-pearson":
      return [
        count === 0 ? 0 : betaQuantile(alpha / 2, count, trials - count + 1),
        // upper tail of Beta(count + 1, trials - count) by the mirror Beta(trials - count, count + 1)
        count === trials ? 1 : 1 - betaQuantile(alpha / 2, trials - count, count + 1),
      ];
    case "jeffreys":
      return [
        betaQuantile(alpha / 2, count + 0.5, trials - count + 0.5),
        1 - betaQuantile(alpha / 2, trials - count + 0.5, count + 0.5),
      ];
  }
}

/**
 * Confidence interval for a binomial proportion successes / trials. Methods (statsmodels name
 * in brackets): "wilson" score (wilson, the default), "clopper-pearson" exact (beta), "wald"
 * (normal), "agresti-coull" (agresti_coull), "jeffreys" (jeffreys). The estimate is always
 * successes / trials. Wald and Agresti-Coull are clipped to [0, 1]; Clopper-Pearson gives 0 at
 * 0 successes and 1 at all successes; Jeffreys is the equal-tailed Beta(x + 1/2, n - x + 1/2)
 * interval without boundary adjustment (as statsmodels). 0 / 0 gives NaNs and a warning.
 *
 * @example
 * ```ts
 * import { binomialCi } from "./mod.ts";
 * binomialCi(40, 50); // { estimate: 0.8, low: 0.6696, high: 0.8876 } (Wilson)
 * binomialCi(0, 10, "clopper-pearson"); // { estimate: 0, low: 0, high: 0.3085 }
 * ```
 */
export function binomialCi(
  successes: number,
  trials: number,
  method: CiMethod = "wilson",
  level = 0.95,
): Interval {
  if (!(CI_METHODS as readonly string[]).includes(method)) {
    throw new StatsInputError(`unknown CI method '${method}': use one of ${CI_METHODS.join(", ")}`);
  }
  if (!(level > 0 && level < 1)) {
    throw new StatsInputError(`level is ${level}: a confidence level lies in (0, 1), e.g. 0.95`);
  }
  if (!(Number.isInteger(trials) && trials >= 0)) {
    throw new StatsInputError(`trials is ${trials}: it must be a non-negative integer`);
  }
  if (!(Number.isInteger(successes) && successes >= 0 && successes <= trials)) {
    throw new StatsInputError(
      `successes is ${successes} with ${trials} trials: it must be an integer in [0, trials]`,
    );
  }
  if (trials === 0) {
    console.warn("binomialCi: 0 successes out of 0 trials; the proportion and its CI are NaN");
    return { estimate: NaN, low: NaN, high: NaN };
  }
  const [low, high] = interval(successes, trials, method, 1 - level);
  return { estimate: successes / trials, low, high };
}
