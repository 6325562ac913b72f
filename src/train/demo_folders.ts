/**
 * The folders a demo run writes, as `deno task demo` lays them out for a profile P:
 * `data/P`, `data-manifests/P`, `cache/P`, `runs/P` (its evaluation in `runs/P/evaluation`) and
 * the figures folder; `P-no-clots` for the shortcut probe; everything under one work folder W
 * (W/data, W/data-manifest, W/cache, W/runs) when one is given. The notebooks read these.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { demoFolders } from "./demo_folders.ts";
 * assert.deepEqual(demoFolders({ profile: "demo" }), {
 *   data: "data/demo", manifest: "data-manifests/demo", cache: "cache/demo", runs: "runs/demo",
 *   evaluation: "runs/demo/evaluation", figures: "figures",
 * });
 * assert.equal(demoFolders({ profile: "tiny", workDir: "/w" }).cache, "/w/cache");
 * ```
 */
import { join } from "node:path";
import { z } from "zod";
import type { ProfileName } from "../data/phantom/profile.ts";

/** The folders of a demo run. */
export const demoFoldersSchema = z.object({
  data: z.string(),
  manifest: z.string(),
  cache: z.string(),
  runs: z.string(),
  evaluation: z.string(),
  figures: z.string(),
});

/** Folders of a demo run. */
export type DemoFolders = z.infer<typeof demoFoldersSchema>;

/** Which demo folder. */
export type DemoFolder = keyof DemoFolders;

/** What decides the folders: the profile, the shortcut probe, and folders given by flags. */
export interface DemoFolderOptions {
  profile: ProfileName;
  /** The shortcut probe's run (clots erased): folders named `P-no-clots`. */
  eraseClots?: boolean;
  /** One folder for data (unless `dataDir`), manifest, cache and runs. */
  workDir?: string;
  /** The synthetic dataset's folder. */
  dataDir?: string;
  /** The figures and study report (default `figures`). */
  figuresDir?: string;
}

/**
 * The folders of a demo run of `options.profile` (see the module doc).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { demoFolders } from "./demo_folders.ts";
 * assert.equal(demoFolders({ profile: "demo", eraseClots: true }).runs, "runs/demo-no-clots");
 * ```
 */
export function demoFolders(options: DemoFolderOptions): DemoFolders {
  const name = options.eraseClots ? `${options.profile}-no-clots` : options.profile;
  const work = options.workDir;
  const runs = work ? join(work, "runs") : join("runs", name);
  return {
    data: options.dataDir ?? (work ? join(work, "data") : join("data", name)),
    manifest: work ? join(work, "data-manifest") : join("data-manifests", name),
    cache: work ? join(work, "cache") : join("cache", name),
    runs,
    evaluation: join(runs, "evaluation"),
    figures: options.figuresDir ?? "figures",
  };
}
