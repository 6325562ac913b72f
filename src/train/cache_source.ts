/**
 * The prepared-exam cache as an exam source: the index lists the exams (no voxels read), and
 * each exam is read from its own files when a batch needs it. The cache's settings (config
 * and its hash) are the source settings a run records and checks on resume. Exams that
 * failed preprocessing are listed, with their reasons, in the cache's failures.csv.
 *
 * @example
 * ```ts ignore
 * import { cacheExamSource } from "./cache_source.ts";
 * const source = await cacheExamSource("cache/rspect");
 * source.exams.length; // prepared exams in the cache
 * ```
 */
import { listCachedExams, openCache, readPreparedExam } from "../preprocess/cache.ts";
import type { ExamSource } from "./exam_source.ts";
import { errorMessage } from "../io/errors.ts";

/** Open the cache at `cacheDir` as an exam source. */
export async function cacheExamSource(cacheDir: string): Promise<ExamSource> {
  let cache: Awaited<ReturnType<typeof openCache>>;
  let entries: Awaited<ReturnType<typeof listCachedExams>>;
  try {
    cache = await openCache(cacheDir);
    entries = await listCachedExams(cacheDir);
  } catch (error) {
    throw new Error(
      `${cacheDir}: not a usable prepared-exam cache (${
        errorMessage(error)
      }); fix: pass the folder written by \`deno task preprocess --out\` as --cache`,
    );
  }
  if (entries.length === 0) {
    throw new Error(
      `${cacheDir}: the cache holds no prepared exam; fix: run \`deno task preprocess\``,
    );
  }
  return {
    name: cacheDir,
    settings: { configHash: cache.manifest.configHash, config: cache.manifest.config },
    exams: entries.map((entry) => ({
      examId: entry.examId,
      split: entry.split,
      fold: entry.fold,
      examLabel: entry.examLabel,
      subtype: entry.subtype,
      sliceCount: entry.dims[0],
      lungSliceCount: entry.lungSliceCount,
    })),
    read: (examId) => readPreparedExam(cacheDir, examId),
  };
}
