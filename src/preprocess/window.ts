/**
 * CT intensity windowing: HU -> [0, 1] for a window of `centre` and `width` (default centre
 * 100, width 700: -250 HU -> 0, 450 HU -> 1, clamped outside), and [0, 1] -> the uint8 stored
 * in the prepared-exam cache: byte = round(255 x value), ties rounded up (Math.round), so
 * 100 HU (value 0.5, 127.5) is stored as 128 and read back as 128 / 255.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { windowByte, windowUnit } from "./window.ts";
 * assert.equal(windowUnit(-250), 0);
 * assert.equal(windowUnit(100), 0.5);
 * assert.equal(windowByte(windowUnit(450)), 255);
 * ```
 */
import { z } from "zod";

/** Window centre and width in HU. */
export const ctWindowSchema = z.object({
  centre: z.number().default(100),
  width: z.number().positive().default(700),
});
/** Window centre and width in HU. */
export type CtWindow = z.infer<typeof ctWindowSchema>;

/** The study's window: centre 100 HU, width 700 HU (-250..450 HU). */
export const pulmonaryAngioWindow: CtWindow = { centre: 100, width: 700 };

/**
 * HU -> [0, 1]: (hu - (centre - width / 2)) x (1 / width), clamped to [0, 1]; resampling uses
 * the same map.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { windowUnit } from "./window.ts";
 * assert.equal(windowUnit(-1000), 0); // clamped
 * assert.equal(windowUnit(275, { centre: 100, width: 700 }), 0.75);
 * ```
 */
export function windowUnit(hu: number, window: CtWindow = pulmonaryAngioWindow): number {
  const value = (hu - (window.centre - window.width / 2)) * (1 / window.width);
  return value <= 0 ? 0 : value >= 1 ? 1 : value;
}

/**
 * [0, 1] -> stored byte: round(255 x value), ties up; values outside [0, 1] are clamped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { windowByte } from "./window.ts";
 * assert.equal(windowByte(0.5), 128); // 127.5 rounded up
 * ```
 */
export function windowByte(value: number): number {
  const byte = Math.floor(255 * value + 0.5);
  return byte < 0 ? 0 : byte > 255 ? 255 : byte;
}
