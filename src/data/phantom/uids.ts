/**
 * Deterministic DICOM UIDs: `2.25.<decimal of a 128-bit number>` (the UUID-derived form of
 * PS3.5 B.2), with the 128 bits drawn from the dataset seed and the object's identity, so the
 * same seed gives the same UIDs and different objects never collide in practice.
 *
 * @example
 * ```ts
 * import { phantomUid } from "./uids.ts";
 * const study = phantomUid(7, "study", 12); // "2.25.…", stable for seed 7, exam 12
 * ```
 */
import { mixSeed } from "../../util/random.ts";

const kindCodes = { study: 1, series: 2, sop: 3, frame: 4 } as const;

/** The UID of a study, series, SOP instance or frame of reference. */
export function phantomUid(
  seed: number,
  kind: keyof typeof kindCodes,
  exam: number,
  slice = 0,
): string {
  let value = 0n;
  for (let word = 0; word < 4; word++) {
    value = (value << 32n) | BigInt(mixSeed(seed, kindCodes[kind], exam, slice, word));
  }
  if (value === 0n) value = 1n;
  return `2.25.${value.toString()}`;
}
