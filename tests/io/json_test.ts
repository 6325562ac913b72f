import assert from "node:assert/strict";
import { join } from "node:path";
import { z } from "zod";
import { errorMessage, parseJson, readJson, sha256Hex } from "../../src/io/mod.ts";

const schema = z.object({ run: z.object({ seed: z.number() }) });

Deno.test("readJson: a good file parsed; bad JSON and a bad field name the file and the fix", async () => {
  const dir = await Deno.makeTempDir({ prefix: "json-" });
  try {
    const path = join(dir, "state.json");
    await Deno.writeTextFile(path, '{"run": {"seed": 4}}');
    assert.deepEqual(await readJson(path, schema, "rerun"), { run: { seed: 4 } });
    await Deno.writeTextFile(path, '{"run": {"seed": "4"}}');
    await assert.rejects(
      readJson(path, schema, "rerun"),
      /state\.json: field 'run\.seed': .*; fix: rerun$/,
    );
    await Deno.writeTextFile(path, "{");
    await assert.rejects(
      readJson(path, schema, "rerun"),
      /state\.json: not JSON \(.*\); fix: rerun$/,
    );
    // a missing file stays a NotFound (callers read it as "not made yet")
    await assert.rejects(
      readJson(join(dir, "missing.json"), schema, "rerun"),
      Deno.errors.NotFound,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseJson names the root when the whole value is wrong", () => {
  assert.throws(() => parseJson("[]", "x.json", schema, "fix it"), /x\.json: field '\(root\)'/);
});

Deno.test("errorMessage and sha256Hex", async () => {
  assert.equal(errorMessage(new TypeError("bad")), "bad");
  assert.equal(errorMessage(42), "42");
  assert.equal(
    await sha256Hex(new TextEncoder().encode("abc")),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
});
