/**
 * Runs every benchmark in bench/ one after another (or those named on the command line), each in
 * its own process so one benchmark's memory and threads never disturb the next. Each prints its own
 * numbers and, where a peer tool exists on the machine, the peer's numbers from the same command.
 *
 * @example
 * ```sh
 * deno task bench                    # all benchmarks
 * deno task bench stats evaluate     # bench/stats_bench.ts and bench/evaluate_bench.ts only
 * ```
 */
import { fileURLToPath } from "node:url";

/** Benchmark name -> the deno arguments that run it (deno bench for Deno.bench files). */
const benchmarks: Record<string, string[]> = {
  stats: ["run", "-A", "bench/stats_bench.ts"],
  evaluate: ["bench", "-A", "bench/evaluate_bench.ts"],
  io: ["run", "-A", "bench/io_bench.ts"],
  clean: ["run", "-A", "bench/clean_bench.ts"],
  synth: ["run", "-A", "bench/synth_bench.ts"],
  shortcut: ["run", "-A", "bench/shortcut_probe.ts"],
  preprocess: ["run", "-A", "bench/preprocess_bench.ts"],
  train: ["run", "-A", "bench/train_throughput.ts", "--backend", "wasm"],
  gradcam: ["run", "-A", "bench/gradcam_bench.ts"],
  predict: ["run", "-A", "bench/predict_bench.ts"],
};

if (import.meta.main) {
  const unknown = Deno.args.filter((name) => !(name in benchmarks));
  if (unknown.length > 0) {
    console.error(
      `unknown benchmark ${unknown.join(", ")}; choose from ${Object.keys(benchmarks).join(", ")}`,
    );
    Deno.exit(2);
  }
  const names = Deno.args.length > 0 ? Deno.args : Object.keys(benchmarks);
  const root = fileURLToPath(new URL("..", import.meta.url));
  let failed = 0;
  for (const name of names) {
    console.log(`\n== ${name}: deno ${benchmarks[name].join(" ")}`);
    const status = await new Deno.Command(Deno.execPath(), {
      args: benchmarks[name],
      cwd: root,
      env: { RUST_BACKTRACE: "0", NO_COLOR: "1" },
    }).spawn().status;
    if (!status.success) failed++;
  }
  if (failed > 0) Deno.exit(1);
}
