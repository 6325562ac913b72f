import assert from "node:assert/strict";
import { C_COMPILER_RUNS } from "./_c_compiler.ts";
import * as tf from "@tensorflow/tfjs";
import { selectBackend } from "../../src/model/backend.ts";

Deno.test("selectBackend auto: picks wasm here and says why tensorflow and webgpu were skipped", async () => {
  // This machine has no tfjs-node addon (install scripts do not run) and no hardware GPU.
  const choice = await selectBackend("auto");
  assert.equal(choice.name, "wasm");
  assert.equal(tf.getBackend(), "wasm");
  assert.match(choice.reason, /tfjs-node-gpu: .*addon/);
  assert.match(choice.reason, /@tensorflow\/tfjs-node: .*addon/);
  assert.match(
    choice.reason,
    /webgpu: (only a software adapter|navigator\.gpu is absent|no adapter)/,
  );
});

Deno.test("selectBackend explicit: cpu is used as asked, tensorflow fails with the cause", async () => {
  const cpu = await selectBackend("cpu");
  assert.equal(cpu.name, "cpu");
  assert.match(cpu.reason, /requested/);
  await assert.rejects(
    () => selectBackend("tensorflow"),
    /backend "tensorflow" is unavailable: .*tfjs-node.*Fix:/,
  );
  await assert.rejects(
    () => selectBackend("metal" as never),
    /Invalid option|invalid/i,
  );
});

Deno.test("selectBackend wasm: trains a conv layer (Conv2DBackpropFilter registered)", async () => {
  await selectBackend("wasm");
  const x = tf.randomUniform([2, 8, 8, 3], 0, 1, "float32", 1);
  const w = tf.randomUniform([3, 3, 3, 4], -1, 1, "float32", 2);
  const dw = tf.grad((f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, "same").sum())(w);
  assert.deepEqual(dw.shape, [3, 3, 3, 4]);
  assert.ok((await dw.data()).every(Number.isFinite));
  tf.dispose([x, w, dw]);
});

Deno.test("selectBackend webgpu explicitly: also on a software adapter, and says so", async () => {
  const gpu = (navigator as unknown as { gpu?: unknown }).gpu;
  if (gpu === undefined) {
    await assert.rejects(() => selectBackend("webgpu"), /navigator\.gpu is absent/);
    return;
  }
  const choice = await selectBackend("webgpu");
  assert.equal(choice.name, "webgpu");
  assert.match(choice.reason, /webgpu on .*\((software|hardware) adapter/);
  await selectBackend("cpu");
});

/** Runs a 3x3 convolution on wasm in a fresh process with `env`; its output. */
async function convolveInFreshProcess(env: Record<string, string>): Promise<string> {
  const script = [
    'import * as tf from "@tensorflow/tfjs";',
    `import { selectBackend } from "${new URL("../../src/model/backend.ts", import.meta.url)}";`,
    'await selectBackend("wasm", { wasmThreads: 1 });',
    "const x = tf.randomUniform([2, 8, 8, 3]);",
    "const w = tf.randomUniform([3, 3, 3, 4]);",
    "console.log(tf.conv2d(x, w, 1, 'same').shape.join(','));",
  ].join("\n");
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--quiet", script],
    env: { PE_DNNL_LIBRARY: "/nonexistent/libdnnl.so.2", NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(output.stdout) + new TextDecoder().decode(output.stderr);
  assert.equal(output.code, 0, text);
  assert.match(text, /oneDNN unavailable \(\/nonexistent\/libdnnl\.so\.2: .*\)/);
  assert.match(text, /^2,8,8,4$/m);
  return text;
}

Deno.test("selectBackend wasm: without oneDNN nor compiled kernels it says why and keeps XNNPACK", async () => {
  const text = await convolveInFreshProcess({ PE_COMPILED_KERNELS: "off" });
  assert.doesNotMatch(text, /convolutions and matrix products on/);
});

Deno.test("selectBackend wasm: without oneDNN it builds the compiled kernels (a C compiler runs here)", async () => {
  if (!C_COMPILER_RUNS) {
    console.log("no C compiler here: the compiled kernels cannot be built; skipped");
    return;
  }
  // a fresh cache: the build itself is part of what is tested
  const cache = await Deno.makeTempDir();
  try {
    const text = await convolveInFreshProcess({ PE_KERNEL_CACHE: cache });
    assert.match(text, /convolutions and matrix products on kernels compiled here \(.*\.so\)/);
    const built = [...Deno.readDirSync(cache)].map((entry) => entry.name);
    assert.equal(
      built.filter((name) => /^compiled_kernels-[0-9a-f]{16}\.so$/.test(name)).length,
      1,
    );
    assert.deepEqual(built.filter((name) => name.endsWith(".tmp")), [], "no half-written build");
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});
