import assert from "node:assert/strict";
import { C_COMPILER_RUNS } from "./_c_compiler.ts";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import {
  nativeGemmSource,
  oneDnnConvolutions,
  oneDnnLibrary,
  registerWasmTrainingKernels,
  useCompiledKernels,
  useOneDnn,
  wasmBatchNormAvailable,
  wasmLstmAvailable,
} from "../../src/model/kernels/mod.ts";
import { col2im, im2colTransposed } from "../../src/model/kernels/im2col.ts";
import {
  batchNorm,
  type BatchNormUpdate,
  createBatchNorm,
  lstmRecurrence,
} from "../../src/model/layers.ts";
import { ParameterStore } from "../../src/model/params.ts";

/** [batch, h, w, inC], [kH, kW, inC, outC], stride, padding */
type Shape4 = [number, number, number, number];
const CASES: [Shape4, Shape4, number, "same" | "valid"][] = [
  [[2, 9, 9, 3], [3, 3, 3, 16], 1, "same"],
  [[2, 9, 9, 3], [3, 3, 3, 16], 2, "same"],
  [[3, 16, 16, 16], [3, 3, 16, 32], 2, "same"],
  [[2, 10, 11, 8], [3, 3, 8, 5], 1, "valid"],
  [[2, 11, 10, 32], [3, 3, 32, 64], 2, "valid"],
  [[4, 8, 8, 64], [3, 3, 64, 64], 2, "same"],
  [[2, 7, 7, 5], [1, 1, 5, 7], 1, "same"],
  [[1, 12, 12, 4], [5, 5, 4, 6], 2, "same"],
];

/** Filter and input gradients of sum(conv2d(x, w) * g) on the given backend, concatenated. */
async function convGradients(
  backend: string,
  xShape: Shape4,
  wShape: Shape4,
  stride: number,
  pad: "same" | "valid",
): Promise<Float32Array> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.randomUniform(xShape, -1, 1, "float32", 11) as tf.Tensor4D;
    const w = tf.randomUniform(wShape, -1, 1, "float32", 12) as tf.Tensor4D;
    const y = tf.conv2d(x, w, stride, pad);
    const g = tf.randomUniform(y.shape, -1, 1, "float32", 13);
    const [dx, dw] = tf.grads((a, f) =>
      tf.conv2d(a as tf.Tensor4D, f as tf.Tensor4D, stride, pad).mul(g).sum()
    )([x, w]);
    return tf.concat([dw.flatten(), dx.flatten()]);
  }).dataSync() as Float32Array;
}

/** Where oneDNN 2.x is installed (Debian 12's libdnnl2), its path must load and be tested. */
const DNNL_INSTALLED = ["/usr/lib/x86_64-linux-gnu/libdnnl.so.2", "/usr/lib/libdnnl.so.2"].some(
  (path) => {
    try {
      return Deno.statSync(path).isFile;
    } catch {
      return false;
    }
  },
);

/**
 * Runs `body` with convolutions and products on XNNPACK, then on the compiled product (where a
 * C compiler runs here it must build), then on oneDNN (where it loads; it must where oneDNN 2.x
 * is installed).
 */
async function onEveryPath(body: (path: string) => Promise<void>): Promise<void> {
  registerWasmTrainingKernels();
  await tf.setBackend("wasm");
  const onednnBefore = useOneDnn(false);
  const compiledBefore = useCompiledKernels(false);
  try {
    await body("XNNPACK");
    useCompiledKernels(true);
    const compiled = nativeGemmSource();
    if (compiled === null) {
      assert.ok(!C_COMPILER_RUNS, "a C compiler runs here but the compiled product did not build");
      console.log("no C compiler here: the compiled path was not tested");
    } else {
      assert.equal(compiled.kind, "compiled");
      await body(`compiled (${compiled.library})`);
    }
    useOneDnn(true);
    const library = oneDnnLibrary();
    if (library === null || !oneDnnConvolutions()) {
      assert.ok(!DNNL_INSTALLED, "libdnnl.so.2 is installed but its primitives did not load");
      console.log("oneDNN 2.x absent here: its path was not tested");
      return;
    }
    await body(`oneDNN (${library})`);
  } finally {
    useOneDnn(onednnBefore);
    useCompiledKernels(compiledBefore);
  }
}

