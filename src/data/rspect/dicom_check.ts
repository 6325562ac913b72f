/**
 * Check many DICOM series with a pool of Deno Workers, resumably: each finished series is
 * appended as one JSON line to a cache file (`dicom-check.jsonl` in the output folder), so a
 * rerun skips series already checked; a line cut short by an interrupted run is ignored and
 * that series checked again. Delete the file to force a full recheck.
 *
 * @example
 * ```ts ignore
 * import { checkSeriesPool } from "./dicom_check.ts";
 * const results = await checkSeriesPool(
 *   [{ key: "1.2/1.2.3", dir: "train/1.2/1.2.3" }],
 *   { workers: 2, cachePath: "out/dicom-check.jsonl", onProgress: (d, t) => console.log(d, t) },
 * );
 * console.log(results.get("1.2/1.2.3")?.problem); // null or { reason, detail }
 * ```
 */
import { z } from "zod";
import { dirname } from "node:path";
import { SeriesProblemSchema } from "../../io/mod.ts";

/** Schema of one cache line: a checked series. */
export const CheckedSeriesSchema = z.object({
  key: z.string(),
  files: z.number().int().nonnegative(),
  problem: SeriesProblemSchema.nullable(),
  sopInstanceUids: z.array(z.string()),
  zPositions: z.array(z.number()),
});
/** A checked series (one cache line). */
export type CheckedSeries = z.infer<typeof CheckedSeriesSchema>;

/** A series to check: cache key and folder. */
export interface SeriesJob {
  key: string;
  dir: string;
}

/** Options of {@link checkSeriesPool}. */
export interface PoolOptions {
  workers: number;
  cachePath: string;
  onProgress?: (done: number, total: number) => void;
}

/** Read the cache (valid lines only; later lines win). */
export async function readCheckCache(path: string): Promise<Map<string, CheckedSeries>> {
  const cache = new Map<string, CheckedSeries>();
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return cache;
    throw error;
  }
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const parsed = CheckedSeriesSchema.safeParse(JSON.parse(line));
      if (parsed.success) cache.set(parsed.data.key, parsed.data);
    } catch {
      // a torn last line from an interrupted run: that series is checked again
    }
  }
  return cache;
}

/** Check every job not yet in the cache; returns all results (cached and new) by key. */
export async function checkSeriesPool(
  jobs: SeriesJob[],
  options: PoolOptions,
): Promise<Map<string, CheckedSeries>> {
  const cache = await readCheckCache(options.cachePath);
  const todo = jobs.filter((job) => !cache.has(job.key));
  const results = new Map<string, CheckedSeries>();
  for (const job of jobs) {
    const cached = cache.get(job.key);
    if (cached) results.set(job.key, cached);
  }
  let done = results.size;
  options.onProgress?.(done, jobs.length);
  if (todo.length === 0) return results;
  await Deno.mkdir(dirname(options.cachePath), { recursive: true });
  const cacheFile = await Deno.open(options.cachePath, { append: true, create: true });
  const encoder = new TextEncoder();
  let writing = endLine(options.cachePath, cacheFile);
  const record = (entry: CheckedSeries) => {
    results.set(entry.key, entry);
    const line = encoder.encode(`${JSON.stringify(entry)}\n`);
    writing = writing.then(async () => {
      let written = 0;
      while (written < line.length) written += await cacheFile.write(line.subarray(written));
    });
    options.onProgress?.(++done, jobs.length);
  };
  const lanes = Math.max(1, Math.min(options.workers, todo.length));
  let next = 0;
  const workers: Worker[] = [];
  try {
    await Promise.all(Array.from({ length: lanes }, async () => {
      const worker = new Worker(new URL("./check_worker.ts", import.meta.url), { type: "module" });
      workers.push(worker);
      while (next < todo.length) {
        const job = todo[next++];
        record(await runJob(worker, job));
      }
    }));
  } finally {
    for (const worker of workers) worker.terminate();
    await writing;
    cacheFile.close();
  }
  return results;
}

/** Finish a line cut short by an interrupted run, so the next entry starts on its own line. */
async function endLine(path: string, file: Deno.FsFile): Promise<void> {
  const size = (await Deno.stat(path)).size;
  if (size === 0) return;
  const last = new Uint8Array(1);
  const reader = await Deno.open(path, { read: true });
  try {
    await reader.seek(size - 1, Deno.SeekMode.Start);
    await reader.read(last);
  } finally {
    reader.close();
  }
  if (last[0] !== 0x0a) await file.write(new Uint8Array([0x0a]));
}

function runJob(worker: Worker, job: SeriesJob): Promise<CheckedSeries> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (event) => {
      const { check, error } = event.data;
      if (check) {
        resolve({ key: job.key, ...check });
      } else {
        resolve({
          key: job.key,
          files: 0,
          problem: { reason: "unreadable-pixels", detail: `folder not readable: ${error}` },
          sopInstanceUids: [],
          zPositions: [],
        });
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(`DICOM check worker failed on ${job.dir}: ${event.message}`));
    };
    worker.postMessage({ id: 0, dir: job.dir });
  });
}
