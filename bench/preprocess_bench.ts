/**
 * Speed of exam preparation on a 250-slice 512 x 512 chest-like DICOM series (synthetic: body,
 * table, field-of-view padding, two lungs with vessels, trachea, stomach gas), against the same
 * steps in NumPy / SciPy (bench/preprocess_peer.py), measured in one run, and throughput of the
 * worker pool with 1 and 2 workers.
 *
 * Targets: full preparation (decode, HU, lung mask, crop, window, resample to 184 x 256 x 256)
 * in at most 2 s on one core and no slower than the peer; 2 workers at least 1.7 x one worker.
 *
 * @example
 * ```sh
 * deno run -A bench/preprocess_bench.ts                 # all three measurements
 * deno run -A bench/preprocess_bench.ts --exams 6 --repeat 3 --keep
 * deno run -A bench/preprocess_bench.ts --throughput-only     # 16 exams, 1 vs 2 workers
 * ```
 */
import { join } from "node:path";
import process from "node:process";
import { parseFlags } from "../src/cli/flags.ts";
import { readDicomSeries } from "../src/io/mod.ts";
import { preprocessManifest, resampleVoi, segmentLungs } from "../src/preprocess/mod.ts";
import {
  syntheticChest,
  writeManifest,
  writeVolumeAsDicom,
} from "../tests/preprocess/_fixtures.ts";
import { z } from "zod";

const flags = parseFlags(
  Deno.args,
  z.object({
    slices: z.coerce.number().int().default(250),
    matrix: z.coerce.number().int().default(512),
    exams: z.coerce.number().int().min(0).default(16),
    repeat: z.coerce.number().int().min(1).default(3),
    stride: z.coerce.number().int().default(2),
    keep: z.boolean().default(false),
    /** Only the worker-pool throughput (no single-exam timing, no peer). */
    throughputOnly: z.boolean().default(false),
  }),
  "preprocess_bench",
);
const size: [number, number, number] = [184, 256, 256];
const root = await Deno.makeTempDir({ prefix: "preprocess-bench-" });
const study = "1.2.826.0.1.3680043.2.1125.1";
const series = `${study}.1`;
const seriesDir = join(root, "data", study, series);
{
  const { volume } = syntheticChest([flags.slices, flags.matrix, flags.matrix], {
    spacing: [1.25, 0.7, 0.7],
  });
  await writeVolumeAsDicom(seriesDir, volume, { study, series });
}
console.log(`series: ${flags.slices} x ${flags.matrix} x ${flags.matrix} in ${seriesDir}`);

/** CPU seconds of this process (user + system) since `from`. */
function cpuSince(from: { user: number; system: number }): number {
  const now = process.cpuUsage(from);
  return (now.user + now.system) / 1e6;
}

async function ours() {
  const wall: Record<string, number> = {};
  const cpu: Record<string, number> = {};
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const volume = await readDicomSeries(seriesDir);
  wall.decode = (performance.now() - t0) / 1e3;
  cpu.decode = cpuSince(c0);
  let c = process.cpuUsage();
  let t = performance.now();
  const mask = segmentLungs(volume, { stride: flags.stride });
  wall.mask = (performance.now() - t) / 1e3;
  cpu.mask = cpuSince(c);
  c = process.cpuUsage();
  t = performance.now();
  const voxels = resampleVoi(volume, mask.voi!, size, new Uint8Array(size[0] * size[1] * size[2]));
  wall.resample = (performance.now() - t) / 1e3;
  cpu.resample = cpuSince(c);
  wall.total = (performance.now() - t0) / 1e3;
  cpu.total = cpuSince(c0);
  return { wall, cpu, voi: mask.voi, voxels };
}