Deno.test("wasm Conv2DBackpropFilter and Conv2DBackpropInput equal the cpu backend's (NHWC)", async () => {
  await onEveryPath(async (path) => {
    for (const [xShape, wShape, stride, pad] of CASES) {
      const reference = await convGradients("cpu", xShape, wShape, stride, pad);
      const wasm = await convGradients("wasm", xShape, wShape, stride, pad);
      assert.equal(wasm.length, reference.length);
      let worst = 0;
      for (let i = 0; i < wasm.length; i++) {
        worst = Math.max(
          worst,
          Math.abs(wasm[i] - reference[i]) / Math.max(1, Math.abs(reference[i])),
        );
      }
      assert.ok(
        worst <= 1e-5,
        `${path}: x ${xShape} w ${wShape} stride ${stride} ${pad}: max error ${worst} > 1e-5`,
      );
    }
  });
});

Deno.test("wasm Conv2D and FusedConv2D (bias; linear, ReLU, ELU) equal the cpu backend's", async () => {
  const activations = ["linear", "relu", "elu"] as const;
  await onEveryPath(async (path) => {
    for (const [xShape, wShape, stride, pad] of CASES) {
      for (const activation of activations) {
        const [cpu, wasm] = await onBothBackends(() => {
          const x = tf.randomUniform(xShape, -1, 1, "float32", 21) as tf.Tensor4D;
          const filter = tf.randomUniform(wShape, -1, 1, "float32", 22) as tf.Tensor4D;
          const bias = tf.randomUniform([wShape[3]], -1, 1, "float32", 23) as tf.Tensor1D;
          const plain = tf.conv2d(x, filter, stride, pad);
          const fused = tf.fused.conv2d({ x, filter, strides: stride, pad, bias, activation });
          return tf.concat([plain.flatten(), fused.flatten()]);
        });
        assert.ok(cpu.some((v) => v < -0.1), "the plain convolution has negative outputs");
        assertClose(wasm, cpu, `${path}: conv ${xShape} ${wShape} ${stride} ${pad} ${activation}`);
      }
    }
  });
});

/** Runs `f` on the cpu backend and on wasm (kernels registered) and returns both results. */
async function onBothBackends(f: () => tf.Tensor): Promise<[Float32Array, Float32Array]> {
  registerWasmTrainingKernels();
  const results: Float32Array[] = [];
  for (const backend of ["cpu", "wasm"]) {
    await tf.setBackend(backend);
    const y = tf.tidy(f);
    results.push(y.dataSync() as Float32Array);
    y.dispose();
  }
  return [results[0], results[1]];
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const error = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    assert.ok(error <= 1e-5, `${what}: element ${i} ${actual[i]} vs ${expected[i]}`);
  }
}

Deno.test("wasm convolutions over 70 batch sizes (more shapes than oneDNN's plans kept) equal cpu", async () => {
  await onEveryPath(async (path) => {
    const [cpu, wasm] = await onBothBackends(() => {
      const filter = tf.randomUniform([3, 3, 2, 3], -1, 1, "float32", 31) as tf.Tensor4D;
      const outputs = Array.from({ length: 70 }, (_, i) => {
        const x = tf.randomUniform([i + 1, 5, 5, 2], -1, 1, "float32", 32 + i) as tf.Tensor4D;
        return tf.conv2d(x, filter, 1, "same").flatten();
      });
      return tf.concat(outputs);
    });
    assertClose(wasm, cpu, `${path}: 70 batch sizes`);
  });
});

Deno.test("wasm BatchMatMul with transposed operands equals cpu (incl. broadcast batches)", async () => {
  await onEveryPath(() => batchMatMulCases());
});

async function batchMatMulCases(): Promise<void> {
  const cases: [number[], number[], boolean, boolean][] = [
    [[5, 7], [7, 3], false, false],
    [[7, 5], [7, 3], true, false],
    [[5, 7], [3, 7], false, true],
    [[7, 5], [3, 7], true, true],
    [[2, 7, 5], [2, 7, 3], true, false],
    [[2, 5, 7], [1, 3, 7], false, true],
    [[3, 2, 4, 6], [4, 5], true, false],
    [[2, 300, 200], [2, 100, 300], true, true], // above the small-product size
    [[2, 1, 4, 6], [1, 3, 6, 5], false, false], // batches that broadcast in parts
  ];
  for (const [aShape, bShape, ta, tb] of cases) {
    const [cpu, wasm] = await onBothBackends(() =>
      tf.matMul(
        tf.randomUniform(aShape, -1, 1, "float32", 3),
        tf.randomUniform(bShape, -1, 1, "float32", 4),
        ta,
        tb,
      )
    );
    assertClose(wasm, cpu, `matMul ${aShape} ${bShape} ${ta} ${tb}`);
  }
}

