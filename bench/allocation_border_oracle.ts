/**
 * An oracle ablation of `adaptive-2`: does its second round train worse because it labels the
 * clear slices that border a clot? Such a slice is labelled 0 (no voxel of it is at least half
 * clot) yet can show the clot's partial volume, so a doubtful model is drawn to it. This script
 * builds a new experiment folder from a finished one (`deno task allocate-experiment --out FROM`):
 * it copies each seed's `even` runs (they are resumed, not retrained) and writes that seed's
 * round-1 slice scores with every slice next to a clot in a positive exam set to 0, so round 2
 * finds them certain and spends its labels elsewhere. The exams' true slice labels say which
 * slices those are: an oracle no labeller has, meant only to test the cause. Then run
 * `allocate-experiment --strategies even,adaptive-2 --out OUT` on the new folder and compare.
 *
 * @example
 * ```sh
 * deno run -A bench/allocation_border_oracle.ts --from runs/allocation --out runs/allocation-oracle \
 *   --cache runs/data-seed-0/cache --budget 10
 * deno task allocate-experiment --cache runs/data-seed-0/cache --seeds 0,1,2 --budgets 10 \
 *   --strategies even,adaptive-2 --out runs/allocation-oracle
 * ```
 */
import { cpSync, existsSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { experimentSeeds, slicePlaces } from "./allocation_clot_share.ts";
import { parseFlags } from "../src/cli/flags.ts";
import { scoringFraction } from "../src/labels/mod.ts";
import {
  cacheExamSource,
  type ExamSource,
  readSliceScores,
  type SliceScores,
  sliceScoresFile,
} from "../src/train/mod.ts";

/**
 * [D] the slice probabilities with every clear slice next to a clot set to 0 (certain), from the
 * exam's slice labels [D] (1 = clot); the count set is returned beside them.
 *
 * @example
 * ```ts ignore
 * hideBorders([0.4, 0.6, 0.5, 0.5], Uint8Array.of(0, 1, 0, 0));
 * // -> { scores: [0, 0.6, 0, 0.5], hidden: 2 }
 * ```
 */
export function hideBorders(
  scores: readonly number[],
  clot: Uint8Array,
): { scores: number[]; hidden: number } {
  if (scores.length !== clot.length) {
    throw new Error(
      `${scores.length} slice scores for ${clot.length} slice labels; fix: score the exams ` +
        "of this cache again",
    );
  }
  const places = slicePlaces(clot);
  const hidden = places.filter((place) => place === "next-to-clot").length;
  return { scores: scores.map((p, z) => places[z] === "next-to-clot" ? 0 : p), hidden };
}

/**
 * The scores file with `hideBorders` applied to every positive exam, its `model` field saying so.
 *
 * @example
 * ```ts ignore
 * const { scores, hidden } = await oracleScores(await readSliceScores(path), source);
 * ```
 */
export async function oracleScores(
  scores: SliceScores,
  source: ExamSource,
): Promise<{ scores: SliceScores; hidden: number; slices: number }> {
  const positive = new Set(source.exams.filter((e) => e.examLabel === 1).map((e) => e.examId));
  const exams: Record<string, number[]> = {};
  let hidden = 0, slices = 0;
  for (const [examId, p] of Object.entries(scores.exams)) {
    slices += p.length;
    if (!positive.has(examId)) {
      exams[examId] = p;
      continue;
    }
    const masked = hideBorders(p, (await source.read(examId)).sliceLabels);
    exams[examId] = masked.scores;
    hidden += masked.hidden;
  }
  return {
    scores: {
      ...scores,
      model: `${scores.model} (oracle: clear slices next to a clot set to 0)`,
      exams,
    },
    hidden,
    slices,
  };
}

const flagsSchema = z.object({
  from: z.string(),
  out: z.string(),
  cache: z.string().default("cache/demo"),
  budget: z.coerce.number().positive().default(10),
});

if (import.meta.main) {
  const flags = parseFlags(Deno.args, flagsSchema, "allocation_border_oracle");
  if (existsSync(flags.out)) {
    throw new Error(`${flags.out} exists; fix: name a new folder with --out`);
  }
  const source = await cacheExamSource(flags.cache);
  const fraction = scoringFraction("adaptive-2", flags.budget)!;
  for (const seed of experimentSeeds(flags.from)) {
    const from = sliceScoresFile(flags.from, seed, fraction);
    const { scores, hidden, slices } = await oracleScores(await readSliceScores(from), source);
    cpSync(join(flags.from, `seed-${seed}`, "even"), join(flags.out, `seed-${seed}`, "even"), {
      recursive: true,
    });
    const to = sliceScoresFile(flags.out, seed, fraction);
    await Deno.writeTextFile(to, JSON.stringify(scores));
    console.log(`seed ${seed}: ${hidden} of ${slices} slice scores set to 0 -> ${to}`);
  }
}
