/**
 * `deno task seeds --runs R1,R2,... --out DIR`: the demo runs of several seeds side by side (each
 * R a demo's runs folder, e.g. runs/demo or <work-dir>/runs, wherever and on whichever kernel
 * path it ran): every seed's AUCs and checks in DIR/seeds.md and AUC vs fraction with the range
 * over seeds as a band (DIR/auc_by_fraction_seeds.*). `deno task demo --seeds` ends the same way.
 *
 * @example
 * ```sh
 * deno task seeds --runs runs/demo,../clone/runs/demo,runs/demo-seeds/seed-2/runs --out figures/seeds
 * ```
 */
import { z } from "zod";
import { parseFlags } from "./flags.ts";
import { readSeedEvaluation, writeSeedSpread } from "../report/seed_spread.ts";

const flagsSchema = z.object({
  runs: z.string({ error: "required: demo runs folders, e.g. --runs runs/demo,runs/demo-1" })
    .transform((s) => s.split(",").filter((r) => r.length > 0)),
  out: z.string().default("figures/seeds"),
});

/** Entry point of `deno task seeds`. */
export async function main(args: string[]): Promise<void> {
  const flags = parseFlags(args, flagsSchema, "seeds");
  const runs = [];
  for (const dir of flags.runs) runs.push(await readSeedEvaluation(dir));
  const staticError = await writeSeedSpread(runs, flags.out, `deno task seeds ${args.join(" ")}`);
  if (staticError) console.warn(`figures: ${staticError}`);
  console.log(`seeds: ${runs.map((r) => r.seed).join(", ")} -> ${flags.out}/seeds.md`);
}
