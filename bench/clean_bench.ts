/**
 * Speed and memory of the label-table cleaning on a RSPECT-sized train.csv: 7,279 studies,
 * 1.79 M rows (slice counts drawn 150..342, seeded), a series folder for all but every 60th
 * study (the folder check runs; the DICOM check does not). The cleaning runs in a fresh child
 * process; its peak RSS is Linux's VmHWM, which counts polars' native memory.
 * Target: under 3 s and under 1 GB.
 *
 * @example
 * ```sh
 * deno run -A bench/clean_bench.ts            # prints seconds and peak RSS
 * deno run -A bench/clean_bench.ts --keep     # keep the temp folder
 * ```
 */
import { join } from "node:path";
import { cleanRspect, rspectColumns } from "../src/data/rspect/mod.ts";
import { Rng } from "../src/util/random.ts";

const measureAt = Deno.args.indexOf("--measure");
if (measureAt >= 0) {
  await measure(Deno.args[measureAt + 1]);
} else {
  const dir = await Deno.makeTempDir({ prefix: "clean-bench-" });
  await generate(dir);
  // measure in a fresh process, so its memory is the cleaning's alone
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(import.meta.url).pathname, "--measure", dir],
    stdout: "inherit",
    stderr: "inherit",
  });
  const { success } = await child.output();
  if (!Deno.args.includes("--keep")) await Deno.remove(dir, { recursive: true });
  if (!success) Deno.exit(1);
}

/** Write train.csv (1.79 M rows) and the series folders (all but every 60th study). */
async function generate(dir: string): Promise<void> {
  const studies = 7279;
  const rng = new Rng(2020);
  const lines: string[] = [rspectColumns.join(",")];
  let rows = 0;
  const write = async (path: string) => {
    const file = await Deno.open(path, { write: true, create: true, truncate: true });
    const encoder = new TextEncoder();
    await file.write(encoder.encode(`${lines[0]}\n`));
    let chunk: string[] = [];
    for (let s = 0; s < studies; s++) {
      const study = `1.2.826.0.1.3680043.8.498.${10000000000 + s * 7919}`;
      const series = `${study}.${1 + rng.int(9)}`;
      const slices = 150 + rng.int(193);
      const positive = rng.chance(0.32);
      const central = positive && rng.chance(0.18) ? 1 : 0;
      const indeterminate = !positive && rng.chance(0.02) ? 1 : 0;
      const from = rng.int(slices - 40), to = from + 5 + rng.int(30);
      for (let k = 0; k < slices; k++) {
        const pe = positive && k >= from && k < to ? 1 : 0;
        chunk.push(
          `${study},${series},${series}.${100000 + k * 13},${pe},${
            positive || indeterminate ? 0 : 1
          },` +
            `0,0,0,${positive ? 1 : 0},0,${positive ? 1 : 0},0,0,${
              positive ? 1 : 0
            },0,${central},${indeterminate}`,
        );
        rows++;
      }
      if (chunk.length > 50000) {
        await file.write(encoder.encode(`${chunk.join("\n")}\n`));
        chunk = [];
      }
      if (s % 60 !== 0) await Deno.mkdir(join(dir, "train", study, series), { recursive: true });
    }
    await file.write(encoder.encode(`${chunk.join("\n")}\n`));
    file.close();
  };
  const labels = join(dir, "train.csv");
  await write(labels);
  console.log(`generated ${labels}: ${rows} rows, ${studies} studies`);
}

/** Run the cleaning on the generated tree and print time and peak RSS. */
async function measure(dir: string): Promise<void> {
  const labels = join(dir, "train.csv");
  const baseline = Deno.memoryUsage().rss;
  const t0 = performance.now();
  let last = t0;
  const steps: string[] = [];
  const { summary } = await cleanRspect({
    data: join(dir, "train"),
    labels,
    out: join(dir, "out"),
    seed: 0,
  }, {
    onStep: (step) => {
      const now = performance.now();
      steps.push(`${((now - last) / 1000).toFixed(2)} s, then ${step.split(" ")[0]}`);
      last = now;
    },
  });
  const seconds = (performance.now() - t0) / 1000;
  // peak resident memory of this process (Linux VmHWM), which polars' native memory counts in
  const status = await Deno.readTextFile("/proc/self/status").catch(() => "");
  const hwm = /VmHWM:\s+(\d+) kB/.exec(status);
  const peak = hwm ? Number(hwm[1]) * 1024 : Deno.memoryUsage().rss;
  steps.push(`${((performance.now() - last) / 1000).toFixed(2)} s`);
  console.log(`steps: ${steps.join("; ")}`);
  console.log(
    `clean: ${seconds.toFixed(2)} s, RSS before ${(baseline / 2 ** 20).toFixed(0)} MiB, peak RSS ${
      (peak / 2 ** 20).toFixed(0)
    } MiB, ` +
      `${summary.included} included, ${summary.excluded} excluded ${
        JSON.stringify(summary.byReason)
      }`,
  );
}