Deno.test("wasm Sum over leading axes (and the rest) equals cpu", async () => {
  const cases: [number[], number[], boolean][] = [
    [[4, 5, 6, 3], [0, 1, 2], false],
    [[4, 5, 6, 3], [0, 1, 2], true],
    [[4, 5, 6, 3], [0], false],
    [[7, 9], [0], false],
    [[4, 5, 6, 3], [1, 2], false],
    [[4, 5, 6, 3], [3], true],
    [[4, 5, 6, 3], [0, 1, 2, 3], false],
  ];
  for (const [shape, axes, keepDims] of cases) {
    const [cpu, wasm] = await onBothBackends(() =>
      tf.sum(tf.randomUniform(shape, -1, 1, "float32", 5), axes, keepDims)
    );
    assertClose(wasm, cpu, `sum ${shape} over ${axes} keepDims ${keepDims}`);
  }
});

Deno.test("wasm LstmRecurrence and its gradient equal cpu's tfjs-op recurrence (both directions)", async () => {
  // [batch, steps, hidden]; the projections are large enough to saturate some gates
  const cases: [number, number, number][] = [[3, 7, 4], [2, 32, 16], [1, 2, 8]];
  for (const [batch, steps, hidden] of cases) {
    for (const reverse of [false, true]) {
      const [cpu, wasm] = await onBothBackends(() => {
        const projected = tf.randomUniform([batch, steps, 4 * hidden], -4, 4, "float32", 3);
        const recurrent = tf.randomUniform([hidden, 4 * hidden], -1, 1, "float32", 4);
        const weights = tf.randomUniform([batch, steps, hidden], -1, 1, "float32", 6);
        const f = (p: tf.Tensor, r: tf.Tensor) =>
          tf.sum(tf.mul(lstmRecurrence(p as tf.Tensor3D, r as tf.Tensor2D, reverse), weights));
        const [dProjected, dRecurrent] = tf.grads(f)([projected, recurrent]);
        const h = lstmRecurrence(projected as tf.Tensor3D, recurrent as tf.Tensor2D, reverse);
        return tf.concat([h.flatten(), dProjected.flatten(), dRecurrent.flatten()]);
      });
      assert.ok(cpu.some((v) => Math.abs(v) > 0.1), "the outputs and gradients are not all ~0");
      assert.ok(wasmLstmAvailable(), "the wasm side ran the fused kernels");
      assertClose(wasm, cpu, `lstm ${batch}x${steps}x${hidden} reverse ${reverse}`);
    }
  }
});

Deno.test("wasm BatchNormTrain and its gradient equal cpu's tfjs-op batch norm (rank 2 and 4)", async () => {
  const shapes = [[6, 5], [3, 4, 5, 8], [2, 3, 3, 16]];
  for (const [shape, relu] of shapes.flatMap((s) => [[s, false], [s, true]] as const)) {
    const channels = shape[shape.length - 1];
    const [cpu, wasm] = await onBothBackends(() => {
      const store = new ParameterStore(0);
      createBatchNorm(store, "norm", channels);
      // scale and shift away from 1 and 0, and x off-centre, so every term of the gradient counts
      store.get("norm/gamma").assign(tf.randomUniform([channels], 0.5, 2, "float32", 7));
      store.get("norm/beta").assign(tf.randomUniform([channels], -1, 1, "float32", 8));
      const x = tf.variable(tf.randomUniform(shape, 1, 5, "float32", 9));
      const weights = tf.randomUniform(shape, -1, 1, "float32", 10);
      const updates: BatchNormUpdate[] = [];
      const normalised = batchNorm(store, "norm", x as tf.Tensor2D, true, updates, relu);
      const { mean, variance } = updates[0];
      const variables = [x, store.get("norm/gamma"), store.get("norm/beta")];
      const { grads } = tf.variableGrads(
        () =>
          tf.sum(tf.mul(batchNorm(store, "norm", x as tf.Tensor2D, true, updates, relu), weights)),
        variables,
      );
      const [dx, dGamma, dBeta] = variables.map((v) => grads[v.name]);
      x.dispose();
      const out = tf.concat(
        [normalised, dx, dGamma, dBeta, mean, variance].map((t) => t.flatten()),
      );
      tf.dispose(updates.flatMap((u) => [u.mean, u.variance]));
      return out;
    });
    assert.ok(cpu.some((v) => Math.abs(v) > 0.1), "the outputs and gradients are not all ~0");
    assert.ok(wasmBatchNormAvailable(), "the wasm side ran the fused kernels");
    assertClose(wasm, cpu, `batch norm ${shape}${relu ? " + relu" : ""}`);
  }
});

