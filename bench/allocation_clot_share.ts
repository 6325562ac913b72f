/**
 * Where a label-allocation experiment's slice labels fell: for every finished run of an
 * experiment folder (`deno task allocate-experiment --out`), the masks its training used
 * (`runLabelMasks`, from its run.json) against the exams' true slice labels: how many labelled
 * training slices show clot, how many lie in positive exams, and how many exams hold a label. For
 * `adaptive-2` also the share on clot of round 2 alone (its labels beyond the even rule at half
 * the budget). A second table says where on the clot the labels fell: of the labelled clot
 * slices, the share at a clot's edge (the first or last slice of a run of clot slices, where the
 * clot is thinnest), and of the labelled slices without clot in positive exams, the share next to
 * a clot (one slice away); its first row is every training slice, the baseline an allocation blind
 * to the clot would match. Run it from the folder the experiment ran in (run.json names the
 * slice-scores files relative to it).
 *
 * @example
 * ```sh
 * deno run -A bench/allocation_clot_share.ts --out runs/allocation --cache runs/data-seed-0/cache
 * ```
 */
import { join } from "node:path";
import { z } from "zod";
import { parseFlags } from "../src/cli/flags.ts";
import { besideClot, scoringFraction } from "../src/labels/mod.ts";
import {
  cacheExamSource,
  type ExamInfo,
  type ExamSource,
  type LabelMasks,
  runExams,
  runLabelMasks,
  type TrainConfig,
  trainConfigSchema,
} from "../src/train/mod.ts";

/** Where on the clot a set of slices lies (counts). */
export interface ClotPlaces {
  /** Slices showing clot. */
  clot: number;
  /** Of `clot`: the first or last slice of a run of clot slices. */
  edge: number;
  /** Slices without clot in positive exams. */
  clear: number;
  /** Of `clear`: next to a clot slice. */
  nextToClot: number;
}

/** Where one run's labels fell. */
export interface ClotShare {
  labelled: number;
  /** Labelled slices that show clot, over `labelled`. */
  onClot: number;
  /** Labelled slices in positive exams, over `labelled`. */
  inPositives: number;
  /** Training exams with at least one labelled slice. */
  examsLabelled: number;
  exams: number;
  /** adaptive-2: the share on clot of the labels beyond its first round; null otherwise. */
  roundTwoOnClot: number | null;
  /** adaptive-2: the exams given a label in round 2; null otherwise. */
  roundTwoExams: number | null;
  /** Where on the clot the labelled slices lie. */
  places: ClotPlaces;
  /** adaptive-2: the same for round 2 alone; null otherwise. */
  roundTwoPlaces: ClotPlaces | null;
}

/** Where a slice of a positive exam lies relative to its clots. */
type Place = "clot-edge" | "clot-inner" | "next-to-clot" | "clear";

/**
 * Where each slice of a positive exam lies, from its slice labels [D] (1 = clot). A clot slice
 * is at the edge when a neighbour (or the volume's end) shows none; a slice without clot is next
 * to clot when a neighbour shows clot.
 *
 * @example
 * ```ts ignore
 * slicePlaces(Uint8Array.of(0, 1, 1, 1, 0, 0));
 * // -> ["next-to-clot", "clot-edge", "clot-inner", "clot-edge", "next-to-clot", "clear"]
 * ```
 */
export function slicePlaces(clot: Uint8Array): Place[] {
  const at = (z: number) => clot[z] === 1; // out of range reads undefined: no clot
  return [...clot].map((c, z) => {
    if (c === 1) return at(z - 1) && at(z + 1) ? "clot-inner" : "clot-edge";
    return besideClot(clot, z) ? "next-to-clot" : "clear";
  });
}

/** Adds one slice at `place` to `counts`. */
function countPlace(counts: ClotPlaces, place: Place): void {
  if (place === "clot-edge" || place === "clot-inner") counts.clot++;
  else counts.clear++;
  if (place === "clot-edge") counts.edge++;
  if (place === "next-to-clot") counts.nextToClot++;
}

/** Counts that start at zero. */
function noPlaces(): ClotPlaces {
  return { clot: 0, edge: 0, clear: 0, nextToClot: 0 };
}

/**
 * Counts where the run's labels fell over its training exams.
 *
 * @example
 * ```ts ignore
 * const share = await clotShare(config, source);
 * // share.onClot -> 0.21 (a fifth of the labelled slices show clot)
 * ```
 */
export async function clotShare(
  config: TrainConfig,
  source: ExamSource,
): Promise<ClotShare> {
  const { train } = runExams(source, config.fold, config.folds);
  const { masks } = await runLabelMasks(config, source, train);
  const first = config.allocation === undefined
    ? null
    : scoringFraction(config.allocation.strategy, config.fractionPercent);
  const roundOne: LabelMasks | null = first === null || first === 0 ? null : (await runLabelMasks(
    trainConfigSchema.parse({ ...config, allocation: undefined, fractionPercent: first }),
    source,
    train,
  )).masks;
  let labelled = 0, onClot = 0, inPositives = 0, examsLabelled = 0;
  let later = 0, laterOnClot = 0, laterExams = 0;
  const places = noPlaces();
  const laterPlaces = noPlaces();
  for (const exam of train) {
    const clot = await clotSlices(exam, source);
    const place = exam.examLabel === 1 ? slicePlaces(clot) : null;
    const mask = masks.of(exam);
    const before = roundOne?.of(exam);
    let any = false;
    let anyLater = false;
    for (let z = 0; z < exam.sliceCount; z++) {
      if (!mask[z]) continue;
      any = true;
      labelled++;
      if (clot[z]) onClot++;
      if (exam.examLabel === 1) inPositives++;
      if (place) countPlace(places, place[z]);
      if (before !== undefined && !before[z]) {
        anyLater = true;
        later++;
        if (clot[z]) laterOnClot++;
        if (place) countPlace(laterPlaces, place[z]);
      }
    }
    if (any) examsLabelled++;
    if (anyLater) laterExams++;
  }
  return {
    labelled,
    onClot: onClot / labelled,
    inPositives: inPositives / labelled,
    examsLabelled,
    exams: train.length,
    roundTwoOnClot: roundOne === null ? null : laterOnClot / later,
    roundTwoExams: roundOne === null ? null : laterExams,
    places,
    roundTwoPlaces: roundOne === null ? null : laterPlaces,
  };
}

