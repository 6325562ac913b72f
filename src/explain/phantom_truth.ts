/**
 * Where a trained network looks, checked against the synthetic phantom's truth (the only part of
 * the explain stage that needs it): for each positive exam of the chosen splits, the Grad-CAM on
 * the source voxels (`source_cam.ts`) is compared with the exam's clots, generated again from
 * `truth.json` as a mask on the same voxels and dilated by a margin: the share of the map's mass
 * inside that mask against the mask's share of the voxels the model saw (the score of a uniform
 * map). Plain data out; figures are drawn by src/report/explain_figures.ts.
 *
 * @example
 * ```ts ignore
 * import { readTruth } from "../data/phantom/truth.ts";
 * import { explainRun } from "./phantom_truth.ts";
 * const truth = await readTruth("data/demo/truth.json");
 * const result = await explainRun({
 *   runDir: "runs/demo/fraction-27.5/fold-0", cacheDir: "cache/demo", truth,
 *   options: { mode: "elementwise", threshold: 0.4 },
 * });
 * result.exams.filter((e) => e.detected).map((e) => e.massInside);
 * ```
 */
import { z } from "zod";
import { clotMask, dilateMask, regenerateExam } from "../data/phantom/clot_mask.ts";
import type { PhantomExam } from "../data/phantom/exam.ts";
import { slicePanel } from "../data/phantom/gallery.ts";
import type { TruthFile } from "../data/phantom/truth.ts";
import { camModeSchema, type Network } from "../model/mod.ts";
import { maskShare, massInsideMask, peakSlice, sliceMass, topSlices } from "./measure.ts";
import { listCachedExams } from "../preprocess/cache.ts";
import { loadBestNetwork } from "../train/best_network.ts";
import type { TrainConfig } from "../train/config.ts";
import { sourceGradCam } from "./source_cam.ts";
import { SplitSchema } from "../data/rspect/schema.ts";

/** Options of the check (one schema; every field has a default). */
export const explainOptionsSchema = z.object({
  /** Grad-CAM variant (the paper's figure: element-wise). */
  mode: camModeSchema.default("elementwise"),
  /** Margin around the clots (mm) that counts as "on the clot". */
  dilationMm: z.number().min(0).default(5),
  /** Exam probability at or above which an exam counts as detected. */
  threshold: z.number().min(0).max(1).default(0.5),
  /** Splits whose positive exams are checked. */
  splits: z.array(SplitSchema).min(1)
    .default(["public", "private"]),
  /** Source slices with the most attention kept per exam. */
  topSlices: z.number().int().min(1).default(6),
});
/** Options of the check (fields optional). */
export type ExplainOptions = z.input<typeof explainOptionsSchema>;

/** The check's result for one positive exam. */
export interface ExplainedExam {
  examId: string;
  split: string;
  subtype: "central" | "peripheral" | null;
  /** Exam probability (sigmoid of the exam logit). */
  score: number;
  /** score >= threshold. */
  detected: boolean;
  /** Share of the map's mass (on the voxels the model saw) inside the dilated clot mask. */
  massInside: number | null;
  /** The dilated mask's share of those voxels: what a uniform map would score. */
  chance: number;
  /** Share of the map's mass on slices the dilated mask reaches (slice-level localisation). */
  sliceMassInside: number | null;
  /** Share of the VOI's slices the dilated mask reaches: what a uniform map would score. */
  sliceChance: number;
  /** Voxels of the clot mask before dilation. */
  clotVoxels: number;
  /** Source slices showing a clot (ascending). */
  clotSlices: number[];
  /** Source slices with the most attention, most first, and their share of the exam's mass. */
  topSlices: { slice: number; mass: number }[];
}

/** One exam's check with the maps behind it (source grid [slices, rows, cols]). */
export interface ExamExplanation {
  summary: ExplainedExam;
  /** Grad-CAM on the source voxels, 0 where the model saw nothing. */
  camSource: Float32Array;
  /** Dilated clot mask on the source voxels. */
  mask: Uint8Array;
  /** The regenerated exam (HU, clot coverage). */
  phantom: PhantomExam;
}

/**
 * Check one prepared exam of `cacheDir` (a study of the synthetic dataset `truth`).
 *
 * @example
 * ```ts
 * import { explainExam } from "./phantom_truth.ts";
 * // const { summary, camSource } = await explainExam(network, config, "cache/demo", truth, id);
 * ```
 */
export async function explainExam(
  network: Network,
  config: Pick<TrainConfig, "inputChannels">,
  cacheDir: string,
  truth: TruthFile,
  examId: string,
  options: ExplainOptions = {},
): Promise<ExamExplanation> {
  const settings = explainOptionsSchema.parse(options);
  const { exam, probability, sourceDims, cam: camSource, region, voiSlices } = await sourceGradCam(
    network,
    config,
    cacheDir,
    examId,
    settings.mode,
  );
  const phantom = regenerateExam(truth, examId);
  const { slices, rows, cols, dz, px } = phantom.grid;
  if (sourceDims.join("x") !== [slices, rows, cols].join("x")) {
    throw new Error(
      `exam ${examId}: cache source grid ${sourceDims.join("x")} differs from the regenerated ` +
        `exam's ${slices}x${rows}x${cols}; fix: give the --data folder the cache was prepared from`,
    );
  }
  const clots = clotMask(phantom);
  const mask = dilateMask(clots, [slices, rows, cols], [dz, px, px], settings.dilationMm);
  const perSlice = sliceMass(camSource, slices);
  // slice level: which slices the attention is on, against the slices the mask reaches
  const plane = rows * cols;
  const maskSlices = Uint8Array.from(
    { length: slices },
    (_, k) => (mask.subarray(k * plane, (k + 1) * plane).some((v) => v === 1) ? 1 : 0),
  );
  const summary: ExplainedExam = {
    examId,
    split: exam.split,
    subtype: exam.subtype,
    score: probability,
    detected: probability >= settings.threshold,
    massInside: massInsideMask(camSource, mask, region),
    chance: maskShare(mask, region),
    sliceMassInside: massInsideMask(perSlice, maskSlices, voiSlices),
    sliceChance: maskShare(maskSlices, voiSlices),
    clotVoxels: clots.reduce((a, b) => a + b, 0),
    clotSlices: phantom.truth.positiveSlices,
    topSlices: topSlices(perSlice, settings.topSlices).map((k) => ({
      slice: k,
      mass: perSlice[k],
    })),
  };
  return { summary, camSource, mask, phantom };
}

