/**
 * The `deno task` entry points. Each command lives in `src/cli/<command>.ts` and exports
 * `main(args)`; this file only dispatches, so a command loads nothing it does not use.
 *
 * @example
 * ```sh
 * deno run -A src/cli.ts evaluate --predictions data-manifests/example-predictions.csv --out out
 * ```
 */
import { errorMessage } from "./io/errors.ts";

type Command = { main(args: string[]): Promise<unknown> };

const commands: Record<string, () => Promise<Command>> = {
  "allocate-experiment": () => import("./cli/allocate_experiment.ts"),
  clean: () => import("./cli/clean.ts"),
  demo: () => import("./cli/demo.ts"),
  evaluate: () => import("./cli/evaluate.ts"),
  explain: () => import("./cli/explain.ts"),
  notebooks: () => import("./cli/notebooks.ts"),
  predict: () => import("./cli/predict.ts"),
  preprocess: () => import("./cli/preprocess.ts"),
  slurm: () => import("./cli/slurm.ts"),
  synth: () => import("./cli/synth.ts"),
  seeds: () => import("./cli/seeds.ts"),
  sweep: () => import("./cli/sweep.ts"),
  train: () => import("./cli/train.ts"),
};

if (import.meta.main) {
  const [name, ...args] = Deno.args;
  const load = commands[name ?? ""];
  if (!load) {
    console.error(
      `usage: deno task <command> [flags]\ncommands: ${Object.keys(commands).join(", ")}`,
    );
    Deno.exit(2);
  }
  try {
    await (await load()).main(args);
  } catch (error) {
    console.error(`error: ${errorMessage(error)}`);
    Deno.exit(1);
  }
}
