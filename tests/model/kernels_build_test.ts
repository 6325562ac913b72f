/**
 * The committed WebAssembly loops match their C sources: src/model/kernels/build_manifest.json
 * (written by build_loops.sh after a rebuild) records the SHA-256 of each source and of the
 * binaries built from it; a source edited without a rebuild, or a binary replaced without its
 * source, fails here with the fix.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { readJson, sha256Hex } from "../../src/io/mod.ts";

const kernels = fileURLToPath(new URL("../../src/model/kernels", import.meta.url));
const hex = z.string().regex(/^[0-9a-f]{64}$/);
const manifestSchema = z.object({
  clang: z.string(),
  modules: z.record(z.string(), z.object({ source: hex, wasm: hex, sharedWasm: hex })),
});
const FIX =
  "rebuild with src/model/kernels/build_loops.sh (clang and lld), which rewrites the manifest";

const manifest = await readJson(join(kernels, "build_manifest.json"), manifestSchema, FIX);
const hash = async (name: string) => sha256Hex(await Deno.readFile(join(kernels, name)));

/** Built on the user's machine at run time (compiled_kernels.ts), not committed as a binary. */
const BUILT_AT_RUN_TIME = ["compiled_kernels"];

Deno.test("every C source of the kernels is in the build manifest", () => {
  const sources = [...Deno.readDirSync(kernels)]
    .filter((entry) => entry.name.endsWith(".c"))
    .map((entry) => entry.name.slice(0, -2))
    .filter((name) => !BUILT_AT_RUN_TIME.includes(name))
    .sort();
  assert.deepEqual(Object.keys(manifest.modules).sort(), sources, FIX);
});

for (const [name, recorded] of Object.entries(manifest.modules)) {
  Deno.test(`${name}.wasm and ${name}_shared.wasm are built from ${name}.c as committed`, async () => {
    assert.equal(
      await hash(`${name}.c`),
      recorded.source,
      `${name}.c changed since its build; ${FIX}`,
    );
    assert.equal(
      await hash(`${name}.wasm`),
      recorded.wasm,
      `${name}.wasm is not the build of ${name}.c; ${FIX}`,
    );
    assert.equal(
      await hash(`${name}_shared.wasm`),
      recorded.sharedWasm,
      `${name}_shared.wasm is not the build of ${name}.c; ${FIX}`,
    );
  });
}
