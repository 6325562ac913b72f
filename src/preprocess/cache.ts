/**
 * The prepared-exam cache: one folder per dataset and preprocessing config.
 *
 * ```
 * cache.json            format, config and its SHA-256 (configHash)
 * index.json            one entry per prepared exam (split, fold, label, subtype, shape) and
 *                       one per failed exam (reason): listing needs no voxel file
 * failures.csv          the failed exams, also in index.json
 * exams/<examId>.u8     voxels, uint8 [D, H, W]
 * exams/<examId>.json   sidecar: labels, VOI, source map, record, configHash, contentHash
 * ```
 *
 * The voxel file is written before its sidecar, both atomically, so a sidecar marks a finished
 * exam. An exam whose sidecar carries another configHash than cache.json is stale: the
 * preprocess command rebuilds it and `readPreparedExam` refuses it, so a cache made with other
 * settings is never silently reused. Reading one exam touches only that exam's two files.
 *
 * @example
 * ```ts ignore
 * import { listCachedExams, openCache, readPreparedExam } from "./cache.ts";
 * const cache = await openCache("cache/rspect");
 * const entries = await listCachedExams(cache.dir); // no voxels read
 * const exam = await readPreparedExam(cache.dir, entries[0].examId);
 * console.log(exam.dims, exam.sliceLabels);
 * ```
 */
import { join } from "node:path";
import { z } from "zod";
import {
  formatCsv,
  readJson,
  sha256Hex,
  writeBytesAtomic,
  writeJsonAtomic,
  writeTextAtomic,
} from "../io/mod.ts";
import {
  type PreparationRecord,
  preparationRecordSchema,
  type PreprocessConfig,
  preprocessConfigSchema,
} from "./prepare.ts";
import type { PreparedExam } from "./prepared_exam.ts";
import { SplitSchema } from "../data/rspect/schema.ts";

/**
 * An exam or series identifier (a DICOM UID, or an external dataset's case id): letters,
 * digits, dots, dashes and underscores, not starting with a dot, so it is safe as a file name.
 */
export const examIdSchema = z.string().regex(
  /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/,
  "an id holds letters, digits, '.', '-' or '_' and does not start with '.'",
);

/** The exam facts the cache keeps beside the voxels (those of {@link PreparedExam}). */
export const examFactsSchema = z.object({
  examId: examIdSchema,
  seriesId: examIdSchema,
  split: SplitSchema,
  fold: z.number().int().min(0).nullable(),
  examLabel: z.union([z.literal(0), z.literal(1)]),
  subtype: z.enum(["central", "peripheral"]).nullable(),
});
/** The exam facts the cache keeps beside the voxels. */
export type ExamFacts = z.infer<typeof examFactsSchema>;

const dimsSchema = z.tuple([
  z.number().int().positive(),
  z.number().int().positive(),
  z.number().int().positive(),
]);
const hashSchema = z.string().regex(/^[0-9a-f]{64}$/, "a SHA-256 in hex (64 characters)");

/** cache.json. */
export const cacheManifestSchema = z.object({
  format: z.literal("pe-prepared-exams"),
  version: z.literal(1),
  configHash: hashSchema,
  config: preprocessConfigSchema,
});
/** cache.json. */
export type CacheManifest = z.infer<typeof cacheManifestSchema>;

/** exams/<examId>.json. */
export const examSidecarSchema = examFactsSchema.extend({
  dims: dimsSchema,
  sliceLabels: z.array(z.union([z.literal(0), z.literal(1)])),
  lungSliceCount: z.number().int().min(1),
  configHash: hashSchema,
  /** SHA-256 of the voxel file. */
  contentHash: hashSchema,
  record: preparationRecordSchema,
}).refine((s) => s.sliceLabels.length === s.dims[0], {
  message: "sliceLabels must hold one label per slice (dims[0])",
  path: ["sliceLabels"],
});
/** exams/<examId>.json. */
export type ExamSidecar = z.infer<typeof examSidecarSchema>;