/**
 * Where on the clot the slices of a run's training exams lie, all of them: the baseline for
 * `ClotShare.places`.
 *
 * @example
 * ```ts ignore
 * const all = await trainingPlaces(config, source);
 * // all.edge / all.clot -> the share of clot slices at a clot's edge
 * ```
 */
export async function trainingPlaces(
  config: TrainConfig,
  source: ExamSource,
): Promise<ClotPlaces> {
  const counts = noPlaces();
  for (const exam of runExams(source, config.fold, config.folds).train) {
    if (exam.examLabel !== 1) continue;
    for (const place of slicePlaces(await clotSlices(exam, source))) countPlace(counts, place);
  }
  return counts;
}

/** [D] 1 where the slice shows clot (negative exams have none and are not read). */
async function clotSlices(exam: ExamInfo, source: ExamSource): Promise<Uint8Array> {
  return exam.examLabel === 1
    ? (await source.read(exam.examId)).sliceLabels
    : new Uint8Array(exam.sliceCount);
}

/**
 * The seeds an experiment folder holds (its `seed-S` folders), in order.
 *
 * @example
 * ```ts ignore
 * experimentSeeds("runs/allocation"); // -> [0, 1, 2]
 * ```
 */
export function experimentSeeds(dir: string): number[] {
  return [...Deno.readDirSync(dir)].filter((e) => /^seed-\d+$/.test(e.name))
    .map((e) => Number(e.name.slice(5))).sort((a, b) => a - b);
}

const flagsSchema = z.object({
  out: z.string().default("runs/allocation"),
  cache: z.string().default("cache/demo"),
});

if (import.meta.main) {
  const flags = parseFlags(Deno.args, flagsSchema, "allocation_clot_share");
  const source = await cacheExamSource(flags.cache);
  const percent = (share: number | null) => share === null ? "" : (100 * share).toFixed(1);
  const runs: { seed: number; strategy: string; config: TrainConfig; share: ClotShare }[] = [];
  for (const seed of experimentSeeds(flags.out)) {
    const seedDir = join(flags.out, `seed-${seed}`);
    const strategies = [...Deno.readDirSync(seedDir)].filter((e) => e.isDirectory)
      .map((e) => e.name).sort();
    for (const strategy of strategies) {
      for (const run of [...Deno.readDirSync(join(seedDir, strategy))].map((e) => e.name).sort()) {
        if (!/^fraction-/.test(run)) continue;
        for (const fold of [...Deno.readDirSync(join(seedDir, strategy, run))]) {
          const record = join(seedDir, strategy, run, fold.name, "run.json");
          const config = trainConfigSchema.parse(JSON.parse(Deno.readTextFileSync(record)).config);
          if (config.fractionPercent === 0) continue; // no slice labels
          runs.push({ seed, strategy, config, share: await clotShare(config, source) });
        }
      }
    }
  }
  console.log(
    "| seed | strategy | budget | labelled | on clot % | in positive exams % | exams labelled | " +
      "round 2 on clot % | round 2 exams |\n| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  for (const { seed, strategy, config, share: s } of runs) {
    console.log(
      `| ${seed} | ${strategy} | ${config.fractionPercent} % | ${s.labelled} | ` +
        `${percent(s.onClot)} | ` +
        `${percent(s.inPositives)} | ${s.examsLabelled} of ${s.exams} | ` +
        `${percent(s.roundTwoOnClot)} | ${s.roundTwoExams ?? ""} |`,
    );
  }
  if (runs.length === 0) Deno.exit(0);
  const placeRow = (seed: string, strategy: string, budget: string, p: ClotPlaces) =>
    console.log(
      `| ${seed} | ${strategy} | ${budget} | ${p.clot} | ${percent(p.edge / p.clot)} | ` +
        `${p.clear} | ${percent(p.nextToClot / p.clear)} |`,
    );
  console.log(
    "\n| seed | labels | budget | clot slices | at a clot's edge % | " +
      "clear slices in positive exams | next to clot % |\n| ---: | --- | ---: | ---: | ---: | ---: | ---: |",
  );
  placeRow("", "every training slice", "", await trainingPlaces(runs[0].config, source));
  for (const { seed, strategy, config, share } of runs) {
    const budget = `${config.fractionPercent} %`;
    placeRow(`${seed}`, strategy, budget, share.places);
    if (share.roundTwoPlaces) {
      placeRow(`${seed}`, `${strategy}, round 2`, budget, share.roundTwoPlaces);
    }
  }
}
