/**
 * What a run did, written next to its outputs: command, config, seed, software versions,
 * platform and the git commit of the code, so every result can be traced and rerun.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { runRecord } from "./run_record.ts";
 * const record = runRecord("evaluate", { ciMethod: "wilson" }, 0);
 * assert.equal(record.command, "evaluate");
 * // written beside the outputs: writeJsonAtomic("out/run.json", { ...record, seconds: 1.2 })
 * ```
 */
import denoConfig from "../../deno.json" with { type: "json" };

/** The provenance block of one run. */
export interface RunRecord {
  command: string;
  config: unknown;
  seed: number | null;
  startedAt: string;
  versions: { deno: string; v8: string; typescript: string; packages: Record<string, string> };
  platform: { os: string; arch: string; cpus: number };
  gitCommit: string | null;
}

/** Build the record for `command` run with `config` and `seed` (null when nothing is random). */
export function runRecord(command: string, config: unknown, seed: number | null): RunRecord {
  return {
    command,
    config,
    seed,
    startedAt: new Date().toISOString(),
    versions: { ...Deno.version, packages: pinnedPackages() },
    platform: { os: Deno.build.os, arch: Deno.build.arch, cpus: navigator.hardwareConcurrency },
    gitCommit: gitCommit(),
  };
}

/** The npm packages and versions pinned in deno.json, e.g. `{ zod: "4.6.7" }`. */
export function pinnedPackages(): Record<string, string> {
  const packages: Record<string, string> = {};
  for (const specifier of Object.values(denoConfig.imports as Record<string, string>)) {
    const match = /^npm:(@?[^@]+)@(.+)$/.exec(specifier);
    if (match) packages[match[1]] = match[2];
  }
  return packages;
}

function gitCommit(): string | null {
  try {
    const out = new Deno.Command("git", {
      args: ["rev-parse", "HEAD"],
      cwd: new URL("../..", import.meta.url),
      stdout: "piped",
      stderr: "null",
    }).outputSync();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : null;
  } catch {
    return null;
  }
}
