/**
 * Shortcut probe of the synthetic dataset: with every clot erased from the image (the generator
 * knows them), can anything else about an exam tell positive from negative? Each exam is
 * generated without its emboli, prepared as the demo prepares it (lung VOI, window, resample to
 * D x H x W), reduced to summary features of what the network sees (intensity mean, spread and
 * histogram, per-quarter means along z, the central (heart) region's mean and share of bright
 * contrast, edge energy as a noise measure, slice counts and spacing) and, from the generator's
 * tissue map over the lung's slices, each tissue's share of the voxels and its mean HU (heart
 * chambers, vessels, lung, fat, bone: what a whole-volume cue would change), and a ridge logistic
 * regression fitted on the train split scores the private split. A dataset without an
 * exam-level cue gives AUC near 0.5; each feature's own AUC names the carrier when one returns.
 * tests/data/phantom/shortcut_probe_test.ts runs it on the tiny profile and fails on a cue.
 *
 * @example
 * ```sh
 * deno run -A bench/shortcut_probe.ts                       # demo profile, 3000 exams, seed 0
 * deno run -A bench/shortcut_probe.ts --exams 6000 --seed 1 --keep-clots
 * ```
 */
import { z } from "zod";
import { parseFlags } from "../src/cli/flags.ts";
import { generateExam, RESCALE_INTERCEPT } from "../src/data/phantom/exam.ts";
import {
  phantomProfile,
  type ProfileName,
  profileNameSchema,
} from "../src/data/phantom/profile.ts";
import { examPlans, type Split } from "../src/data/phantom/schedule.ts";
import { Tissue } from "../src/data/phantom/tissue.ts";
import { paddingHu } from "../src/io/dicom_pixels.ts";
import type { Volume } from "../src/io/volume.ts";
import { prepareVolume, preprocessConfigSchema } from "../src/preprocess/mod.ts";
import { auc, delongAuc, fitLogistic, logisticScores } from "../src/stats/mod.ts";

/** What to probe. */
export interface ProbeRequest {
  profile: ProfileName;
  seed: number;
  /** Exams 0..exams-1 of the dataset (indeterminate and deliberately broken ones are left out). */
  exams: number;
  /** Prepared size [D, H, W], as the demo trains on it. */
  size: [number, number, number];
  /** False: keep the clots in the image (a positive control: the probe must then find them). */
  eraseClots: boolean;
  onProgress?: (done: number, total: number) => void;
}

/** One feature's name and its own AUC on the private split (0.5 = carries nothing). */
export interface FeatureAuc {
  feature: string;
  auc: number;
}

/** The probe's result. */
export interface ProbeResult {
  /** Exams fitted (train split) and scored (private split), with positives. */
  trainExams: number;
  privateExams: number;
  privatePositives: number;
  /** AUC of the fitted probe on the private split, with its DeLong 95 % CI. */
  auc: number;
  low: number;
  high: number;
  /** Every feature's own AUC on the private split, strongest (furthest from 0.5) first. */
  features: FeatureAuc[];
}

/** Tissues whose share and mean HU the probe reads (the generator's truth map). */
const PROBE_TISSUES = [
  ["fat", Tissue.Fat],
  ["soft tissue", Tissue.SoftTissue],
  ["lung", Tissue.Lung],
  ["bone", Tissue.Bone],
  ["pulmonary artery and right heart", Tissue.Artery],
  ["systemic blood and left heart", Tissue.SystemicBlood],
  ["pulmonary vein", Tissue.Vein],
  ["airway", Tissue.Airway],
] as const;

/** Names of the summary features, in the order {@link examFeatures} returns them. */
export const FEATURE_NAMES = [
  "mean",
  "sd",
  ...Array.from({ length: 8 }, (_, b) => `histogram ${b}/8`),
  ...Array.from({ length: 4 }, (_, q) => `z quarter ${q + 1} mean`),
  "central mean",
  "central bright share",
  "bright share",
  "edge energy",
  "source slices",
  "lung slices",
  "pixel spacing",
  "slice spacing",
  ...PROBE_TISSUES.flatMap(([name]) => [`${name} share`, `${name} mean HU`]),
];