/** One prepared exam in index.json. */
export const cacheEntrySchema = examFactsSchema.extend({
  dims: dimsSchema,
  lungSliceCount: z.number().int().min(1),
  positiveSlices: z.number().int().min(0),
  /** Positive source slices outside the lung VOI (lost to the output; see the record). */
  positivesOutsideVoi: z.number().int().min(0),
});
/** One prepared exam in index.json. */
export type CacheEntry = z.infer<typeof cacheEntrySchema>;

/** One exam that could not be prepared. */
export const cacheFailureSchema = z.object({
  examId: z.string(),
  seriesId: z.string(),
  reason: z.string(),
  detail: z.string(),
});
/** One exam that could not be prepared. */
export type CacheFailure = z.infer<typeof cacheFailureSchema>;

/** index.json. */
export const cacheIndexSchema = z.object({
  configHash: hashSchema,
  exams: z.array(cacheEntrySchema),
  failures: z.array(cacheFailureSchema),
});
/** index.json. */
export type CacheIndex = z.infer<typeof cacheIndexSchema>;

/**
 * Hash of a preprocessing config: SHA-256 of its JSON with keys sorted, defaults filled in.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { configHash } from "./cache.ts";
 * import { preprocessConfigSchema } from "./prepare.ts";
 * const hash = await configHash(preprocessConfigSchema.parse({}));
 * assert.match(hash, /^[0-9a-f]{64}$/);
 * ```
 */
