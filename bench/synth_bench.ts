/**
 * Benchmark: time to generate the synthetic demo dataset (`deno task synth --profile demo`)
 * into a temporary folder, and the in-memory generation time of one exam per profile.
 *
 * ```sh
 * deno run -A bench/synth_bench.ts [--exams 1000] [--workers 2] [--profile demo]
 * ```
 *
 * Prints one JSON line: wall seconds, exams/s, files written, bytes, and per-exam generation
 * milliseconds (median of up to 20 exams, no disk I/O).
 */
import { z } from "zod";
import { parseFlags } from "../src/cli/flags.ts";
import { synthesizeDataset } from "../src/data/phantom/dataset.ts";
import { generateExam } from "../src/data/phantom/exam.ts";
import { examPlans } from "../src/data/phantom/schedule.ts";
import { phantomProfile, profileNameSchema } from "../src/data/phantom/profile.ts";

const flags = parseFlags(
  Deno.args,
  z.object({
    exams: z.coerce.number().int().min(1).default(1000),
    workers: z.coerce.number().int().min(1).default(2),
    profile: profileNameSchema.default("demo"),
  }),
  "synth_bench",
);

const profile = phantomProfile(flags.profile);
const plans = examPlans(0, Math.min(20, flags.exams));
const perExam: number[] = [];
generateExam(0, profile, plans[0]); // warm-up (JIT)
for (const plan of plans) {
  const t0 = performance.now();
  generateExam(0, profile, plan);
  perExam.push(performance.now() - t0);
}
perExam.sort((a, b) => a - b);

const out = await Deno.makeTempDir({ prefix: "synth-bench-" });
const t0 = performance.now();
const summary = await synthesizeDataset(out, {
  profile: flags.profile,
  seed: 0,
  exams: flags.exams,
}, {
  workers: flags.workers,
});
const seconds = (performance.now() - t0) / 1000;
let files = 0, bytes = 0;
for (const study of Deno.readDirSync(out)) {
  if (!study.isDirectory || study.name.startsWith(".")) continue;
  for (const series of Deno.readDirSync(`${out}/${study.name}`)) {
    for (const file of Deno.readDirSync(`${out}/${study.name}/${series.name}`)) {
      files++;
      bytes += Deno.statSync(`${out}/${study.name}/${series.name}/${file.name}`).size;
    }
  }
}
await Deno.remove(out, { recursive: true });
console.log(JSON.stringify({
  bench: "synth",
  profile: flags.profile,
  exams: summary.exams,
  workers: flags.workers,
  seconds: Number(seconds.toFixed(1)),
  examsPerSecond: Number((summary.exams / seconds).toFixed(2)),
  files,
  megabytes: Number((bytes / 1e6).toFixed(1)),
  generateMsMedian: Number(perExam[perExam.length >> 1].toFixed(1)),
  cpus: navigator.hardwareConcurrency,
  loadAverage: Deno.loadavg(),
}));
