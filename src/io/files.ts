/**
 * File-system questions asked before reading or resuming: does a path exist. The one helper for
 * it: a stage's output, a marker, a run's file.
 *
 * @example
 * ```ts
 * import { pathExists } from "./files.ts";
 * if (await pathExists("out/run.json")) console.log("resuming");
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
