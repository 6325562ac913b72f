/**
 * A run's scores do not depend on how many threads the wasm backend was given: the same tiny run,
 * trained in fresh processes on 1 and on 2 threads, predicts the same scores bit for bit, on each
 * kernel path this machine has (oneDNN where libdnnl loads, the compiled kernels with
 * PE_ONEDNN=off). oneDNN's sums depend on its own thread count, so this fails when it is given
 * more than one.
 */
import assert from "node:assert/strict";

/** The predictions.csv of a 3-epoch tiny run trained in a fresh process on `threads` threads. */
async function tinyRunScores(threads: number, env: Record<string, string>): Promise<string> {
  const from = (path: string) => new URL(path, import.meta.url).href;
  const script = [
    `import { selectBackend } from "${from("../../src/model/backend.ts")}";`,
    `import { trainRun } from "${from("../../src/train/mod.ts")}";`,
    `import { tinyConfig, tinySource } from "${from("../train/_tiny.ts")}";`,
    `await selectBackend("wasm", { wasmThreads: ${threads} }); // logs its choice`,
    "const runDir = await Deno.makeTempDir();",
    "const result = await trainRun({",
    // 32 features: at the tiny runs' usual 16, oneDNN's two threads happened to sum alike
    "  config: tinyConfig({ epochs: 3, model: { ...tinyConfig().model, featureSize: 32 } }),",
    "  source: tinySource(), runDir, backend: 'wasm',",
    "});",
    "console.log(await Deno.readTextFile(result.predictionsPath));",
    "await Deno.remove(runDir, { recursive: true });",
  ].join("\n");
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", script],
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(output.stdout);
  assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
  if (threads > 1) assert.match(stdout, new RegExp(`threaded SIMD build, ${threads} threads`));
  const header = stdout.indexOf("exam_id,split,label,fraction,fold,score,subtype\n");
  assert.ok(header >= 0, stdout);
  return stdout.slice(header);
}

for (
  const [path, env] of [["oneDNN where it loads", {}], ["PE_ONEDNN=off", {
    PE_ONEDNN: "off",
  }]] as const
) {
  Deno.test(`a run's scores are the same on 1 and 2 wasm threads (${path})`, async () => {
    const [one, two] = [await tinyRunScores(1, env), await tinyRunScores(2, env)];
    assert.ok(one.split("\n").length > 10, one);
    assert.equal(two, one);
  });
}
