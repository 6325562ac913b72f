/**
 * Adam (Kingma & Ba 2015) over a network's trainable variables, with the learning rate set per
 * step (for the cosine schedule), optional decoupled weight decay (AdamW, the published
 * code's optimizer), and state that can be saved and restored exactly for resuming a run.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { Adam } from "./optimizer.ts";
 * const w = tf.variable(tf.scalar(1));
 * const adam = new Adam([["w", w]]);
 * adam.step({ w: tf.scalar(0.5) }, 1e-3); // w <- 1 - 1e-3
 * ```
 */
import * as tf from "@tensorflow/tfjs";

/** Adam hyper-parameters (PyTorch defaults). */
export interface AdamOptions {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Decoupled weight decay (AdamW); 0 = plain Adam. */
  weightDecay?: number;
}

/** Adam with first/second moment state per named variable. */
export class Adam {
  /** Steps taken so far (bias correction uses it). */
  steps = 0;
  private readonly moments = new Map<string, { m: tf.Variable; v: tf.Variable }>();
  private readonly beta1: number;
  private readonly beta2: number;
  private readonly epsilon: number;
  private readonly weightDecay: number;

  constructor(
    private readonly parameters: ReadonlyArray<readonly [string, tf.Variable]>,
    options: AdamOptions = {},
  ) {
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-8;
    this.weightDecay = options.weightDecay ?? 0;
    for (const [name, variable] of parameters) {
      const zeros = tf.zerosLike(variable);
      this.moments.set(name, { m: tf.variable(zeros, false), v: tf.variable(zeros, false) });
      zeros.dispose();
    }
  }

  /**
   * One update with gradients by parameter name (disposed here) at learning rate `lr`;
   * parameters without a gradient are left alone, moments included (as PyTorch does).
   */
  step(grads: Record<string, tf.Tensor>, lr: number): void {
    this.steps++;
    const c1 = 1 - this.beta1 ** this.steps;
    const c2 = 1 - this.beta2 ** this.steps;
    tf.tidy(() => {
      for (const [name, variable] of this.parameters) {
        const g = grads[name];
        if (!g) continue; // not used by this loss (e.g. the slice head at fraction 0)
        const { m, v } = this.moments.get(name)!;
        m.assign(tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1)));
        v.assign(tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2)));
        const update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), this.epsilon));
        let next = tf.sub(variable, tf.mul(update, lr));
        if (this.weightDecay > 0) next = tf.sub(next, tf.mul(variable, lr * this.weightDecay));
        variable.assign(next);
      }
    });
    tf.dispose(Object.values(grads));
  }

  /** The optimised variables (for `tf.variableGrads`). */
  variables(): tf.Variable[] {
    return this.parameters.map(([, variable]) => variable);
  }

  /** Re-key gradients from tf's variable names (as `tf.variableGrads` returns them) to ours. */
  byParameterName(grads: Record<string, tf.Tensor>): Record<string, tf.Tensor> {
    return Object.fromEntries(
      this.parameters.filter(([, v]) => grads[v.name]).map(([name, v]) => [name, grads[v.name]]),
    );
  }

  /** Moment tensors by `name/m` and `name/v` (views of the live state; do not dispose). */
  state(): Record<string, tf.Tensor> {
    const named: Record<string, tf.Tensor> = {};
    for (const [name, { m, v }] of this.moments) {
      named[`${name}/m`] = m;
      named[`${name}/v`] = v;
    }
    return named;
  }

  /** Restore moments and the step count saved by `state()` and `steps`. */
  restore(tensors: Record<string, tf.Tensor>, steps: number, source: string): void {
    for (const [name, { m, v }] of this.moments) {
      const savedM = tensors[`${name}/m`];
      const savedV = tensors[`${name}/v`];
      if (!savedM || !savedV) {
        throw new Error(
          `${source}: no optimizer state for '${name}'; fix: delete the run folder to start it again`,
        );
      }
      m.assign(savedM);
      v.assign(savedV);
    }
    this.steps = steps;
  }

  /** Free the moment variables. */
  dispose(): void {
    for (const { m, v } of this.moments.values()) tf.dispose([m, v]);
    this.moments.clear();
  }
}

/**
 * Scale gradients so their global L2 norm is at most `maxNorm` (PyTorch's clip_grad_norm_:
 * factor min(1, maxNorm / (norm + 1e-6))); returns new tensors and disposes the inputs.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { clipByGlobalNorm } from "./optimizer.ts";
 * const { grads, norm } = clipByGlobalNorm({ a: tf.tensor1d([3]), b: tf.tensor1d([4]) }, 1);
 * // norm = 5; grads.a = [0.6], grads.b = [0.8]
 * ```
 */
export function clipByGlobalNorm(
  grads: Record<string, tf.Tensor>,
  maxNorm: number,
): { grads: Record<string, tf.Tensor>; norm: number } {
  const tensors = Object.values(grads);
  const norm = Math.sqrt(
    tf.tidy(() => tf.addN(tensors.map((g) => tf.sum(tf.square(g))))).dataSync()[0],
  );
  const factor = Math.min(1, maxNorm / (norm + 1e-6));
  const clipped = Object.fromEntries(
    Object.entries(grads).map(([name, g]) => [name, tf.mul(g, factor)]),
  );
  tf.dispose(tensors);
  return { grads: clipped, norm };
}
