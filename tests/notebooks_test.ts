/**
 * Executes every notebook in notebooks/ headlessly, in name order (00, 01, ...), with the repo's
 * Deno kernelspec, and fails on any cell error. The notebooks share one work folder
 * (PE_NOTEBOOK_WORKDIR) so each can read what the previous one wrote, and read
 * PE_NOTEBOOK_PROFILE=tiny to run on a tiny configuration.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { jupyterHas } from "./_jupyter.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const notebooks = [...Deno.readDirSync(join(root, "notebooks"))]
  .filter((entry) => entry.isFile && entry.name.endsWith(".ipynb"))
  .map((entry) => entry.name)
  .sort();

const nbconvert = jupyterHas("nbconvert");
if (!nbconvert) {
  console.warn(
    "notebooks_test: skipped, `jupyter nbconvert` not found (apt-get install jupyter-nbconvert jupyter-client)",
  );
}

Deno.test({
  name: "notebooks execute in order without a cell error",
  ignore: !nbconvert || notebooks.length === 0,
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const workDir = await Deno.makeTempDir({ prefix: "nb-work-" });
    for (const name of notebooks) {
      await t.step(name, async () => {
        const result = await new Deno.Command("jupyter", {
          args: [
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--ExecutePreprocessor.kernel_name=deno",
            "--ExecutePreprocessor.timeout=600",
            "--output-dir",
            join(workDir, "executed"),
            join(root, "notebooks", name),
          ],
          env: {
            JUPYTER_PATH: join(root, "jupyter"),
            NO_COLOR: "1",
            RUST_BACKTRACE: "0",
            PE_NOTEBOOK_PROFILE: "tiny",
            PE_NOTEBOOK_WORKDIR: workDir,
          },
          stdout: "piped",
          stderr: "piped",
        }).output();
        const log = new TextDecoder().decode(result.stderr);
        assert.ok(result.success, `${name} failed:\n${log.slice(-4000)}`);
      });
    }
    await Deno.remove(workDir, { recursive: true });
  },
});
