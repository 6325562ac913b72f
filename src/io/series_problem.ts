/**
 * Why a DICOM series cannot become a sound volume: one reason code per failure, with a detail
 * that names the slice, attribute or gap. The reader throws {@link SeriesError}; the header
 * validator returns a {@link SeriesProblem}.
 *
 * @example
 * ```ts
 * import { SeriesError } from "./series_problem.ts";
 * try {
 *   throw new SeriesError("missing-slices", "gap of 5 mm at z = 12.5 (median 2.5 mm)", "/d/s1");
 * } catch (e) {
 *   if (e instanceof SeriesError) console.log(e.reason); // "missing-slices"
 * }
 * ```
 */
import { z } from "zod";

/** The reason codes of the DICOM stage, in the order the validator checks them. */
export const seriesReasonCodes = [
  "missing-attribute",
  "unreadable-pixels",
  "mixed-series",
  "gantry-tilt",
  "non-axial",
  "missing-slices",
  "inconsistent-increment",
] as const;

/** Schema of a reason code (used when reading cached check results back). */
export const ReasonCodeSchema = z.enum(seriesReasonCodes);

/** One of {@link seriesReasonCodes}. */
export type ReasonCode = z.infer<typeof ReasonCodeSchema>;

/** Schema of one series problem: `{ reason, detail }`. */
export const SeriesProblemSchema = z.object({ reason: ReasonCodeSchema, detail: z.string() });

/** A series problem: the reason code and a human-readable detail. */
export type SeriesProblem = z.infer<typeof SeriesProblemSchema>;

/** Thrown by the series reader; `path` is the series folder or the offending file. */
export class SeriesError extends Error {
  /** The reason code. */
  readonly reason: ReasonCode;
  /** What exactly is wrong (slice, attribute, gap). */
  readonly detail: string;
  /** The series folder or file. */
  readonly path: string;

  /** Build the error; the message reads `reason: detail (path)`. */
  constructor(reason: ReasonCode, detail: string, path: string) {
    super(`${reason}: ${detail} (${path})`);
    this.name = "SeriesError";
    this.reason = reason;
    this.detail = detail;
    this.path = path;
  }
}
