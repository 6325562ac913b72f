import assert from "node:assert/strict";
import { join } from "node:path";
import { pathExists } from "../../src/io/files.ts";

Deno.test("pathExists: true for a file and a folder, false for a missing path", async () => {
  const dir = await Deno.makeTempDir({ prefix: "files-" });
  try {
    await Deno.writeTextFile(join(dir, "a.txt"), "a");
    assert.equal(await pathExists(join(dir, "a.txt")), true);
    assert.equal(await pathExists(dir), true);
    assert.equal(await pathExists(join(dir, "missing.txt")), false);
    assert.equal(await pathExists(join(dir, "missing", "deeper.txt")), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pathExists throws on a failure other than not found", async () => {
  const dir = await Deno.makeTempDir({ prefix: "files-" });
  try {
    await Deno.writeTextFile(join(dir, "a.txt"), "a");
    // A file used as a folder: not a "not found", so it must not read as missing.
    await assert.rejects(() => pathExists(join(dir, "a.txt", "b")));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
