/**
 * Phantom profiles: the acquisition geometry and the difficulty knobs of the synthetic CTPA
 * dataset. `paper` mimics clinical CTPA (512 x 512, ~1.25 mm slices, realistic vessel sizes);
 * `demo` is sized for a 2-core laptop, with an enlarged peripheral tree, partial clots that keep
 * a rim of contrast, and dark clots, so that small emboli stay visible after the lung VOI is
 * resampled to 64 x 64 (calibration: docs/synthetic-data.md); `tiny` has the demo's knobs at a
 * smaller matrix and thicker slices, for notebooks and tests.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { phantomProfile } from "./profile.ts";
 * const demo = phantomProfile("demo");
 * assert.equal(demo.matrix, 96);
 * ```
 */
import { z } from "zod";

/** Profile names accepted by `deno task synth --profile`. */
export const profileNameSchema = z.enum(["tiny", "demo", "paper"]);
/** One of `tiny`, `demo`, `paper`. */
export type ProfileName = z.infer<typeof profileNameSchema>;

/** Everything the generator needs besides the seed: geometry, anatomy scale, lesion knobs. */
export interface PhantomProfile {
  name: ProfileName;
  /** Rows = columns of every slice. */
  matrix: number;
  /** Scan field of view (mm) range; pixel spacing = fov / matrix. */
  fovMm: [number, number];
  /** Slice increment (= thickness) range in mm. */
  sliceMm: [number, number];
  /** Scan length (mm) range; slices = round(length / increment). */
  scanLengthMm: [number, number];
  /** Default number of exams for `deno task synth`. */
  defaultExams: number;
  /** Arterial radius (mm) per generation: trunk, main, lobar, segmental, subsegmental, 5th. */
  arteryRadiusMm: [number, number, number, number, number, number];
  /** Clot radius as a fraction of the vessel radius for partial (non-occlusive) clots. */
  partialFill: [number, number];
  /** Minimum rim of contrast (mm) left around a partial clot. */
  minRimMm: number;
  /** Probability that a peripheral clot is occlusive (fills its vessel). */
  peripheralOcclusive: number;
  /** Peripheral clot length (mm) range. */
  peripheralLengthMm: [number, number];
  /** Central clot length (mm) range. */
  centralLengthMm: [number, number];
  /** Clot attenuation (HU) range. */
  clotHu: [number, number];
  /** Arterial opacification (HU) range of well-timed exams. */
  bolusHu: [number, number];
  /** Image noise standard deviation (HU) range. */
  noiseSdHu: [number, number];
}

const clinicalRadii: PhantomProfile["arteryRadiusMm"] = [14, 11, 6.5, 3.5, 2.2, 1.4];

/**
 * Lesion and contrast knobs of `demo` and `tiny`, calibrated so that a small CNN learns the
 * clots from slice labels within a laptop's training budget at a 64 x 64 model input
 * (docs/synthetic-data.md, "Calibration"): segmental and subsegmental arteries enlarged, a thin
 * 5th generation (less clutter), partial clots filling 55-65 % of the lumen with a rim of
 * contrast, and clots darker than real ones (-300..-200 HU instead of 20-80).
 */
const demoKnobs = {
  arteryRadiusMm: [15, 13, 12, 12, 10, 3],
  partialFill: [0.55, 0.65],
  minRimMm: 4.5,
  peripheralOcclusive: 0,
  peripheralLengthMm: [20, 35],
  centralLengthMm: [25, 60],
  clotHu: [-300, -200],
  bolusHu: [375, 425],
  noiseSdHu: [10, 15],
} satisfies Partial<PhantomProfile>;

const profiles: Record<ProfileName, PhantomProfile> = {
  paper: {
    name: "paper",
    matrix: 512,
    fovMm: [330, 400],
    sliceMm: [1, 1.5],
    scanLengthMm: [230, 300],
    defaultExams: 1000,
    arteryRadiusMm: clinicalRadii,
    partialFill: [0.45, 0.75],
    minRimMm: 0.8,
    peripheralOcclusive: 0.6,
    peripheralLengthMm: [6, 16],
    centralLengthMm: [20, 60],
    clotHu: [25, 75],
    bolusHu: [250, 425],
    noiseSdHu: [10, 30],
  },
  demo: {
    name: "demo",
    matrix: 96,
    fovMm: [330, 370],
    sliceMm: [4.5, 5.5],
    scanLengthMm: [230, 260],
    // 6000: about 2,960 training exams per run, so 2.5 % (one labelled slice per exam) keeps
    // about 240 positive labelled slices; at 3000 exams exam labels alone matched it (docs/demo.md).
    defaultExams: 6000,
    ...demoKnobs,
  },
  tiny: {
    name: "tiny",
    matrix: 64,
    fovMm: [330, 370],
    sliceMm: [9, 11],
    scanLengthMm: [230, 260],
    defaultExams: 10,
    ...demoKnobs,
  },
};

/** The profile called `name`. */
export function phantomProfile(name: ProfileName): PhantomProfile {
  return profiles[name];
}

/** Settings of one synthetic dataset; stored as `synth-settings.json` in the output folder. */
export const synthSettingsSchema = z.object({
  profile: profileNameSchema,
  seed: z.number().int().min(0),
  exams: z.number().int().min(1),
  /**
   * True: every clot planned and labelled as usual but left out of the image (a shortcut probe:
   * a model trained on such data can only learn the exam label from cues other than the clots).
   */
  eraseClots: z.boolean().default(false),
  /** Bumped when the generator's output changes, so a resumed run never mixes versions. */
  generatorVersion: z.number().int(),
});
/** Profile, seed and exam count of a dataset. */
export type SynthSettings = z.infer<typeof synthSettingsSchema>;

/** Version of the generator's output format and anatomy. */
export const GENERATOR_VERSION = 4;
