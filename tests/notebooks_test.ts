/**
 * Executes every notebook in notebooks/ headlessly with the repo's Deno kernelspec and fails on
 * any cell error. Notebooks read PE_NOTEBOOK_PROFILE=tiny to run on a tiny configuration.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const notebooks = [...Deno.readDirSync(join(root, "notebooks"))]
  .filter((e) => e.isFile && e.name.endsWith(".ipynb"))
  .map((e) => e.name)
  .sort();

function hasNbconvert(): boolean {
  try {
    return new Deno.Command("jupyter", {
      args: ["nbconvert", "--version"],
      stdout: "null",
      stderr: "null",
    })
      .outputSync().success;
  } catch {
    return false;
  }
}

const nbconvert = hasNbconvert();
if (!nbconvert) {
  console.warn(
    "notebooks_test: skipped, `jupyter nbconvert` not found (apt-get install jupyter-nbconvert jupyter-client)",
  );
}

for (const name of notebooks) {
  Deno.test({
    name: `notebook ${name} executes without a cell error`,
    ignore: !nbconvert,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const outDir = await Deno.makeTempDir({ prefix: "nb-run-" });
      const result = await new Deno.Command("jupyter", {
        args: [
          "nbconvert",
          "--to",
          "notebook",
          "--execute",
          "--ExecutePreprocessor.kernel_name=deno",
          "--ExecutePreprocessor.timeout=600",
          "--output-dir",
          outDir,
          join(root, "notebooks", name),
        ],
        env: {
          JUPYTER_PATH: join(root, "jupyter"),
          NO_COLOR: "1",
          RUST_BACKTRACE: "0",
          PE_NOTEBOOK_PROFILE: "tiny",
          PE_NOTEBOOK_WORKDIR: outDir,
        },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const log = new TextDecoder().decode(result.stderr);
      assert.ok(result.success, `${name} failed:\n${log.slice(-4000)}`);
      await Deno.remove(outDir, { recursive: true });
    },
  });
}