export function configHash(config: PreprocessConfig): Promise<string> {
  const canonical = JSON.stringify(sortKeys(preprocessConfigSchema.parse(config)));
  return sha256Hex(new TextEncoder().encode(canonical));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

/** An open cache: its folder and manifest. */
export interface PreparedCache {
  dir: string;
  manifest: CacheManifest;
}

/**
 * Open an existing cache (reads cache.json only).
 *
 * @example
 * ```ts ignore
 * import { openCache } from "./cache.ts";
 * const cache = await openCache("cache/rspect"); // cache.manifest.config.size = [184, 256, 256]
 * ```
 */
export async function openCache(dir: string): Promise<PreparedCache> {
  const path = join(dir, "cache.json");
  return { dir, manifest: await readJson(path, cacheManifestSchema, "run `deno task preprocess`") };
}

/** What {@link initCache} found. */
export interface CacheInit extends PreparedCache {
  /** True when the folder held a cache made with other settings (its exams will be rebuilt). */
  configChanged: boolean;
  previousConfigHash: string | null;
}

/**
 * Create or reuse a cache folder for `config`: writes cache.json when absent or made with
 * other settings. Exams of the old settings stay until rebuilt, and are refused on reading.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initCache } from "./cache.ts";
 * import { preprocessConfigSchema } from "./prepare.ts";
 * const dir = await Deno.makeTempDir();
 * const init = await initCache(dir, preprocessConfigSchema.parse({ size: [16, 32, 32] }));
 * assert.equal(init.configChanged, false); // a new cache: nothing made with other settings
 * ```
 */
export async function initCache(dir: string, config: PreprocessConfig): Promise<CacheInit> {
  const hash = await configHash(config);
  let previous: CacheManifest | null = null;
  try {
    previous = (await openCache(dir)).manifest;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const manifest: CacheManifest = {
    format: "pe-prepared-exams",
    version: 1,
    configHash: hash,
    config: preprocessConfigSchema.parse(config),
  };
  if (previous?.configHash !== hash) await writeJsonAtomic(join(dir, "cache.json"), manifest);
  return {
    dir,
    manifest,
    configChanged: previous !== null && previous.configHash !== hash,
    previousConfigHash: previous?.configHash ?? null,
  };
}

/**
 * Paths of an exam's voxel file and sidecar; throws when `examId` is not a safe id.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { examPaths } from "./cache.ts";
 * assert.deepEqual(examPaths("cache/x", "1.2.3"), {
 *   voxels: "cache/x/exams/1.2.3.u8", sidecar: "cache/x/exams/1.2.3.json",
 * });
 * ```
 */
export function examPaths(dir: string, examId: string): { voxels: string; sidecar: string } {
  const parsed = examIdSchema.safeParse(examId);
  if (!parsed.success) throw new Error(`exam id '${examId}': ${parsed.error.issues[0].message}`);
  return {
    voxels: join(dir, "exams", `${examId}.u8`),
    sidecar: join(dir, "exams", `${examId}.json`),
  };
}

/**
 * Write one prepared exam (voxels, then sidecar; both atomic) and return its index entry.
 *
 * @example
 * ```ts ignore
 * import { writePreparedExam } from "./cache.ts";
 * import type { PreparedExam } from "./prepared_exam.ts";
 * import type { PreparationRecord } from "./prepare.ts";
 * declare const exam: PreparedExam;
 * declare const record: PreparationRecord;
 * await writePreparedExam("cache/rspect", exam, record, "ab".repeat(32));
 * ```
 */
export async function writePreparedExam(
  dir: string,
  exam: PreparedExam,
  record: PreparationRecord,
  hashOfConfig: string,
): Promise<CacheEntry> {
  const paths = examPaths(dir, exam.examId);
  const sidecar: ExamSidecar = examSidecarSchema.parse({
    examId: exam.examId,
    seriesId: exam.seriesId,
    split: exam.split,
    fold: exam.fold,
    examLabel: exam.examLabel,
    subtype: exam.subtype,
    dims: exam.dims,
    sliceLabels: Array.from(exam.sliceLabels, (v) => (v ? 1 : 0)),
    lungSliceCount: exam.lungSliceCount,
    configHash: hashOfConfig,
    contentHash: await sha256Hex(exam.voxels),
    record,
  });
  await writeBytesAtomic(paths.voxels, exam.voxels);
  await writeJsonAtomic(paths.sidecar, sidecar);
  return entryOf(sidecar);
}

/** The exam's facts, dims and lung slice count: what the index entry and the exam share. */
function examFieldsOf(sidecar: ExamSidecar) {
  return {
    examId: sidecar.examId,
    seriesId: sidecar.seriesId,
    split: sidecar.split,
    fold: sidecar.fold,
    examLabel: sidecar.examLabel,
    subtype: sidecar.subtype,
    dims: sidecar.dims,
    lungSliceCount: sidecar.lungSliceCount,
  };
}

function entryOf(sidecar: ExamSidecar): CacheEntry {
  return {
    ...examFieldsOf(sidecar),
    positiveSlices: sidecar.sliceLabels.reduce<number>((a, b) => a + b, 0),
    positivesOutsideVoi: sidecar.record.positivesOutsideVoi,
  };
}

/**
 * The index entry of an exam already prepared with `hashOfConfig` (sidecar present, same
 * settings, voxel file of the right size), or null when it must be (re)built.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { currentEntry } from "./cache.ts";
 * const entry = await currentEntry(await Deno.makeTempDir(), "1.2.3", "ab".repeat(32));
 * assert.equal(entry, null); // not prepared yet: build it
 * ```
 */
export async function currentEntry(
  dir: string,
  examId: string,
  hashOfConfig: string,
): Promise<CacheEntry | null> {
  const paths = examPaths(dir, examId);
  try {
    const sidecar = await readJson(paths.sidecar, examSidecarSchema, "rebuild the exam");
    if (sidecar.configHash !== hashOfConfig) return null;
    const [D, H, W] = sidecar.dims;
    if ((await Deno.stat(paths.voxels)).size !== D * H * W) return null;
    return entryOf(sidecar);
  } catch {
    return null;
  }
}

/**
 * Read an exam's sidecar, refusing one made with other settings than the cache's.
 *
 * @example
 * ```ts ignore
 * import { readExamSidecar } from "./cache.ts";
 * const sidecar = await readExamSidecar("cache/rspect", "1.2.3");
 * console.log(sidecar.record.voi, sidecar.record.sourceSlices[0]);
 * ```
 */
export async function readExamSidecar(cacheDir: string, examId: string): Promise<ExamSidecar> {
  const { manifest } = await openCache(cacheDir);
  const path = examPaths(cacheDir, examId).sidecar;
  const sidecar = await readJson(path, examSidecarSchema, "rerun `deno task preprocess`");
  if (sidecar.configHash !== manifest.configHash) {
    throw new Error(
      `${path}: configHash ${sidecar.configHash.slice(0, 12)} differs from cache.json's ` +
        `${manifest.configHash.slice(0, 12)}: the exam was prepared with other settings; ` +
        `rerun \`deno task preprocess\` on this cache to rebuild it`,
    );
  }
  return sidecar;
}

/**
 * Read one prepared exam (its sidecar and voxel file only). With `verify`, the voxels' SHA-256
 * is checked against the sidecar's contentHash.
 *
 * @example
 * ```ts ignore
 * import { readPreparedExam } from "./cache.ts";
 * const exam = await readPreparedExam("cache/rspect", "1.2.3", { verify: true });
 * ```
 */
export async function readPreparedExam(
  cacheDir: string,
  examId: string,
  options: { verify?: boolean } = {},
): Promise<PreparedExam> {
  const sidecar = await readExamSidecar(cacheDir, examId);
  const path = examPaths(cacheDir, examId).voxels;
  const voxels = await Deno.readFile(path);
  const [D, H, W] = sidecar.dims;
  if (voxels.length !== D * H * W) {
    throw new Error(
      `${path}: ${voxels.length} bytes, ${D}x${H}x${W} expected: rerun \`deno task preprocess\``,
    );
  }
  if (options.verify && (await sha256Hex(voxels)) !== sidecar.contentHash) {
    throw new Error(`${path}: content hash differs from the sidecar's: rerun preprocess`);
  }
  return {
    ...examFieldsOf(sidecar),
    voxels,
    sliceLabels: Uint8Array.from(sidecar.sliceLabels),
  };
}

/**
 * Write index.json and failures.csv.
 *
 * @example
 * ```ts ignore
 * import { writeCacheIndex } from "./cache.ts";
 * await writeCacheIndex("cache/rspect", { configHash: "ab".repeat(32), exams: [], failures: [] });
 * ```
 */
export async function writeCacheIndex(dir: string, index: CacheIndex): Promise<void> {
  const parsed = cacheIndexSchema.parse(index);
  await writeJsonAtomic(join(dir, "index.json"), parsed);
  await writeTextAtomic(
    join(dir, "failures.csv"),
    formatCsv(
      ["study_uid", "series_uid", "reason", "detail"],
      parsed.failures.map((f) => [f.examId, f.seriesId, f.reason, f.detail]),
    ),
  );
}

/**
 * The cache's index: prepared exams with split / fold / label / subtype, and the failures,
 * without reading any voxel file. Refuses an index written for other settings.
 *
 * @example
 * ```ts ignore
 * import { readCacheIndex } from "./cache.ts";
 * const { exams, failures } = await readCacheIndex("cache/rspect");
 * const train = exams.filter((e) => e.split === "train" && e.fold !== 0);
 * ```
 */
export async function readCacheIndex(cacheDir: string): Promise<CacheIndex> {
  const { manifest } = await openCache(cacheDir);
  const path = join(cacheDir, "index.json");
  const index = await readJson(path, cacheIndexSchema, "rerun `deno task preprocess`");
  if (index.configHash !== manifest.configHash) {
    throw new Error(
      `${path}: written for other settings than cache.json's: rerun \`deno task preprocess\``,
    );
  }
  return index;
}

/**
 * The prepared exams of a cache (index entries; no voxels read).
 *
 * @example
 * ```ts ignore
 * import { listCachedExams } from "./cache.ts";
 * const positives = (await listCachedExams("cache/rspect")).filter((e) => e.examLabel === 1);
 * ```
 */
export async function listCachedExams(cacheDir: string): Promise<CacheEntry[]> {
  return (await readCacheIndex(cacheDir)).exams;
}
