/**
 * Atomic file writes: write to a temporary file beside the target, then rename, so an
 * interrupted run never leaves a half-written output that a rerun would mistake for a finished
 * one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { join } from "node:path";
 * import { writeJsonAtomic, writeTextAtomic } from "./atomic.ts";
 * const out = await Deno.makeTempDir();
 * await writeTextAtomic(join(out, "exams.csv"), "study_uid,label\n");
 * await writeJsonAtomic(join(out, "summary.json"), { included: 3 });
 * assert.equal(await Deno.readTextFile(join(out, "summary.json")), '{\n  "included": 3\n}\n');
 * ```
 */
import { dirname } from "node:path";
import { errorMessage } from "./errors.ts";

/** Write bytes to `path` atomically, creating parent folders. */
export async function writeBytesAtomic(path: string, bytes: Uint8Array): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${Deno.pid}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    await Deno.writeFile(tmp, bytes);
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw new Error(`could not write ${path}: ${errorMessage(error)}`);
  }
}

/** Write text (UTF-8) to `path` atomically. */
export function writeTextAtomic(path: string, text: string): Promise<void> {
  return writeBytesAtomic(path, new TextEncoder().encode(text));
}

/** Write pretty-printed JSON (with a trailing newline) to `path` atomically. */
export function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  return writeTextAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}