Deno.test("wasm MaxPoolGrad of a global window equals cpu", async () => {
  // other windows go to tfjs's own wasm kernel (which differs from cpu's at a few positions)
  const shapes: [number, number, number, number][] = [[6, 4, 4, 16], [3, 5, 3, 8], [4, 1, 1, 5]];
  for (const shape of shapes) {
    const [cpu, wasm] = await onBothBackends(() => {
      const x = tf.randomUniform(shape, -1, 1, "float32", 11) as tf.Tensor4D;
      const size: [number, number] = [shape[1], shape[2]];
      const pooled = (t: tf.Tensor4D) => tf.maxPool(t, size, size, "valid");
      const weights = tf.randomUniform(pooled(x).shape, -1, 1, "float32", 12);
      return tf.grad((t) => tf.sum(tf.mul(pooled(t as tf.Tensor4D), weights)))(x);
    });
    assert.ok(cpu.some((v) => v !== 0), "some gradient reaches the input");
    assertClose(wasm, cpu, `global max pool grad ${shape}`);
  }
});

Deno.test("wasm Identity shares data and survives disposal of the source", async () => {
  registerWasmTrainingKernels();
  await tf.setBackend("wasm");
  const x = tf.tensor1d([1, 2, 3]);
  const copy = tf.clone(x);
  x.dispose();
  assert.deepEqual(Array.from(await copy.data()), [1, 2, 3]);
  copy.dispose();
});

/** c [m, n] = a [m, k] @ b [k, n]. */
function naiveMatMul(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
) {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p];
      for (let j = 0; j < n; j++) c[i * n + j] += aip * b[p * n + j];
    }
  }
  return c;
}

Deno.test("JavaScript im2colTransposed / col2im (the fallback loops) give cpu's gradients", async () => {
  for (const [xShape, wShape, stride, pad] of CASES) {
    const reference = await convGradients("cpu", xShape, wShape, stride, pad); // [dW, dx]
    const [x, w, dy] = tf.tidy(() => {
      const x = tf.randomUniform(xShape, -1, 1, "float32", 11) as tf.Tensor4D;
      const w = tf.randomUniform(wShape, -1, 1, "float32", 12) as tf.Tensor4D;
      const y = tf.conv2d(x, w, stride, pad);
      return [x, w, tf.randomUniform(y.shape, -1, 1, "float32", 13)].map((t) => t.dataSync());
    }) as Float32Array[];
    const conv = tf.backend_util.computeConv2DInfo(xShape, wShape, stride, 1, pad);
    const rows = conv.batchSize * conv.outHeight * conv.outWidth;
    const patch = conv.filterHeight * conv.filterWidth * conv.inChannels;
    const colT = new Float32Array(patch * rows);
    im2colTransposed(x, conv, colT);
    const dw = naiveMatMul(colT, dy, patch, rows, conv.outChannels);
    // W^T [outC, patch] from W [patch, outC]
    const wT = new Float32Array(patch * conv.outChannels);
    for (let r = 0; r < patch; r++) {
      for (let o = 0; o < conv.outChannels; o++) wT[o * patch + r] = w[r * conv.outChannels + o];
    }
    const dx = new Float32Array(x.length);
    col2im(naiveMatMul(dy, wT, rows, conv.outChannels, patch), conv, dx);
    const combined = new Float32Array(dw.length + dx.length);
    combined.set(dw);
    combined.set(dx, dw.length);
    assertClose(combined, reference, `js loops x ${xShape} w ${wShape} stride ${stride} ${pad}`);
  }
});

Deno.test("wasm Reverse (each axis, several axes) equals cpu", async () => {
  const cases: [number[], number[]][] = [
    [[32, 4, 6], [0]],
    [[5], [0]],
    [[3, 4, 5], [1]],
    [[2, 3, 40, 35], [2]],
    [[2, 5, 64, 3], [2]],
    [[2, 5, 4, 3], [3]],
    [[3, 4, 5], [0, 2]],
    [[3, 4], [-1]],
  ];
  for (const [shape, axes] of cases) {
    const [cpu, wasm] = await onBothBackends(() =>
      tf.reverse(tf.randomUniform(shape, -1, 1, "float32", 7), axes)
    );
    assertClose(wasm, cpu, `reverse ${shape} over ${axes}`);
  }
});
