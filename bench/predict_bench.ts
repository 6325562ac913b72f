/**
 * Speed of `deno task predict` on one study: a synthetic 250-slice 512 x 512 chest DICOM series
 * (the preprocessing bench's writer) from files to exam probability, with the default network
 * (small encoder, attention, 3 BiLSTM layers) at the paper's grid 184 x 256 x 256 on the wasm
 * backend. The fold models are written as a run folder (state.json + best-weights) with seeded
 * initial weights: the speed does not depend on the weights' values.
 *
 * Target: under 30 s per fold model from DICOM to probability (read + prepare once, then each
 * fold's forward pass).
 *
 * @example
 * ```sh
 * deno run -A bench/predict_bench.ts [--slices 250] [--matrix 512] [--size 184,256,256] \
 *   [--fold-count 2] [--repeat 3] [--backend wasm]
 * ```
 */
import { join } from "node:path";
import { z } from "zod";
import { parseFlags } from "../src/cli/flags.ts";
import { backendPreferenceSchema, selectBackend } from "../src/model/backend.ts";
import { createNetwork, writeCheckpoint } from "../src/model/mod.ts";
import { configHash, preprocessConfigSchema } from "../src/preprocess/mod.ts";
import { runFolder, type RunState, trainConfigSchema, writeRunState } from "../src/train/mod.ts";
import { loadFoldEnsemble, predictSeries } from "../src/predict/mod.ts";
import { syntheticChest, writeVolumeAsDicom } from "../tests/preprocess/_fixtures.ts";

const flags = parseFlags(
  Deno.args,
  z.object({
    slices: z.coerce.number().int().min(2).default(250),
    matrix: z.coerce.number().int().min(32).default(512),
    size: z.string().regex(/^\d+,\d+,\d+$/, "D,H,W, e.g. 184,256,256").default("184,256,256")
      .transform((s) => s.split(",").map(Number) as [number, number, number]),
    foldCount: z.coerce.number().int().min(1).default(2),
    repeat: z.coerce.number().int().min(1).default(3),
    backend: backendPreferenceSchema.default("wasm"),
  }),
  "predict_bench",
);

const root = await Deno.makeTempDir({ prefix: "predict-bench-" });
const study = "1.2.826.0.1.3680043.2.1125.7";
const seriesDir = join(root, "data", study, `${study}.1`);
const { volume } = syntheticChest([flags.slices, flags.matrix, flags.matrix], {
  spacing: [1.25, 0.7, 0.7],
});
await writeVolumeAsDicom(seriesDir, volume, { study, series: `${study}.1` });

const backend = await selectBackend(flags.backend);
const preprocess = preprocessConfigSchema.parse({ size: flags.size });
const sourceSettings = { configHash: await configHash(preprocess), config: preprocess };
const runDir = join(root, "runs");
for (let fold = 0; fold < flags.foldCount; fold++) {
  const config = trainConfigSchema.parse({ fractionPercent: 100, fold, folds: flags.foldCount });
  const dir = runFolder(runDir, 100, fold);
  const network = createNetwork(config.model, fold);
  await writeCheckpoint(join(dir, "best-weights.json"), network.params.named(), { epoch: 1 });
  network.dispose();
  const state: RunState = {
    format: "pe-fewer-labels/train-state",
    config,
    sourceSettings,
    backend: backend.name,
    epochsDone: 1,
    optimizerSteps: 0,
    best: { epoch: 1, metric: "auc", value: 0.5 },
    bestValLoss: null,
    epochsWithoutImprovement: 0,
    stoppedEarly: false,
    finished: true,
    log: [],
    epochInProgress: null,
  };
  await writeRunState(dir, state);
}

console.log(
  `series ${flags.slices} x ${flags.matrix} x ${flags.matrix} -> ${
    flags.size.join(" x ")
  }, ${flags.foldCount} fold models, backend ${backend.name}`,
);
const ensemble = await loadFoldEnsemble(runDir, 100);
const folder = { dir: seriesDir, studyFolder: study, seriesFolder: `${study}.1` };
const runs: { read: number; prepare: number; model: number; total: number }[] = [];
try {
  for (let r = 0; r < flags.repeat; r++) {
    const started = performance.now();
    const p = await predictSeries(ensemble, folder);
    const total = (performance.now() - started) / 1000;
    runs.push({ ...p.seconds, total });
    console.log(
      `run ${r + 1}: read ${p.seconds.read.toFixed(2)} s, prepare ${
        p.seconds.prepare.toFixed(2)
      } s, ${flags.foldCount} models ${p.seconds.model.toFixed(2)} s, total ${
        total.toFixed(2)
      } s; probability ${p.examProbability.toFixed(4)}`,
    );
  }
} finally {
  ensemble.dispose();
  await Deno.remove(root, { recursive: true });
}
const perFold = (r: (typeof runs)[number]) => r.read + r.prepare + r.model / flags.foldCount;
const best = runs.reduce((a, b) => (b.total < a.total ? b : a));
const line = (r: (typeof runs)[number]) =>
  `${perFold(r).toFixed(2)} s (read ${r.read.toFixed(2)}, prepare ${r.prepare.toFixed(2)}, model ${
    (r.model / flags.foldCount).toFixed(2)
  } s per fold)`;
console.log(`DICOM -> probability with one fold model, first run (cold backend): ${line(runs[0])}`);
console.log(`DICOM -> probability with one fold model, best of ${flags.repeat}: ${line(best)}`);
console.log(
  `target < 30 s per fold model: ${
    Math.max(perFold(runs[0]), perFold(best)) < 30 ? "met" : "NOT met"
  }`,
);
