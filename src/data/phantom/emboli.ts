/**
 * Emboli as filling defects inside the pulmonary arteries. Central clots sit in the trunk
 * bifurcation (saddle), a main or a lobar artery: large, spanning many slices, partial or
 * saddle. Peripheral clots sit in segmental or subsegmental arteries: small, few slices, often
 * occlusive. A clot is a chain of capsules along the vessel axis, with radius `fill x vessel
 * radius` (partial, leaving a rim of contrast of at least `minRimMm`) or the whole lumen
 * (occlusive).
 *
 * @example
 * ```ts
 * import { Rng } from "../../util/random.ts";
 * import { sampleAnatomy } from "./anatomy.ts";
 * import { growArterialTree } from "./vessels.ts";
 * import { planClot } from "./emboli.ts";
 * import { phantomProfile } from "./profile.ts";
 * const rng = new Rng(5);
 * const profile = phantomProfile("demo");
 * const arteries = growArterialTree(rng, sampleAnatomy(rng, 250), profile.arteryRadiusMm);
 * const clot = planClot(rng, profile, arteries, "peripheral", false);
 * ```
 */
import type { Rng } from "../../util/random.ts";
import type { PhantomProfile } from "./profile.ts";
import {
  add,
  cross,
  normalize,
  pointOnTube,
  scale,
  sub,
  type Tube,
  tubeLength,
} from "./vessels.ts";
import type { ClotTruth } from "./truth.ts";

/** A clot before rasterisation: its capsules and its descriptive truth. */
export interface ClotPlan {
  location: ClotTruth["location"];
  class: ClotTruth["class"];
  side: ClotTruth["side"];
  occlusive: boolean;
  hu: number;
  vesselRadiusMm: number;
  capsules: Pick<Tube, "a" | "b" | "radius">[];
}

const generationOf = { main: 1, lobar: 2, segmental: 3, subsegmental: 4 } as const;

/** Number of clots of a positive exam (1-6; fewer are more common). */
export function clotCount(rng: Rng): number {
  const weights = [0.3, 0.25, 0.18, 0.12, 0.09, 0.06];
  let u = rng.uniform();
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i];
    if (u < 0) return i + 1;
  }
  return 6;
}

/**
 * Plan one clot of `kind` in `arteries`; `eccentric` puts partial clots against the wall
 * (chronic, mural). Returns null when the tree has no vessel of the wanted kind.
 */
export function planClot(
  rng: Rng,
  profile: PhantomProfile,
  arteries: readonly Tube[],
  kind: "central" | "peripheral",
  eccentric: boolean,
): ClotPlan | null {
  const hu = rng.between(profile.clotHu[0], profile.clotHu[1]);
  if (kind === "central" && rng.chance(0.15)) return saddleClot(rng, profile, arteries, hu);
  const location = kind === "central"
    ? (rng.chance(0.45) ? "main" : "lobar")
    : (rng.chance(0.5) ? "segmental" : "subsegmental");
  const candidates = arteries
    .map((tube, index) => ({ tube, index }))
    .filter(({ tube }) => tube.generation === generationOf[location]);
  if (candidates.length === 0) return null;
  const { tube, index } = rng.pick(candidates);
  const occlusive = kind === "peripheral" && rng.chance(profile.peripheralOcclusive);
  const range = kind === "central" ? profile.centralLengthMm : profile.peripheralLengthMm;
  const length = rng.between(range[0], range[1]);
  const path = pathDown(rng, arteries, index, length);
  const capsules = path.map((piece) => {
    const radius = clotRadius(rng, profile, piece.tube.radius, occlusive);
    let a = pointOnTube(piece.tube, piece.t0);
    let b = pointOnTube(piece.tube, piece.t1);
    if (eccentric && !occlusive) {
      const axis = normalize(sub(b, a));
      const off = scale(
        normalize(cross(axis, [0.3, 0.5, 0.8])),
        (piece.tube.radius - radius) * 0.9,
      );
      a = add(a, off);
      b = add(b, off);
    }
    return { a, b, radius };
  });
  return {
    location,
    class: kind,
    side: tube.side < 0 ? "right" : "left",
    occlusive,
    hu,
    vesselRadiusMm: tube.radius,
    capsules,
  };
}

function clotRadius(rng: Rng, profile: PhantomProfile, vessel: number, occlusive: boolean) {
  if (occlusive) return vessel + 0.5;
  const fill = rng.between(profile.partialFill[0], profile.partialFill[1]) * vessel;
  return Math.max(0.3 * vessel, Math.min(fill, vessel - profile.minRimMm));
}

/** A saddle clot astride the trunk bifurcation, reaching into both main arteries. */
function saddleClot(rng: Rng, profile: PhantomProfile, arteries: readonly Tube[], hu: number) {
  const trunk = arteries[0];
  const mains = arteries.filter((t) => t.generation === 1 && t.parent === 0);
  const reach = rng.between(0.5, 0.9);
  const capsules = mains.map((main) => ({
    a: pointOnTube(trunk, 0.85),
    b: pointOnTube(main, reach),
    radius: clotRadius(rng, profile, main.radius, false),
  }));
  return {
    location: "saddle" as const,
    class: "central" as const,
    side: "both" as const,
    occlusive: false,
    hu,
    vesselRadiusMm: trunk.radius,
    capsules,
  };
}

/** Walk `length` mm down the tree from a random start in tube `index`, into random children. */
function pathDown(rng: Rng, arteries: readonly Tube[], index: number, length: number) {
  const pieces: { tube: Tube; t0: number; t1: number }[] = [];
  let tube = arteries[index];
  let current = index;
  let left = length;
  let t0 = rng.between(0.05, 0.5);
  while (left > 0) {
    const tubeLen = tubeLength(tube);
    const available = (1 - t0) * tubeLen;
    const used = Math.min(left, available);
    pieces.push({ tube, t0, t1: t0 + used / tubeLen });
    left -= used;
    const children = arteries
      .map((t, i) => ({ t, i }))
      .filter(({ t }) => t.parent === current);
    if (left <= 0 || children.length === 0) break;
    const next = rng.pick(children);
    tube = next.t;
    current = next.i;
    t0 = 0;
  }
  return pieces;
}
