/**
 * File-system questions asked before reading or resuming: does a path exist. The one helper for
 * it: a stage's output, a marker, a run's file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pathExists } from "./files.ts";
 * assert.equal(await pathExists("deno.json"), true); // run from the repository root
 * assert.equal(await pathExists("no/such/run.json"), false);
 * ```
 */

/**
 * Whether `path` exists (file or folder). Only "not found" answers false; any other failure
 * (e.g. permission denied) is thrown, so it is never mistaken for a missing file.
 */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