/** Windowed byte above which a voxel counts as bright contrast (~275 HU). */
const BRIGHT = Math.round(0.75 * 255);

/**
 * Summary features of one prepared exam ([D, H, W] windowed bytes) and its acquisition.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { examFeatures, FEATURE_NAMES } from "./shortcut_probe.ts";
 * const f = examFeatures(new Uint8Array(4 * 8 * 8).fill(128), [4, 8, 8], [40, 30, 0.8, 5]);
 * assert.equal(f.length, FEATURE_NAMES.length);
 * ```
 */
export function examFeatures(
  voxels: Uint8Array,
  [D, H, W]: [number, number, number],
  acquisition: [sourceSlices: number, lungSlices: number, pixelMm: number, sliceMm: number],
): number[] {
  const n = voxels.length;
  let sum = 0, sumSq = 0, bright = 0, edges = 0;
  const histogram = new Array(8).fill(0);
  const quarters = new Array(4).fill(0);
  let central = 0, centralBright = 0, centralCount = 0;
  for (let k = 0, v = 0; k < D; k++) {
    const quarter = Math.min(3, Math.floor((4 * k) / D));
    for (let j = 0; j < H; j++) {
      const inRows = j >= H / 4 && j < (3 * H) / 4;
      for (let i = 0; i < W; i++, v++) {
        const value = voxels[v];
        sum += value;
        sumSq += value * value;
        histogram[value >> 5]++;
        quarters[quarter] += value;
        if (value >= BRIGHT) bright++;
        if (i > 0) edges += Math.abs(value - voxels[v - 1]);
        if (inRows && i >= W / 4 && i < (3 * W) / 4) {
          central += value;
          centralCount++;
          if (value >= BRIGHT) centralBright++;
        }
      }
    }
  }
  const mean = sum / n;
  const perQuarter = n / 4;
  return [
    mean / 255,
    Math.sqrt(Math.max(0, sumSq / n - mean * mean)) / 255,
    ...histogram.map((c) => c / n),
    ...quarters.map((q) => q / perQuarter / 255),
    central / centralCount / 255,
    centralBright / centralCount,
    bright / n,
    edges / (D * H * (W - 1)) / 255,
    ...acquisition,
  ];
}

/**
 * Share of the voxels and mean HU of each probed tissue over source slices z0..z1 (inclusive).
 *
 * @example
 * ```ts
 * import { tissueFeatures } from "./shortcut_probe.ts";
 * tissueFeatures(new Float32Array([-850, 40]), new Uint8Array([3, 2]), 2, [0, 0]).length; // 16
 * ```
 */
export function tissueFeatures(
  hu: Float32Array,
  tissue: Uint8Array,
  perSlice: number,
  [z0, z1]: readonly [number, number] | readonly number[],
): number[] {
  const count = new Float64Array(256), sum = new Float64Array(256);
  const end = (z1 + 1) * perSlice;
  for (let v = z0 * perSlice; v < end; v++) {
    count[tissue[v]]++;
    sum[tissue[v]] += hu[v];
  }
  const voxels = end - z0 * perSlice;
  return PROBE_TISSUES.flatMap(([, code]) => {
    const n = count[code];
    return [n / voxels, n > 0 ? sum[code] / n : 0];
  });
}

/**
 * Generate, prepare and summarise the exams of `request`, fit the probe on the train split and
 * score the private split.
 *
 * @example
 * ```ts
 * import { probeShortcut } from "./shortcut_probe.ts";
 * const result = probeShortcut({ profile: "tiny", seed: 0, exams: 400, size: [16, 32, 32], eraseClots: true });
 * console.log(result.auc, result.features[0]);
 * ```
 */
