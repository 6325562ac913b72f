/**
 * The text of a caught error for a message that names a file and a fix: the `message` of an
 * `Error`, anything else (a thrown string, a number) as text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { errorMessage } from "./errors.ts";
 * assert.equal(errorMessage(new Error("disk full")), "disk full");
 * assert.equal(errorMessage("stopped"), "stopped");
 * ```
 */

/** `error.message` of an `Error`, else `String(error)`. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
