/**
 * Command-line flag parsing for the `deno task` entry points: `--name value` pairs and bare
 * `--switch`es, validated by one zod schema per command so a bad flag names itself and the fix.
 *
 * @example
 * ```ts
 * import { z } from "zod";
 * import { parseFlags } from "./flags.ts";
 * const flags = parseFlags(["--out", "x", "--seed", "3"], z.object({
 *   out: z.string(), seed: z.coerce.number().int().default(0),
 * }), "synth");
 * // flags = { out: "x", seed: 3 }
 * ```
 */
import { z } from "zod";

/** Raw flags: `--a 1 --b` -> `{ a: "1", b: true }`; `--a=1` is accepted too. */
export function readRawFlags(args: readonly string[]): Record<string, string | boolean> {
  const raw: Record<string, string | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith("--")) {
      throw new Error(`unexpected argument '${arg}': flags look like --name value`);
    }
    const body = arg.slice(2);
    const eq = body.indexOf("=");
    const name = toCamel(eq >= 0 ? body.slice(0, eq) : body);
    if (eq >= 0) raw[name] = body.slice(eq + 1);
    else if (i + 1 < args.length && !args[i + 1].startsWith("--")) raw[name] = args[++i];
    else raw[name] = true;
  }
  return raw;
}

/** Parse and validate flags (unknown flags rejected); throws one message listing every bad flag. */
export function parseFlags<S extends z.ZodType>(
  args: readonly string[],
  schema: S,
  command: string,
): z.infer<S> {
  // Unknown flags are always errors: a misspelled flag must never fall back to a default.
  const strict: z.ZodType = schema instanceof z.ZodObject ? schema.strict() : schema;
  const result = strict.safeParse(readRawFlags(args));
  if (result.success) return result.data as z.infer<S>;
  const lines = result.error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => `  --${toKebab(key)}: unknown flag (check its spelling)`)
      : [`  --${toKebab(String(issue.path[0] ?? "?"))}: ${issue.message}`]
  );
  throw new Error(`deno task ${command}: bad flags\n${lines.join("\n")}`);
}

/**
 * Raw flags back to arguments (the inverse of `readRawFlags`): `{ a: "1", b: true }` ->
 * `["--a", "1", "--b"]`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(formatFlags({ batchSize: "4", noAugment: true }), ["--batch-size", "4", "--no-augment"]);
 * ```
 */
export function formatFlags(raw: Record<string, string | boolean>): string[] {
  return Object.entries(raw).flatMap(([name, value]) =>
    value === true ? [`--${toKebab(name)}`] : value === false ? [] : [`--${toKebab(name)}`, value]
  );
}

function toCamel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function toKebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * `--folds`, in every command: which validation folds, `all` or a list such as `0,1` (fold
 * numbers start at 0). The number of folds the data is split into is `--fold-count`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(foldsFlag("all").parse(undefined), "all");
 * assert.deepEqual(foldsFlag("0").parse("0,2"), [0, 2]);
 * ```
 */
export function foldsFlag(defaultText: string) {
  return z.string().default(defaultText).transform((text, ctx): "all" | number[] => {
    if (text === "all") return "all";
    const folds = text.split(",").map((part) => part.trim() === "" ? NaN : Number(part));
    if (folds.some((k) => !Number.isInteger(k) || k < 0)) {
      ctx.addIssue({
        code: "custom",
        message: `'${text}' must be 'all' or folds like 0,1,2 (which folds; ` +
          "the number of folds is --fold-count)",
      });
      return z.NEVER;
    }
    return [...new Set(folds)].sort((a, b) => a - b);
  });
}

/**
 * A whole-number flag of at least `min` (the text is coerced).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { intFlag } from "./flags.ts";
 * assert.equal(intFlag(1).parse("3"), 3);
 * assert.equal(intFlag(1).safeParse("0").success, false);
 * ```
 */
export function intFlag(min: number) {
  return z.coerce.number().pipe(z.number().int().min(min));
}

/**
 * A list of seeds, `0,1,2`: each once, in the order given.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { seedsFlag } from "./flags.ts";
 * assert.deepEqual(seedsFlag.parse("2,0,2"), [2, 0]);
 * assert.equal(seedsFlag.safeParse("0,x").success, false);
 * ```
 */
export const seedsFlag = z.string().regex(/^\d+(,\d+)*$/, "a list of seeds, e.g. 0,1,2")
  .transform((s) => [...new Set(s.split(",").map(Number))]);

/**
 * `--tier-weights P,C,N`: the weights of the `tiered` allocation for exams whose report says
 * peripheral-only PE, central PE, and no PE (each a number >= 0, not all zero).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tierWeightsFlag } from "./flags.ts";
 * assert.deepEqual(tierWeightsFlag.parse("3,1,0.5"), { peripheral: 3, central: 1, negative: 0.5 });
 * assert.equal(tierWeightsFlag.safeParse("3,1").success, false);
 * ```
 */
export const tierWeightsFlag = z.string()
  .regex(
    /^\d+(\.\d+)?,\d+(\.\d+)?,\d+(\.\d+)?$/,
    "three weights >= 0 for peripheral-only PE, central PE and negative exams, e.g. 3,1,0.5",
  )
  .transform((s) => s.split(",").map(Number))
  .refine((w) => w.some((x) => x > 0), "at least one tier weight must be above 0, e.g. 3,1,0.5")
  .transform(([peripheral, central, negative]) => ({ peripheral, central, negative }));

/**
 * `--fold-count`, in every command: how many folds the training split is cut into (the method:
 * five).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.equal(foldCountFlag.parse(undefined), 5);
 * ```
 */
export const foldCountFlag = intFlag(2).default(5);

/**
 * The validation folds that `--folds` names among `foldCount` folds, in order; a fold outside
 * 0..foldCount-1 fails with the fix.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * assert.deepEqual(selectFolds("all", 5), [0, 1, 2, 3, 4]);
 * assert.deepEqual(selectFolds([0, 1], 5), [0, 1]);
 * ```
 */
export function selectFolds(folds: "all" | readonly number[], foldCount: number): number[] {
  if (folds === "all") return Array.from({ length: foldCount }, (_, k) => k);
  const outside = folds.filter((k) => k >= foldCount);
  if (outside.length > 0) {
    throw new Error(
      `--folds ${folds.join(",")}: fold ${outside.join(", ")} does not exist among ` +
        `${foldCount} folds (0..${foldCount - 1}); --folds says which folds, e.g. ` +
        `--folds 0,1 or --folds all; the number of folds in the data is --fold-count`,
    );
  }
  return [...folds];
}
