import assert from "node:assert/strict";
import { z } from "zod";
import { parseFlags, readRawFlags } from "../../src/cli/flags.ts";

Deno.test("readRawFlags reads pairs, = forms, switches and kebab-case names", () => {
  assert.deepEqual(readRawFlags(["--out", "d", "--save-masks", "--size=1,2,3"]), {
    out: "d",
    saveMasks: true,
    size: "1,2,3",
  });
});

Deno.test("parseFlags names the bad flag in kebab case", () => {
  const schema = z.object({ referenceFraction: z.coerce.number().min(0).max(100) });
  assert.throws(
    () => parseFlags(["--reference-fraction", "150"], schema, "evaluate"),
    /--reference-fraction/,
  );
});

Deno.test("a stray positional argument is an error", () => {
  assert.throws(() => readRawFlags(["oops"]), /unexpected argument 'oops'/);
});

Deno.test("an unknown flag is named, not silently ignored", () => {
  const schema = z.object({ out: z.string() });
  assert.throws(
    () => parseFlags(["--out", "d", "--fractoins", "5"], schema, "sweep"),
    /--fractoins: unknown flag/,
  );
});
