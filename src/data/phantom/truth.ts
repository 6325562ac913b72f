/**
 * The per-exam truth of the synthetic dataset (`truth.json`): each clot's location class, side,
 * volume and slices, the positive slices, the mimics present, and the series defect if any.
 * One zod schema; the type is `z.infer` of it.
 *
 * @example
 * ```ts ignore
 * import { readTruth } from "./truth.ts";
 * const truth = await readTruth("data/synthetic/truth.json");
 * truth.exams.filter((e) => e.subtype === "central").length;
 * ```
 */
import { z } from "zod";
import { type ExamColumn, examColumns } from "../rspect/columns.ts";
import { synthSettingsSchema } from "./profile.ts";
import { errorMessage, parseJson } from "../../io/mod.ts";
import { SplitSchema } from "../rspect/schema.ts";

/** One embolus. `slices` are 0-based indices in ascending z (inferior to superior). */
export const clotTruthSchema = z.object({
  location: z.enum(["saddle", "main", "lobar", "segmental", "subsegmental"]),
  class: z.enum(["central", "peripheral"]),
  side: z.enum(["left", "right", "both"]),
  occlusive: z.boolean(),
  /** Clot attenuation before noise (HU). */
  hu: z.number(),
  /** Vessel radius at the clot (mm). */
  vesselRadiusMm: z.number(),
  volumeMm3: z.number(),
  slices: z.array(z.number().int()),
});
/** One embolus's truth. */
export type ClotTruth = z.infer<typeof clotTruthSchema>;

/** Everything known about one exam. */
export const examTruthSchema = z.object({
  index: z.number().int(),
  studyUid: z.string(),
  seriesUid: z.string(),
  split: SplitSchema,
  label: z.enum(["negative", "positive", "indeterminate"]),
  subtype: z.enum(["central", "peripheral"]).nullable(),
  broken: z.enum(["missing-slice", "gantry-tilt"]).nullable(),
  /** SOPInstanceUID of the slice whose file is missing (missing-slice only). */
  missingSopUid: z.string().nullable(),
  gantryTiltDeg: z.number().nullable(),
  slices: z.number().int(),
  pixelSpacingMm: z.number(),
  sliceThicknessMm: z.number(),
  bolusHu: z.number(),
  noiseSdHu: z.number(),
  paddingHu: z.number().nullable(),
  rvLvRatioGte1: z.boolean(),
  chronic: z.enum(["none", "chronic", "acute_and_chronic"]),
  mimics: z.array(z.enum(["flow", "poor-opacification", "motion", "streaks"])),
  /** Lung bounding box in voxels: [k0, k1, j0, j1, i0, i1] (inclusive). */
  lungBox: z.array(z.number().int()).length(6),
  clots: z.array(clotTruthSchema),
  /** 0-based indices (ascending z) of slices showing any clot. */
  positiveSlices: z.array(z.number().int()),
  /** SOPInstanceUIDs in ascending z. */
  sopUids: z.array(z.string()),
});
/** One exam's truth. */
export type ExamTruth = z.infer<typeof examTruthSchema>;

/** RSPECT's exam-level columns of one exam (0/1), as repeated on each train.csv row. */
export const examFlagsSchema = z.object(
  Object.fromEntries(examColumns.map((c) => [c, z.number().int()])) as Record<
    ExamColumn,
    z.ZodNumber
  >,
);
/** Exam-level RSPECT flags. */
export type ExamFlags = z.infer<typeof examFlagsSchema>;

/** The whole truth.json. */
export const truthFileSchema = z.object({
  settings: synthSettingsSchema,
  exams: z.array(examTruthSchema),
});
/** Contents of truth.json. */
export type TruthFile = z.infer<typeof truthFileSchema>;

/** Read and validate truth.json; errors name the file and the field. */
export async function readTruth(path: string): Promise<TruthFile> {
  const fix = "regenerate it with `deno task synth`";
  const text = await Deno.readTextFile(path).catch((error) => {
    throw new Error(`${path}: cannot read truth file (${errorMessage(error)}); fix: ${fix}`);
  });
  return parseJson(text, path, truthFileSchema, fix);
}
