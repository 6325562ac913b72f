/**
 * JSON files with a schema: read, parse and validate in one call, so that a bad file fails at the
 * boundary with a message naming the file, the field and the fix. A file that cannot be read
 * fails with the read error itself (a missing file stays a `Deno.errors.NotFound`, which callers
 * that treat "absent" as "not made yet" test for).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "zod";
 * import { parseJson } from "./json.ts";
 * const schema = z.object({ seed: z.number() });
 * assert.deepEqual(parseJson('{"seed": 3}', "run.json", schema, "rerun"), { seed: 3 });
 * assert.throws(
 *   () => parseJson('{"seed": "3"}', "run.json", schema, "rerun"),
 *   /run\.json: field 'seed': .*; fix: rerun/,
 * );
 * ```
 */
import type { z } from "zod";

/**
 * The first problem of a failed schema check as `field 'a.b': message` (`(root)` for the whole
 * value).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "zod";
 * import { schemaIssue } from "./json.ts";
 * const result = z.object({ a: z.object({ b: z.number() }) }).safeParse({ a: { b: "x" } });
 * assert.match(schemaIssue(result.error!), /^field 'a\.b': /);
 * ```
 */
export function schemaIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `field '${issue.path.join(".") || "(root)"}': ${issue.message}`;
}

/**
 * JSON text (read from `source`, a file name for the message) checked against `schema`. Text
 * that is not JSON fails as `SOURCE: not JSON (...); fix: FIX`, a value the schema refuses as
 * `SOURCE: field 'a.b': ...; fix: FIX`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "zod";
 * import { parseJson } from "./json.ts";
 * assert.throws(() => parseJson("{", "state.json", z.unknown(), "delete it"), /not JSON/);
 * ```
 */
export function parseJson<S extends z.ZodType>(
  text: string,
  source: string,
  schema: S,
  fix: string,
): z.infer<S> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not JSON (${(error as Error).message}); fix: ${fix}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`${source}: ${schemaIssue(parsed.error)}; fix: ${fix}`);
  return parsed.data;
}

/**
 * The JSON file at `path` checked against `schema` (see {@link parseJson}); read errors are
 * thrown unchanged.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { z } from "zod";
 * import { readJson } from "./json.ts";
 * const config = await readJson("deno.json", z.object({ tasks: z.record(z.string(), z.string()) }), "");
 * assert.ok("test" in config.tasks);
 * await assert.rejects(readJson("missing.json", z.unknown(), ""), Deno.errors.NotFound);
 * ```
 */
export async function readJson<S extends z.ZodType>(
  path: string,
  schema: S,
  fix: string,
): Promise<z.infer<S>> {
  return parseJson(await Deno.readTextFile(path), path, schema, fix);
}
