/**
 * The network's parameters: named tf.Variables created with seeded Glorot-uniform weights
 * (zeros for biases), so the same seed gives the same initial network on every backend.
 *
 * @example
 * ```ts
 * import { ParameterStore } from "./params.ts";
 * const store = new ParameterStore(7);
 * const kernel = store.glorot("dense/kernel", [64, 1]); // Variable [64, 1]
 * store.dispose();
 * ```
 */
import * as tf from "@tensorflow/tfjs";
import { Rng } from "../util/random.ts";

/** Named variables of one network; trainable ones are the optimizer's, the rest are state. */
export class ParameterStore {
  readonly variables = new Map<string, tf.Variable>();
  private readonly random: Rng;

  constructor(seed: number) {
    this.random = new Rng(seed);
  }

  /** Glorot-uniform initialised trainable weight; fan-in/out from the last two axes x kernel. */
  glorot(name: string, shape: number[]): tf.Variable {
    const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
    const fanIn = shape[shape.length - 2] * receptive;
    const fanOut = shape[shape.length - 1] * receptive;
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    for (let i = 0; i < size; i++) values[i] = (this.random.uniform() * 2 - 1) * limit;
    return this.values(name, shape, values);
  }

  /** Constant-filled weight (biases, norm scales) or non-trainable state. */
  constant(name: string, shape: number[], value: number, trainable = true): tf.Variable {
    return this.add(name, tf.fill(shape, value), trainable);
  }

  /** Trainable weight with the given initial values. */
  values(name: string, shape: number[], values: Float32Array): tf.Variable {
    return this.add(name, tf.tensor(values, shape), true);
  }

  /** The variable called `name`; throws when it does not exist. */
  get(name: string): tf.Variable {
    const variable = this.variables.get(name);
    if (!variable) throw new Error(`no parameter '${name}'`);
    return variable;
  }

  /** Trainable variables, in creation order. */
  trainable(): tf.Variable[] {
    return [...this.variables.values()].filter((v) => v.trainable);
  }

  /** Every variable by name (weights and state), e.g. for a checkpoint. */
  named(): Record<string, tf.Tensor> {
    return Object.fromEntries(this.variables);
  }

  /** Overwrite every variable from `tensors` (same names and shapes; extra names are errors). */
  assign(tensors: Record<string, tf.Tensor>, source: string): void {
    for (const [name, variable] of this.variables) {
      const value = tensors[name];
      if (!value) {
        throw new Error(
          `${source}: missing weight '${name}'; fix: use a checkpoint of this model configuration`,
        );
      }
      if (value.shape.join("x") !== variable.shape.join("x")) {
        throw new Error(
          `${source}: weight '${name}' has shape [${value.shape}] but the model needs [${variable.shape}]; fix: use a checkpoint of this model configuration`,
        );
      }
      variable.assign(value);
    }
    const extra = Object.keys(tensors).filter((name) => !this.variables.has(name));
    if (extra.length > 0) {
      throw new Error(
        `${source}: unknown weights ${
          extra.join(", ")
        }; fix: use a checkpoint of this model configuration`,
      );
    }
  }

  /** Free every variable. */
  dispose(): void {
    for (const variable of this.variables.values()) variable.dispose();
    this.variables.clear();
  }

  private add(name: string, init: tf.Tensor, trainable: boolean): tf.Variable {
    if (this.variables.has(name)) throw new Error(`parameter '${name}' exists already`);
    const variable = tf.variable(init, trainable);
    init.dispose();
    this.variables.set(name, variable);
    return variable;
  }
}
