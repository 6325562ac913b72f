/**
 * Where the DICOM series are under a path given by a user: the path itself (a series folder:
 * files, no subfolders), its subfolders (a study folder: `<Study>/<Series>/`) or its
 * sub-subfolders (an RSPECT-style tree: `<root>/<Study>/<Series>/`). A series folder is a folder
 * holding files and no subfolder; hidden entries are ignored, and loose files beside subfolders
 * (train.csv in a tree root) do not make a series. Folders found empty are listed, not dropped.
 *
 * @example
 * ```ts ignore
 * import { findSeriesFolders } from "./series_folders.ts";
 * const found = await findSeriesFolders("data/synthetic");
 * found.layout; // "tree"
 * found.series.map((s) => s.dir); // ["data/synthetic/2.25.1/2.25.2", ...]
 * ```
 */
import { basename, dirname, join } from "node:path";
import { errorMessage } from "./errors.ts";

/** How the path was read. */
export type SeriesLayout = "series" | "study" | "tree";

/** One series folder found. */
export interface SeriesFolder {
  /** The folder holding the series' files. */
  dir: string;
  /** Its parent folder's name (the StudyInstanceUID in RSPECT's layout). */
  studyFolder: string;
  /** The folder's name (the SeriesInstanceUID in RSPECT's layout). */
  seriesFolder: string;
}

/** What {@link findSeriesFolders} found. */
export interface FoundSeries {
  layout: SeriesLayout;
  /** Series folders, sorted by path. */
  series: SeriesFolder[];
  /** Folders at series depth that hold no file: path and reason. */
  empty: { dir: string; reason: string }[];
}

interface FolderListing {
  files: number;
  folders: string[];
}

async function listFolder(dir: string): Promise<FolderListing> {
  const listing: FolderListing = { files: 0, folders: [] };
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.startsWith(".")) continue;
    if (entry.isDirectory) listing.folders.push(entry.name);
    else if (entry.isFile) listing.files++;
  }
  listing.folders.sort();
  return listing;
}

/**
 * Find the series under `path` (a series folder, a study folder or a tree of studies). Throws
 * when the path is not a readable folder or holds no series at all.
 *
 * @example
 * ```ts ignore
 * import { findSeriesFolders } from "./series_folders.ts";
 * const one = await findSeriesFolders("data/synthetic/2.25.1/2.25.2");
 * one.layout; // "series"
 * ```
 */
export async function findSeriesFolders(path: string): Promise<FoundSeries> {
  let top: FolderListing;
  try {
    top = await listFolder(path);
  } catch (error) {
    throw new Error(
      `${path}: not a readable folder (${
        errorMessage(error)
      }); fix: give a series folder, a study folder or a folder of studies`,
    );
  }
  const series = (dir: string): SeriesFolder => ({
    dir,
    studyFolder: basename(dirname(dir)),
    seriesFolder: basename(dir),
  });
  if (top.folders.length === 0) {
    if (top.files === 0) {
      throw new Error(`${path}: the folder is empty; fix: give a folder holding DICOM files`);
    }
    return { layout: "series", series: [series(path)], empty: [] };
  }
  const children = await Promise.all(
    top.folders.map(async (name) => ({
      dir: join(path, name),
      ...await listFolder(join(path, name)),
    })),
  );
  // A study folder: some child is a series (files, no subfolders) and none holds subfolders.
  if (children.every((c) => c.folders.length === 0)) {
    return {
      layout: "study",
      series: children.filter((c) => c.files > 0).map((c) => series(c.dir)),
      empty: children.filter((c) => c.files === 0).map((c) => ({
        dir: c.dir,
        reason: "empty series folder",
      })),
    };
  }
  const found: FoundSeries = { layout: "tree", series: [], empty: [] };
  for (const study of children) {
    if (study.folders.length === 0) {
      found.empty.push({
        dir: study.dir,
        reason: study.files > 0
          ? "files directly in a study folder of a tree (expected <study>/<series>/files)"
          : "empty study folder",
      });
      continue;
    }
    for (const name of study.folders) {
      const dir = join(study.dir, name);
      const listing = await listFolder(dir);
      if (listing.files > 0 && listing.folders.length === 0) found.series.push(series(dir));
      else {
        found.empty.push({
          dir,
          reason: listing.files === 0 ? "empty series folder" : "series folder holds subfolders",
        });
      }
    }
  }
  if (found.series.length === 0) {
    throw new Error(
      `${path}: no series folder found (expected <study>/<series>/files); fix: give a series folder, a study folder or a folder of studies`,
    );
  }
  return found;
}
