/**
 * Shared helpers below every stage, with no domain knowledge: seeded random numbers and the
 * named purpose tags that keep their streams apart.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { mixSeed, Rng, SEED_STREAMS } from "./mod.ts";
 * const rng = new Rng(mixSeed(42, SEED_STREAMS.phantomExam, 7));
 * const u = rng.uniform();
 * assert.ok(u >= 0 && u < 1);
 * ```
 */
export * from "./random.ts";
export * from "./seed_streams.ts";