async function peer() {
  const out = join(root, "peer.u8");
  const result = await new Deno.Command("/usr/bin/python3", {
    args: [
      new URL("./preprocess_peer.py", import.meta.url).pathname,
      seriesDir,
      "--repeat",
      String(flags.repeat),
      "--stride",
      String(flags.stride),
      "--out",
      out,
    ],
    env: { OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!result.success) throw new Error(new TextDecoder().decode(result.stderr));
  const parsed = JSON.parse(new TextDecoder().decode(result.stdout));
  return { ...parsed, voxels: await Deno.readFile(out) };
}

if (!flags.throughputOnly) {
  const best = { wall: {} as Record<string, number>, cpu: {} as Record<string, number> };
  let last: Awaited<ReturnType<typeof ours>> | null = null;
  for (let r = 0; r < flags.repeat; r++) {
    last = await ours();
    for (const kind of ["wall", "cpu"] as const) {
      for (const [k, v] of Object.entries(last[kind])) {
        best[kind][k] = Math.min(best[kind][k] ?? Infinity, v);
      }
    }
  }
  const peerResult = await peer();
  const fmt = (s: Record<string, number>) =>
    Object.entries(s).map(([k, v]) => `${k} ${v.toFixed(3)}`).join(", ");
  console.log(`ours (Deno, 1 thread, best of ${flags.repeat}) wall: ${fmt(best.wall)} s`);
  console.log(`ours                              cpu:  ${fmt(best.cpu)} s`);
  console.log(`peer (NumPy/SciPy, best of ${flags.repeat}) wall: ${fmt(peerResult.seconds)} s`);
  console.log(`peer                              cpu:  ${fmt(peerResult.cpu)} s`);
  console.log(`VOI ours ${JSON.stringify(last!.voi)}, peer ${JSON.stringify(peerResult.voi)}`);
  console.log(
    `peer / ours (total): wall ${(peerResult.seconds.total / best.wall.total).toFixed(2)}, ` +
      `cpu ${(peerResult.cpu.total / best.cpu.total).toFixed(2)}`,
  );
  if (JSON.stringify(peerResult.voi) === JSON.stringify(last!.voi)) {
    let maxDiff = 0, differ = 0;
    last!.voxels.forEach((v, i) => {
      const d = Math.abs(v - peerResult.voxels[i]);
      if (d > 0) differ++;
      maxDiff = Math.max(maxDiff, d);
    });
    console.log(
      `outputs vs peer: max |difference| ${maxDiff} (of 255), ${differ} of ${
        last!.voxels.length
      } voxels differ`,
    );
  } else {
    console.log("outputs vs peer: VOIs differ, voxels not compared");
  }
}

if (flags.exams > 0) {
  // Throughput: the same series under `exams` study folders, through the worker pool.
  const manifest = join(root, "manifest");
  await Deno.mkdir(manifest, { recursive: true });
  const sops = [...Deno.readDirSync(seriesDir)].map((e) => e.name);
  const exams: unknown[][] = [];
  const slices: unknown[][] = [];
  for (let e = 0; e < flags.exams; e++) {
    const id = `1.2.826.0.1.3680043.2.1125.${100 + e}`;
    const dir = join(root, "data", id, `${id}.1`);
    await Deno.mkdir(dir, { recursive: true });
    for (const name of sops) await Deno.link(join(seriesDir, name), join(dir, name));
    exams.push([id, `${id}.1`, "train", e % 5, 0, "", flags.slices, 0, "included", "", ""]);
  }
  await writeManifest(manifest, exams, slices);
  // Alternate 1 and 2 workers (twice each) and keep each one's best rate: the machine is shared.
  const rates = new Map<number, number>();
  for (const [run, workers] of [1, 2, 1, 2].entries()) {
    const out = join(root, `cache-${run}`);
    const cpu = process.cpuUsage();
    const t = performance.now();
    const summary = await preprocessManifest({
      manifest,
      data: join(root, "data"),
      out,
      size,
      workers,
      maskStride: flags.stride,
    });
    const seconds = (performance.now() - t) / 1e3;
    const cpuPerExam = cpuSince(cpu) / summary.prepared;
    const rate = summary.prepared / seconds;
    rates.set(workers, Math.max(rates.get(workers) ?? 0, rate));
    console.log(
      `${workers} worker(s): ${summary.prepared} exams in ${seconds.toFixed(2)} s = ` +
        `${rate.toFixed(2)} exams/s, ${
          cpuPerExam.toFixed(2)
        } CPU s per exam (failed ${summary.failed})`,
    );
    await Deno.remove(out, { recursive: true });
  }
  console.log(
    `throughput 2 workers / 1 worker (best rates): ${(rates.get(2)! / rates.get(1)!).toFixed(2)}`,
  );
}
if (!flags.keep) await Deno.remove(root, { recursive: true });