/** An exam left out of the check, with the reason. */
export interface ExcludedExam {
  examId: string;
  reason: string;
}

/** Figure data of one example exam: its best clot slice and the slices with most attention. */
export interface ExplainExample {
  summary: ExplainedExam;
  /** The clot slice with the most attention (see {@link bestClotSlice}). */
  pair: CamPanel;
  /** The slices with the most attention, in slice order. */
  strip: CamPanel[];
}

/** The check over one run folder. */
export interface ExplainRunResult {
  runDir: string;
  /** Best epoch of the run (its checkpoint is used). */
  epoch: number;
  exams: ExplainedExam[];
  excluded: ExcludedExam[];
  /** Per subtype, the detected exam with the highest score (absent when none was detected). */
  examples: Partial<Record<"central" | "peripheral", ExplainExample>>;
}

/**
 * Check every positive exam of the chosen splits with the best checkpoint of `runDir`.
 * Exams missing from the truth file are listed in `excluded` with the reason. The detected
 * exam with the highest score of each subtype is kept as an example with its figure data.
 *
 * @example
 * ```ts
 * import { explainRun } from "./phantom_truth.ts";
 * // const result = await explainRun({ runDir, cacheDir, truth, onProgress: bar.update });
 * ```
 */
export async function explainRun(input: {
  runDir: string;
  cacheDir: string;
  truth: TruthFile;
  options?: ExplainOptions;
  onProgress?: (done: number, total: number) => void;
}): Promise<ExplainRunResult> {
  const settings = explainOptionsSchema.parse(input.options ?? {});
  const splits: readonly string[] = settings.splits;
  const positives = (await listCachedExams(input.cacheDir))
    .filter((e) => e.examLabel === 1 && splits.includes(e.split));
  const known = new Set(input.truth.exams.map((e) => e.studyUid));
  const { network, config, epoch } = await loadBestNetwork(input.runDir);
  const exams: ExplainedExam[] = [];
  const excluded: ExcludedExam[] = [];
  const examples: ExplainRunResult["examples"] = {};
  try {
    for (const [n, entry] of positives.entries()) {
      if (!known.has(entry.examId)) {
        excluded.push({ examId: entry.examId, reason: "not in the truth file: no clot mask" });
      } else {
        const explanation = await explainExam(
          network,
          config,
          input.cacheDir,
          input.truth,
          entry.examId,
          settings,
        );
        const { summary } = explanation;
        exams.push(summary);
        const kind = summary.subtype;
        if (kind && summary.detected && summary.score > (examples[kind]?.summary.score ?? -1)) {
          examples[kind] = {
            summary,
            pair: camPanel(explanation, bestClotSlice(explanation)),
            strip: summary.topSlices.map((t) => t.slice).sort((a, b) => a - b)
              .map((k) => camPanel(explanation, k)),
          };
        }
      }
      input.onProgress?.(n + 1, positives.length);
    }
  } finally {
    network.dispose();
  }
  return { runDir: input.runDir, epoch, exams, excluded, examples };
}

/** One source slice for a figure: HU, Grad-CAM and clot outline, as [row][column] arrays. */
export interface CamPanel {
  /** Source slice index (0 = lowest z). */
  slice: number;
  hu: number[][];
  /** Grad-CAM in [0, 1] (the exam's maximum is 1), 0 where the model saw nothing. */
  cam: number[][];
  /** Pixel centres on the clot border (clot filling at least half a voxel). */
  outline: { x: number[]; y: number[] };
  /** The slice's share of the exam's attention mass. */
  mass: number;
}

/**
 * Figure data of source slice `slice` of an explained exam.
 *
 * @example
 * ```ts
 * import { camPanel } from "./phantom_truth.ts";
 * // const panel = camPanel(explanation, explanation.summary.clotSlices[0]);
 * ```
 */
export function camPanel(explanation: ExamExplanation, slice: number): CamPanel {
  const { rows, cols, slices } = explanation.phantom.grid;
  const base = slice * rows * cols;
  const { hu, outline } = slicePanel(explanation.phantom, slice);
  const cam = Array.from(
    { length: rows },
    (_, r) => Array.from(explanation.camSource.subarray(base + r * cols, base + (r + 1) * cols)),
  );
  return { slice, hu, cam, outline, mass: sliceMass(explanation.camSource, slices)[slice] };
}

/**
 * The clot slice with the most attention (the slice to show beside the truth), or the slice
 * with the most attention when no clot slice has any.
 *
 * @example
 * ```ts
 * import { bestClotSlice } from "./phantom_truth.ts";
 * // const k = bestClotSlice(explanation);
 * ```
 */
export function bestClotSlice(explanation: ExamExplanation): number {
  const mass = sliceMass(explanation.camSource, explanation.phantom.grid.slices);
  return peakSlice(mass, explanation.summary.clotSlices.filter((k) => mass[k] > 0));
}
