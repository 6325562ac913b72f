/**
 * One synthetic CTPA exam: anatomy, vessels, emboli, mimics and noise composed into an HU
 * volume, quantised to int16 stored values (HU = stored - 1024), with its truth (clots and
 * positive slices), UIDs and slice geometry. Everything derives from (dataset seed, exam index),
 * so any exam can be regenerated alone.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { generateExam } from "./exam.ts";
 * import { examPlans } from "./schedule.ts";
 * import { phantomProfile } from "./profile.ts";
 * const plan = examPlans(0, 10)[3];
 * const exam = generateExam(0, phantomProfile("tiny"), plan);
 * assert.deepEqual(exam.truth.positiveSlices, [10, 11, 12, 20, 21, 22, 23]); // a positive exam
 * ```
 */
import { mixSeed, Rng, SEED_STREAMS } from "../../util/mod.ts";
import type { PhantomProfile } from "./profile.ts";
import type { ExamPlan } from "./schedule.ts";
import { makeGrid, type PhantomGrid } from "./grid.ts";
import { paintBackground, sampleAnatomy } from "./anatomy.ts";
import {
  airwaysBeside,
  aortaTubes,
  centralAirways,
  growArterialTree,
  growVeins,
  paintTube,
  pointOnTube,
  svcTubes,
  type Tube,
} from "./vessels.ts";
import { clotCount, type ClotPlan, planClot } from "./emboli.ts";
import { addNoise, motionBlur, streaks } from "./artefacts.ts";
import { Tissue } from "./tissue.ts";
import { phantomUid } from "./uids.ts";
import type { ClotTruth, ExamFlags, ExamTruth } from "./truth.ts";

/** Stored value = HU - RESCALE_INTERCEPT (RescaleSlope 1). */
export const RESCALE_INTERCEPT = -1024;

/** A generated exam, in memory. */
export interface PhantomExam {
  grid: PhantomGrid;
  /** Stored int16 values, shape [slices, rows, cols], slice 0 = lowest z. */
  stored: Int16Array;
  /** Tissue code per voxel (see tissue.ts), shape [slices, rows, cols]. */
  tissue: Uint8Array;
  /** HU before artefacts and noise (only with `keepTruthMaps`: tests, notebooks). */
  cleanHu: Float32Array | null;
  /** Clot coverage per voxel, 0..255 (only with `keepTruthMaps`). */
  clotCoverage: Uint8Array | null;
  /** PixelPaddingValue (stored) when the exam pads outside its reconstruction circle. */
  paddingStored: number | null;
  /** ImageOrientationPatient. */
  orientation: [number, number, number, number, number, number];
  /** ImagePositionPatient per slice (ascending z). */
  positions: [number, number, number][];
  truth: ExamTruth;
  /** Exam-level RSPECT flags (0/1). */
  flags: ExamFlags;
}

/** Share of exams, positive or negative alike, drawn with an enlarged right ventricle. */
export const RV_ENLARGED_SHARE = 0.3;

/** A voxel counts towards a clot's slices when the clot fills at least half of it. */
const CLOT_SLICE_COVERAGE = 0.5;

/** Options of {@link generateExam}. */
export interface GenerateOptions {
  /** Keep the clean HU and the clot coverage maps (tests, notebooks). */
  keepTruthMaps?: boolean;
  /**
   * Plan and record the clots as usual but leave them out of the image (arteries stay fully
   * opacified): the same exam without its emboli, for the shortcut probe
   * (bench/shortcut_probe.ts). Every other voxel is unchanged.
   */
  eraseClots?: boolean;
}

