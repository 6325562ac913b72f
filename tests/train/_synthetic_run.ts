/**
 * A tiny trained run built the way a user builds one: synthetic DICOM tree (tiny phantom
 * profile) -> cleaning (2 folds) -> preprocessing ([8, 32, 32]) -> a 1-epoch sweep of one label
 * fraction over both folds, on the wasm backend. Built once per test process.
 */
import { join } from "node:path";
import pl from "nodejs-polars";
import { synthesizeDataset } from "../../src/data/phantom/dataset.ts";
import { cleanRspect } from "../../src/data/rspect/mod.ts";
import { selectBackend } from "../../src/model/backend.ts";
import { preprocessManifest } from "../../src/preprocess/mod.ts";
import { cacheExamSource, runSweep } from "../../src/train/mod.ts";

/** Where the pieces of the tiny run are. */
export interface SyntheticRun {
  root: string;
  /** The synthetic RSPECT-style tree (with train.csv, truth.json). */
  data: string;
  /** The sweep's run folder (fraction-50/fold-0, fold-1, predictions.csv). */
  runDir: string;
  fractionPercent: number;
}

let built: Promise<SyntheticRun> | null = null;

/** Build (once) and return the tiny run. */
export function syntheticRun(): Promise<SyntheticRun> {
  built ??= build();
  return built;
}

async function build(): Promise<SyntheticRun> {
  const root = await Deno.makeTempDir({ prefix: "predict-run-" });
  const data = join(root, "synthetic");
  await synthesizeDataset(data, { profile: "tiny", seed: 0, exams: 30 }, { workers: 1 });
  await cleanRspect({
    data,
    labels: join(data, "train.csv"),
    splits: join(data, "splits.csv"),
    out: join(root, "manifest"),
    checkDicom: true,
    seed: 0,
    workers: 1,
    folds: 2,
  });
  await preprocessManifest({
    manifest: join(root, "manifest"),
    data,
    out: join(root, "cache"),
    size: [8, 32, 32],
    workers: 0,
  });
  await selectBackend("wasm");
  const runDir = join(root, "runs");
  const fractionPercent = 50;
  await runSweep({
    base: {
      folds: 2,
      epochs: 1,
      batchSize: 4,
      microBatchSize: 2,
      model: { lstmLayers: 1, featureSize: 16, attentionHeads: 2, lstmHidden: 8 },
    },
    fractions: [fractionPercent],
    folds: 2,
    source: await cacheExamSource(join(root, "cache")),
    outDir: runDir,
    backend: "wasm",
  });
  return { root, data, runDir, fractionPercent };
}

/** Rows of a CSV file as objects keyed by the header, every cell as text ("" when empty). */
export function readCsvRows(path: string): Record<string, string>[] {
  const frame = pl.readCSV(path, { inferSchemaLength: 0 });
  return frame.toRecords().map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? "" : String(v)]))
  );
}