export function probeShortcut(request: ProbeRequest): ProbeResult {
  const profile = phantomProfile(request.profile);
  const config = preprocessConfigSchema.parse({ size: request.size });
  const plans = examPlans(request.seed, request.exams)
    .filter((plan) => plan.label !== "indeterminate" && plan.broken === null);
  const rows: Record<Split, { features: number[][]; labels: number[] }> = {
    train: { features: [], labels: [] },
    public: { features: [], labels: [] },
    private: { features: [], labels: [] },
    external: { features: [], labels: [] },
  };
  plans.forEach((plan, done) => {
    const exam = generateExam(request.seed, profile, plan, { eraseClots: request.eraseClots });
    const { grid } = exam;
    const hu = Float32Array.from(
      exam.stored,
      (s) => (s === exam.paddingStored ? paddingHu : s + RESCALE_INTERCEPT),
    );
    const volume: Volume = {
      hu,
      dims: [grid.slices, grid.rows, grid.cols],
      spacing: [grid.dz, grid.px, grid.px],
      origin: exam.positions[0],
      direction: [...exam.orientation, 0, 0, 1],
      sopInstanceUids: exam.truth.sopUids,
      zPositions: exam.positions.map((p) => p[2]),
    };
    const prepared = prepareVolume(volume, null, config);
    rows[plan.split].features.push([
      ...examFeatures(prepared.voxels, config.size, [
        grid.slices,
        prepared.record.lungSliceCount,
        grid.px,
        grid.dz,
      ]),
      ...tissueFeatures(hu, exam.tissue, grid.rows * grid.cols, prepared.record.voi.z),
    ]);
    rows[plan.split].labels.push(plan.label === "positive" ? 1 : 0);
    request.onProgress?.(done + 1, plans.length);
  });

  // Standardise on the train split, so one ridge penalty suits every feature.
  const train = rows.train, test = rows.private;
  const columns = FEATURE_NAMES.length;
  const centre = new Array(columns).fill(0), scale = new Array(columns).fill(0);
  for (let j = 0; j < columns; j++) {
    const values = train.features.map((f) => f[j]);
    centre[j] = values.reduce((s, x) => s + x, 0) / values.length;
    const variance = values.reduce((s, x) => s + (x - centre[j]) ** 2, 0) / values.length;
    scale[j] = Math.sqrt(variance) || 1;
  }
  const standard = (f: number[]) => f.map((x, j) => (x - centre[j]) / scale[j]);
  const model = fitLogistic(train.features.map(standard), train.labels, { l2: 1 });
  const scores = logisticScores(model, test.features.map(standard));
  const probe = delongAuc(scores, test.labels);
  const features = FEATURE_NAMES.map((feature, j) => ({
    feature,
    auc: auc(test.features.map((f) => f[j]), test.labels),
  })).sort((a, b) => Math.abs(b.auc - 0.5) - Math.abs(a.auc - 0.5));
  return {
    trainExams: train.labels.length,
    privateExams: test.labels.length,
    privatePositives: test.labels.reduce((s, y) => s + y, 0),
    auc: probe.auc,
    low: probe.low,
    high: probe.high,
    features,
  };
}

const flagsSchema = z.object({
  profile: profileNameSchema.default("demo"),
  seed: z.coerce.number().int().min(0).default(0),
  exams: z.coerce.number().int().min(100).default(3000),
  size: z.string().regex(/^\d+,\d+,\d+$/, "D,H,W, e.g. 32,64,64").default("32,64,64")
    .transform((s) => s.split(",").map(Number) as [number, number, number]),
  keepClots: z.boolean().default(false),
});

if (import.meta.main) {
  const flags = parseFlags(Deno.args, flagsSchema, "shortcut_probe");
  const started = performance.now();
  const result = probeShortcut({
    profile: flags.profile,
    seed: flags.seed,
    exams: flags.exams,
    size: flags.size,
    eraseClots: !flags.keepClots,
    onProgress: (done, total) => {
      if (done % 250 === 0 || done === total) console.error(`probe: ${done}/${total} exams`);
    },
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `shortcut probe: profile ${flags.profile}, seed ${flags.seed}, ${flags.exams} exams, ` +
      `clots ${flags.keepClots ? "kept" : "erased"} (${seconds} s)`,
  );
  console.log(
    `fitted on ${result.trainExams} train exams; private split ${result.privateExams} exams ` +
      `(${result.privatePositives} positive): probe AUC ${result.auc.toFixed(3)} ` +
      `(${result.low.toFixed(3)}-${result.high.toFixed(3)})`,
  );
  console.log("feature AUCs on the private split, strongest first:");
  for (const { feature, auc } of result.features) {
    console.log(`  ${feature.padEnd(22)} ${auc.toFixed(3)}`);
  }
}