/** Generate exam `plan.index` of dataset `seed`. */
export function generateExam(
  seed: number,
  profile: PhantomProfile,
  plan: ExamPlan,
  options: GenerateOptions = {},
): PhantomExam {
  const rng = new Rng(mixSeed(seed, SEED_STREAMS.phantomExam, plan.index));
  const dz = round(rng.between(profile.sliceMm[0], profile.sliceMm[1]), 2);
  const slices = Math.round(rng.between(profile.scanLengthMm[0], profile.scanLengthMm[1]) / dz);
  const anatomy = sampleAnatomy(rng, slices * dz);
  const fov = Math.max(rng.between(profile.fovMm[0], profile.fovMm[1]), 2 * anatomy.bodyA + 24);
  const px = round(fov / profile.matrix, 4);
  const centre = [rng.between(-8, 8), rng.between(-8, 8)];
  const grid = makeGrid(profile.matrix, slices, px, dz, [
    round(centre[0] - fov / 2 + px / 2, 3),
    round(centre[1] - fov / 2 + px / 2, 3),
    round(-(slices - 1) * dz - dz / 2, 3),
  ]);

  // Exam-level state: timing, heart strain, chronicity, mimics.
  const indeterminate = plan.label === "indeterminate";
  const positive = plan.label === "positive";
  const poorContrast = indeterminate ? rng.chance(0.5) : rng.chance(0.05);
  const motion = indeterminate ? !poorContrast : rng.chance(0.08);
  const bolus = poorContrast
    ? rng.between(150, 195)
    : rng.between(profile.bolusHu[0], profile.bolusHu[1]);
  const aortaHu = bolus * rng.between(0.45, 0.85);
  const veinHu = bolus * rng.between(0.35, 0.6);
  const denseSvc = rng.chance(0.4);
  const svcHu = denseSvc ? rng.between(1200, 2500) : bolus * rng.between(0.6, 1);
  // An enlarged right ventricle (RV/LV >= 1) as often in negative exams as in positive ones, so
  // that it carries no exam label (bench/shortcut_probe.ts); RSPECT's table records RV/LV only
  // for positive exams, so negatives keep both columns at 0 (docs/synthetic-data.md).
  const rvLvGte1 = rng.chance(RV_ENLARGED_SHARE);
  anatomy.rvShare = rvLvGte1 ? rng.between(0.55, 0.62) : rng.between(0.4, 0.48);
  const chronicDraw = rng.uniform();
  const chronic: ExamTruth["chronic"] = !positive
    ? "none"
    : chronicDraw < 0.04
    ? "chronic"
    : chronicDraw < 0.07
    ? "acute_and_chronic"
    : "none";
  const noiseSd = indeterminate
    ? rng.between(25, 35)
    : rng.between(profile.noiseSdHu[0], profile.noiseSdHu[1]);

  // Tubes.
  const radii = profile.arteryRadiusMm;
  const arteries = growArterialTree(rng, anatomy, radii);
  const veins = growVeins(rng, anatomy, radii);
  const airways = [...centralAirways(rng, anatomy), ...airwaysBeside(rng, arteries)];
  const aorta = aortaTubes(rng, anatomy);
  const svc = svcTubes(rng, anatomy);

  // Flow (mixing) artefact: a soft dip of arterial attenuation around one artery.
  const flow = rng.chance(0.12) ? flowDip(rng, arteries) : null;
  const arteryHuAt = (x: number, y: number, z: number) => {
    let value = bolus * (1 + 0.05 * Math.max(-1, Math.min(1, (z - anatomy.zCarina) / 80)));
    if (flow) {
      const d2 = (x - flow.c[0]) ** 2 + (y - flow.c[1]) ** 2 + (z - flow.c[2]) ** 2;
      value *= 1 - flow.depth * Math.exp(-d2 / (flow.r * flow.r));
    }
    return value;
  };

  const hu = new Float32Array(grid.voxels);
  const tissue = new Uint8Array(grid.voxels);
  paintBackground(anatomy, grid, arteryHuAt(0, 0, anatomy.heart.cz) * 1.02, aortaHu, hu, tissue);
  const lungBox = lungBoundingBox(grid, tissue);
  const layers = {
    vein: new Uint8Array(grid.voxels),
    airway: new Uint8Array(grid.voxels),
    aorta: new Uint8Array(grid.voxels),
    svc: new Uint8Array(grid.voxels),
    artery: new Uint8Array(grid.voxels),
    clot: new Uint8Array(grid.voxels),
  };
  for (const t of veins) paintTube(grid, t, layers.vein);
  for (const t of airways) paintTube(grid, t, layers.airway);
  for (const t of aorta) paintTube(grid, t, layers.aorta);
  for (const t of svc) paintTube(grid, t, layers.svc);
  for (const t of arteries) paintTube(grid, t, layers.artery);

  // Emboli (positives only), each with the slices it shows on.
  const clotId = new Uint8Array(grid.voxels);
  const clots: ClotTruth[] = [];
  if (positive) {
    const wanted = clotCount(rng);
    const centralCount = plan.subtype === "central" ? 1 + (rng.chance(0.35) ? 1 : 0) : 0;
    for (let n = 0, tries = 0; n < wanted && tries < 40; tries++) {
      const kind = n < centralCount ? "central" : "peripheral";
      const clot = planClot(rng, profile, arteries, kind, chronic !== "none");
      if (!clot) continue;
      const painted = paintClot(grid, clot, layers, clotId, clots.length + 1);
      if (painted.slices.length === 0) continue; // too small to show: place it elsewhere
      clots.push({ ...describe(clot), volumeMm3: painted.volumeMm3, slices: painted.slices });
      n++;
    }
    if (!clots.some((c) => c.class === (plan.subtype ?? "peripheral"))) {
      throw new Error(`exam ${plan.index}: could not place a ${plan.subtype} clot; seed ${seed}`);
    }
  }

  if (options.eraseClots) {
    layers.clot.fill(0);
    clotId.fill(0);
  }

  // Compose the layers over the background.
  const clean = options.keepTruthMaps ? new Float32Array(grid.voxels) : null;
  composite(grid, hu, tissue, layers, clotId, clots, {
    vein: veinHu,
    aorta: aortaHu,
    svc: svcHu,
    artery: arteryHuAt,
  });
  clean?.set(hu);

  // Artefacts, then noise.
  const mimics: ExamTruth["mimics"] = [];
  if (flow) mimics.push("flow");
  if (poorContrast) mimics.push("poor-opacification");
  if (motion) {
    const heartTop = anatomy.heart.cz + anatomy.heart.rz;
    const k1 = indeterminate ? grid.slices - 1 : Math.round((heartTop - grid.origin[2]) / dz);
    const k0 = indeterminate ? 0 : Math.max(0, k1 - Math.round(80 / dz));
    const width = Math.max(2, Math.round((indeterminate ? 12 : 7) / px));
    motionBlur(grid, hu, k0, k1, width, rng.chance(0.5) ? "x" : "y");
    mimics.push("motion");
  }
  if (denseSvc) {
    const top = svc[0].a, bottom = svc[svc.length - 1].b;
    const k0 = Math.max(0, Math.round((bottom[2] - grid.origin[2]) / dz));
    const k1 = Math.round((anatomy.zCarina + 30 - grid.origin[2]) / dz);
    streaks(
      rng,
      grid,
      hu,
      (v) => tissue[v] !== Tissue.Air,
      [top[0], top[1]],
      k0,
      k1,
      rng.between(60, 160),
    );
    mimics.push("streaks");
  }
  addNoise(rng, hu, noiseSd);

  // Reconstruction circle: padded in some exams, air elsewhere.
  const paddingHu = rng.chance(0.35) ? rng.pick([-2048, -3024]) : null;
  if (paddingHu !== null) {
    const r2 = (fov / 2) ** 2;
    for (let k = 0, v = 0; k < grid.slices; k++) {
      for (let j = 0; j < grid.rows; j++) {
        const y = grid.origin[1] + j * px - centre[1];
        for (let i = 0; i < grid.cols; i++, v++) {
          const x = grid.origin[0] + i * px - centre[0];
          if (x * x + y * y > r2) {
            hu[v] = paddingHu;
            tissue[v] = Tissue.Padding;
          }
        }
      }
    }
  }
  const stored = new Int16Array(grid.voxels);
  for (let v = 0; v < hu.length; v++) {
    stored[v] = Math.max(-32768, Math.min(32767, Math.round(hu[v] - RESCALE_INTERCEPT)));
  }

  // Geometry and defects.
  const tiltDeg = plan.broken === "gantry-tilt"
    ? rng.between(12, 25) * (rng.chance(0.5) ? 1 : -1)
    : null;
  const tilt = (tiltDeg ?? 0) * (Math.PI / 180);
  const orientation: PhantomExam["orientation"] = [1, 0, 0, 0, Math.cos(tilt), Math.sin(tilt)];
  const positions = Array.from(
    { length: grid.slices },
    (_, k) =>
      [grid.origin[0], grid.origin[1], round(grid.origin[2] + k * dz, 3)] as [
        number,
        number,
        number,
      ],
  );
  const sopUids = positions.map((_, k) => phantomUid(seed, "sop", plan.index, k));
  const missingSlice = plan.broken === "missing-slice"
    ? lungBox[0] + 1 + rng.int(Math.max(1, lungBox[1] - lungBox[0] - 1))
    : null;

  const positiveSlices = [...new Set(clots.flatMap((c) => c.slices))].sort((a, b) => a - b);
  const sides = new Set(clots.map((c) => c.side));
  const truth: ExamTruth = {
    index: plan.index,
    studyUid: phantomUid(seed, "study", plan.index),
    seriesUid: phantomUid(seed, "series", plan.index),
    split: plan.split,
    label: plan.label,
    subtype: plan.subtype,
    broken: plan.broken,
    missingSopUid: missingSlice === null ? null : sopUids[missingSlice],
    gantryTiltDeg: tiltDeg,
    slices: grid.slices,
    pixelSpacingMm: px,
    sliceThicknessMm: dz,
    bolusHu: bolus,
    noiseSdHu: noiseSd,
    paddingHu,
    rvLvRatioGte1: rvLvGte1,
    chronic,
    mimics,
    lungBox,
    clots,
    positiveSlices,
    sopUids,
  };
  const flags: ExamFlags = {
    negative_exam_for_pe: plan.label === "negative" ? 1 : 0,
    qa_motion: indeterminate && motion ? 1 : 0,
    qa_contrast: indeterminate && poorContrast ? 1 : 0,
    flow_artifact: flow ? 1 : 0,
    rv_lv_ratio_gte_1: positive && rvLvGte1 ? 1 : 0,
    rv_lv_ratio_lt_1: positive && !rvLvGte1 ? 1 : 0,
    leftsided_pe: sides.has("left") || sides.has("both") ? 1 : 0,
    chronic_pe: chronic === "chronic" ? 1 : 0,
    true_filling_defect_not_pe: 0,
    rightsided_pe: sides.has("right") || sides.has("both") ? 1 : 0,
    acute_and_chronic_pe: chronic === "acute_and_chronic" ? 1 : 0,
    central_pe: clots.some((c) => c.class === "central") ? 1 : 0,
    indeterminate: indeterminate ? 1 : 0,
  };
  return {
    grid,
    stored,
    tissue,
    cleanHu: clean,
    clotCoverage: options.keepTruthMaps ? layers.clot : null,
    paddingStored: paddingHu === null ? null : paddingHu - RESCALE_INTERCEPT,
    orientation,
    positions,
    truth,
    flags,
  };
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

function flowDip(rng: Rng, arteries: readonly Tube[]) {
  const lower = arteries.filter((t) => t.generation >= 2 && t.generation <= 3 && t.a[2] > t.b[2]);
  const tube = lower.length > 0 && rng.chance(0.7) ? rng.pick(lower) : arteries[0];
  return {
    c: pointOnTube(tube, rng.between(0.3, 0.8)),
    r: rng.between(12, 25),
    depth: rng.between(0.3, 0.5),
  };
}

function describe(clot: ClotPlan): Omit<ClotTruth, "volumeMm3" | "slices"> {
  return {
    location: clot.location,
    class: clot.class,
    side: clot.side,
    occlusive: clot.occlusive,
    hu: clot.hu,
    vesselRadiusMm: clot.vesselRadiusMm,
  };
}

/** Rasterise a clot inside the arterial lumen; returns its volume and the slices it shows on. */
function paintClot(
  grid: PhantomGrid,
  clot: ClotPlan,
  layers: { artery: Uint8Array; clot: Uint8Array },
  clotId: Uint8Array,
  id: number,
): { volumeMm3: number; slices: number[] } {
  const own = new Map<number, number>();
  for (const capsule of clot.capsules) {
    paintTube(grid, capsule, layers.clot, layers.artery, (v, value) => {
      own.set(v, Math.max(own.get(v) ?? 0, value));
      clotId[v] = id;
    });
  }
  const perSlice = grid.rows * grid.cols;
  const slices = new Set<number>();
  let volume = 0;
  for (const [v, value] of own) {
    volume += value;
    if (value >= CLOT_SLICE_COVERAGE) slices.add(Math.floor(v / perSlice));
  }
  return {
    volumeMm3: Math.round(volume * grid.px * grid.px * grid.dz),
    slices: [...slices].sort((a, b) => a - b),
  };
}

/** Blend tube layers over the background (painter's order) and mark pure tissues. */
function composite(
  grid: PhantomGrid,
  hu: Float32Array,
  tissue: Uint8Array,
  layers: Record<"vein" | "airway" | "aorta" | "svc" | "artery" | "clot", Uint8Array>,
  clotId: Uint8Array,
  clots: readonly ClotTruth[],
  values: {
    vein: number;
    aorta: number;
    svc: number;
    artery: (x: number, y: number, z: number) => number;
  },
): void {
  const simple: [Uint8Array, number, number][] = [
    [layers.vein, values.vein, Tissue.Vein],
    [layers.airway, -1000, Tissue.Airway],
    [layers.aorta, values.aorta, Tissue.SystemicBlood],
    [layers.svc, values.svc, Tissue.SystemicBlood],
  ];
  for (let k = 0, v = 0; k < grid.slices; k++) {
    const z = grid.origin[2] + k * grid.dz;
    for (let j = 0; j < grid.rows; j++) {
      const y = grid.origin[1] + j * grid.px;
      for (let i = 0; i < grid.cols; i++, v++) {
        if (tissue[v] === Tissue.Air) continue;
        for (const [layer, value, code] of simple) {
          const c = layer[v];
          if (c === 0) continue;
          hu[v] += (value - hu[v]) * (c / 255);
          tissue[v] = c === 255 ? code : Tissue.Mixed;
        }
        const ca = layers.artery[v];
        if (ca === 0) continue;
        const x = grid.origin[0] + i * grid.px;
        let lumen = values.artery(x, y, z);
        let code: number = Tissue.Artery;
        const cc = layers.clot[v];
        if (cc > 0) {
          const fraction = Math.min(1, cc / ca);
          lumen += (clots[clotId[v] - 1].hu - lumen) * fraction;
          code = fraction === 1 ? Tissue.Clot : Tissue.Mixed;
        }
        hu[v] += (lumen - hu[v]) * (ca / 255);
        tissue[v] = ca === 255 ? code : Tissue.Mixed;
      }
    }
  }
}

/** Bounding box of the lung voxels in voxels: [k0, k1, j0, j1, i0, i1]. */
function lungBoundingBox(grid: PhantomGrid, tissue: Uint8Array): number[] {
  const box = [Infinity, -Infinity, Infinity, -Infinity, Infinity, -Infinity];
  for (let k = 0, v = 0; k < grid.slices; k++) {
    for (let j = 0; j < grid.rows; j++) {
      for (let i = 0; i < grid.cols; i++, v++) {
        if (tissue[v] !== Tissue.Lung) continue;
        box[0] = Math.min(box[0], k);
        box[1] = Math.max(box[1], k);
        box[2] = Math.min(box[2], j);
        box[3] = Math.max(box[3], j);
        box[4] = Math.min(box[4], i);
        box[5] = Math.max(box[5], i);
      }
    }
  }
  return box;
}
