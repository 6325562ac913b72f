/** One detected exam's point for the mass summaries and figures (peripheral, chance 0.1). */
import type { MassPoint } from "../../src/explain/mass_summary.ts";

/** A peripheral exam of `fraction` with `massInside` of its attention on the clot. */
export const massPoint = (
  fraction: number,
  massInside: number | null,
  chance = 0.1,
): MassPoint => ({
  fraction,
  examId: `e${fraction}-${massInside}`,
  subtype: "peripheral",
  massInside,
  chance,
});
