/**
 * The LSTM recurrence of one direction as two wasm kernels (recurrence_loops.c on the heap):
 * "LstmRecurrence" runs every time step in one call and keeps the gate activations and cells
 * for "LstmRecurrenceGrad", which runs backpropagation through time in one call. Built from
 * tfjs ops, the same recurrence costs ~15 kernels per step forward and ~30 backward, each a few
 * microseconds of work behind tens of microseconds of dispatch.
 *
 * `lstmRecurrence` in ../layers.ts uses these kernels on wasm and tfjs ops elsewhere.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import type { BackendWasm } from "@tensorflow/tfjs-backend-wasm";
import { heapKernelReady, requiredHeapModule } from "./heap_module.ts";

type RecurrenceExports = {
  lstm_forward(
    projected: number,
    recurrent: number,
    gates: number,
    cells: number,
    h: number,
    batch: number,
    steps: number,
    hidden: number,
    reverse: number,
  ): void;
  lstm_backward(
    dH: number,
    gates: number,
    cells: number,
    h: number,
    recurrent: number,
    dProjected: number,
    dRecurrent: number,
    carry: number,
    batch: number,
    steps: number,
    hidden: number,
    reverse: number,
  ): void;
};

type RecurrenceAttrs = { reverse: boolean };

/** projected [batch, steps, 4H], recurrent [H, 4H] -> [h, gates, cells]. */
function lstmRecurrenceKernel({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]) {
  const wasm = backend as BackendWasm;
  const { projected, recurrent } = inputs as { projected: tf.TensorInfo; recurrent: tf.TensorInfo };
  const [batch, steps, width] = projected.shape;
  const hidden = width / 4;
  const h = wasm.makeOutput([batch, steps, hidden], "float32");
  const gates = wasm.makeOutput([batch, steps, width], "float32");
  const cells = wasm.makeOutput([batch, steps, hidden], "float32");
  const at = (x: tf.TensorInfo) => wasm.getMemoryOffset(x.dataId);
  const { reverse } = attrs as unknown as RecurrenceAttrs;
  requiredHeapModule<RecurrenceExports>(wasm, "recurrence_loops", "LstmRecurrence").lstm_forward(
    at(projected),
    at(recurrent),
    at(gates),
    at(cells),
    at(h),
    batch,
    steps,
    hidden,
    reverse ? 1 : 0,
  );
  return [h, gates, cells];
}

/** dH [batch, steps, H] and the forward's saved tensors -> [dProjected, dRecurrent]. */
function lstmRecurrenceGradKernel({ inputs, backend, attrs }: Parameters<tf.KernelFunc>[0]) {
  const wasm = backend as BackendWasm;
  const { dH, gates, cells, h, recurrent } = inputs as Record<string, tf.TensorInfo>;
  const [batch, steps, hidden] = h.shape;
  const dProjected = wasm.makeOutput([batch, steps, 4 * hidden], "float32");
  const dRecurrent = wasm.makeOutput([hidden, 4 * hidden], "float32");
  const carry = wasm.makeOutput([2, batch, hidden], "float32");
  const at = (x: tf.TensorInfo) => wasm.getMemoryOffset(x.dataId);
  const { reverse } = attrs as unknown as RecurrenceAttrs;
  requiredHeapModule<RecurrenceExports>(wasm, "recurrence_loops", "LstmRecurrence").lstm_backward(
    at(dH),
    at(gates),
    at(cells),
    at(h),
    at(recurrent),
    at(dProjected),
    at(dRecurrent),
    at(carry),
    batch,
    steps,
    hidden,
    reverse ? 1 : 0,
  );
  wasm.disposeData(carry.dataId);
  return [dProjected, dRecurrent];
}

/**
 * Whether the fused recurrence can run on the current backend (wasm with the compiled loops).
 *
 * @example
 * ```ts ignore
 * const fused = wasmLstmAvailable(); // false on cpu, webgpu, tensorflow
 * ```
 */
export function wasmLstmAvailable(): boolean {
  return heapKernelReady("LstmRecurrence", "recurrence_loops");
}

/**
 * One direction of an LSTM on the wasm kernels: h [batch, steps, H] from the input projections
 * (bias included) [batch, steps, 4H] and the recurrent weights [H, 4H], with its gradient.
 * Call only where `wasmLstmAvailable()`.
 *
 * @example
 * ```ts ignore
 * const h = wasmLstmRecurrence(projected, recurrent, false); // [batch, steps, H]
 * ```
 */
export function wasmLstmRecurrence(
  projected: tf.Tensor3D,
  recurrent: tf.Tensor2D,
  reverse: boolean,
): tf.Tensor3D {
  const attrs = { reverse } as unknown as tf.NamedAttrMap;
  const run = tf.customGrad((p, r, save) => {
    const [h, gates, cells] = tf.engine().runKernel(
      "LstmRecurrence",
      { projected: p as tf.Tensor, recurrent: r as tf.Tensor },
      attrs,
    ) as tf.Tensor[];
    (save as tf.GradSaveFunc)([gates, cells, h, r as tf.Tensor]);
    return {
      value: h,
      gradFunc: (dH: tf.Tensor, saved: tf.Tensor[]) => {
        const [g, c, hs, w] = saved;
        return tf.engine().runKernel(
          "LstmRecurrenceGrad",
          { dH, gates: g, cells: c, h: hs, recurrent: w },
          attrs,
        ) as tf.Tensor[];
      },
    };
  });
  return run(projected, recurrent) as tf.Tensor3D;
}

/**
 * Registers LstmRecurrence and LstmRecurrenceGrad for the "wasm" backend (idempotent).
 *
 * @example
 * ```ts ignore
 * registerWasmLstm();
 * await tf.setBackend("wasm");
 * ```
 */
export function registerWasmLstm(): void {
  if (tf.getKernel("LstmRecurrence", "wasm") !== undefined) return;
  tf.registerKernel({
    kernelName: "LstmRecurrence",
    backendName: "wasm",
    kernelFunc: lstmRecurrenceKernel as unknown as tf.KernelFunc,
  });
  tf.registerKernel({
    kernelName: "LstmRecurrenceGrad",
    backendName: "wasm",
    kernelFunc: lstmRecurrenceGradKernel as unknown as tf.KernelFunc,
  });
}
