/**
 * Where a label-allocation experiment's slice labels fell: for every finished run of an
 * experiment folder (`deno task allocate-experiment --out`), the masks its training used
 * (`runLabelMasks`, from its run.json) against the exams' true slice labels: how many labelled
 * training slices show clot, how many lie in positive exams, and how many exams hold a label. For
 * `adaptive-2` also the share on clot of round 2 alone (its labels beyond the even rule at half
 * the budget). Run it from the folder the experiment ran in (run.json names the slice-scores
 * files relative to it).
 *
 * @example
 * ```sh
 * deno run -A bench/allocation_clot_share.ts --out runs/allocation --cache runs/data-seed-0/cache
 * ```
 */
import { join } from "node:path";
import { z } from "zod";
import { parseFlags } from "../src/cli/flags.ts";
import { scoringFraction } from "../src/labels/mod.ts";
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
  for (const exam of train) {
    const clot = await clotSlices(exam, source);
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
      if (before !== undefined && !before[z]) {
        anyLater = true;
        later++;
        if (clot[z]) laterOnClot++;
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
  };
}

/** [D] 1 where the slice shows clot (negative exams have none and are not read). */
async function clotSlices(exam: ExamInfo, source: ExamSource): Promise<Uint8Array> {
  return exam.examLabel === 1
    ? (await source.read(exam.examId)).sliceLabels
    : new Uint8Array(exam.sliceCount);
}

const flagsSchema = z.object({
  out: z.string().default("runs/allocation"),
  cache: z.string().default("cache/demo"),
});

if (import.meta.main) {
  const flags = parseFlags(Deno.args, flagsSchema, "allocation_clot_share");
  const source = await cacheExamSource(flags.cache);
  const percent = (share: number | null) => share === null ? "" : (100 * share).toFixed(1);
  console.log(
    "| seed | strategy | budget | labelled | on clot % | in positive exams % | exams labelled | " +
      "round 2 on clot % | round 2 exams |\n| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  );
  const seeds = [...Deno.readDirSync(flags.out)].filter((e) => /^seed-\d+$/.test(e.name))
    .map((e) => Number(e.name.slice(5))).sort((a, b) => a - b);
  for (const seed of seeds) {
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
          const s = await clotShare(config, source);
          console.log(
            `| ${seed} | ${strategy} | ${config.fractionPercent} % | ${s.labelled} | ` +
              `${percent(s.onClot)} | ` +
              `${percent(s.inPositives)} | ${s.examsLabelled} of ${s.exams} | ` +
              `${percent(s.roundTwoOnClot)} | ${s.roundTwoExams ?? ""} |`,
          );
        }
      }
    }
  }
}
