/**
 * Loads the committed reference values of the stats tests (tests/testdata/stats): the inputs
 * and the expected values computed by R (pROC) and Python (statsmodels, scikit-learn) with the
 * scripts beside them. Also the closeness assertion the tests share.
 */
import assert from "node:assert/strict";
import { z } from "zod";

const DIR = new URL("../testdata/stats/", import.meta.url);

/** JSON number as the generators write it: null = NA/NaN, strings for infinities. */
const jsonNumber = z
  .union([z.number(), z.literal("Infinity"), z.literal("-Infinity"), z.null()])
  .transform((v) => (v === null ? NaN : typeof v === "string" ? Number(v) : v));
/** A scalar or a list (R writes length-1 vectors as scalars). */
const numberList = z
  .union([jsonNumber, z.array(jsonNumber)])
  .transform((v) => (Array.isArray(v) ? v : [v]));

const InputsSchema = z.object({
  rocCases: z.array(
    z.object({ name: z.string(), scores: z.array(z.number()), labels: z.array(z.number()) }),
  ),
  pairedCases: z.array(z.object({
    name: z.string(),
    scoresA: z.array(z.number()),
    scoresB: z.array(z.number()),
    labels: z.array(z.number()),
  })),
  unpairedCases: z.array(z.object({ a: z.string(), b: z.string() })),
  proportions: z.array(z.object({ count: z.number(), nobs: z.number(), alpha: z.number() })),
  holmSets: z.array(z.array(z.number())),
  holmWithMissing: z.array(z.array(z.number().nullable())),
  normalX: z.array(z.number()),
  normalP: z.array(z.number()),
});

const ProcSchema = z.object({
  generator: z.string(),
  roc: z.array(z.object({
    name: z.string(),
    auc: jsonNumber,
    variance: jsonNumber,
    ci95: numberList,
    ci90: numberList,
    youdenThresholds: numberList,
    youdenSensitivity: numberList,
    youdenSpecificity: numberList,
  })),
  paired: z.array(z.object({
    name: z.string(),
    aucA: jsonNumber,
    aucB: jsonNumber,
    z: jsonNumber,
    p: jsonNumber,
  })),
  unpaired: z.array(z.object({
    a: z.string(),
    b: z.string(),
    aucA: jsonNumber,
    aucB: jsonNumber,
    z: jsonNumber,
    df: jsonNumber,
    p: jsonNumber,
  })),
  holm: z.array(numberList),
  holmWithMissing: z.array(numberList),
  pnorm: z.array(jsonNumber),
  qnorm: z.array(jsonNumber),
});

const interval = z.tuple([jsonNumber, jsonNumber]);
const StatsmodelsSchema = z.object({
  generator: z.string(),
  roc: z.array(z.object({
    name: z.string(),
    auc: z.number(),
    fpr: z.array(z.number()),
    tpr: z.array(z.number()),
    thresholds: z.array(jsonNumber),
  })),
  proportions: z.array(z.object({
    count: z.number(),
    nobs: z.number(),
    alpha: z.number(),
    wilson: interval,
    "clopper-pearson": interval,
    wald: interval,
    "agresti-coull": interval,
    jeffreys: interval,
  })),
  holm: z.array(z.array(z.number())),
});

function load<T extends z.ZodType>(file: string, schema: T): z.infer<T> {
  const url = new URL(file, DIR);
  const parsed = schema.safeParse(JSON.parse(Deno.readTextFileSync(url)));
  if (!parsed.success) {
    throw new Error(
      `${url.pathname}: ${parsed.error.message}; regenerate it with the script beside it`,
    );
  }
  return parsed.data;
}

/** Inputs shared by all generators (tests/testdata/stats/inputs.json). */
export const inputs = load("inputs.json", InputsSchema);
/** Values from R / pROC (tests/testdata/stats/expected_proc.json). */
export const proc = load("expected_proc.json", ProcSchema);
/** Values from statsmodels / scikit-learn (tests/testdata/stats/expected_statsmodels.json). */
export const statsmodels = load("expected_statsmodels.json", StatsmodelsSchema);

/** The ROC input case of a given name. */
export function rocCase(name: string) {
  const found = inputs.rocCases.find((c) => c.name === name);
  if (!found) throw new Error(`no ROC case named '${name}' in inputs.json`);
  return found;
}

/**
 * Asserts |actual - expected| <= tolerance * max(1, |expected|) (absolute below 1, relative
 * above), or, with `relative: true`, <= tolerance * |expected|. NaN matches NaN and an
 * infinity matches the same infinity.
 */
export function assertClose(
  actual: number,
  expected: number,
  what: string,
  tolerance = 1e-9,
  relative = false,
): void {
  if (Number.isNaN(expected) || !Number.isFinite(expected)) {
    assert.ok(
      Object.is(actual, expected) || actual === expected,
      `${what}: ${actual} != ${expected}`,
    );
    return;
  }
  const scale = relative ? Math.abs(expected) : Math.max(1, Math.abs(expected));
  assert.ok(
    Math.abs(actual - expected) <= tolerance * scale,
    `${what}: got ${actual}, expected ${expected} (tolerance ${tolerance}${
      relative ? " relative" : ""
    })`,
  );
}
