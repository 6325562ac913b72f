/**
 * Writes data-manifests/example-predictions.csv: SIMULATED predictions, not the output of any
 * model and not derived from any patient data. They exist so `deno task evaluate`, the
 * evaluation notebook and the tests have a realistic file to work on before real predictions
 * exist. See example-predictions.README.md.
 *
 * Model (binormal, seeded): each exam has a latent difficulty u ~ N(0, 1) shared by all
 * fractions; at fraction f the latent score is d(f, subtype) * label + sqrt(rho) u +
 * sqrt(1 - rho) e (e ~ N(0, 1) per exam and fraction), so within each class it is N(., 1) and the
 * AUC of positives of one subtype against the negatives is Phi(d / sqrt(2)). Each fold adds
 * N(0, 0.3^2) noise; the probability is the logistic of (latent - 1.2). The target AUCs follow
 * the paper's private-test shape (central higher than peripheral, a jump at 2.5 %, a plateau
 * after 27.5 %).
 *
 * @example
 * ```sh
 * deno run -A data-manifests/make_example_predictions.ts            # default path and seed
 * deno run -A data-manifests/make_example_predictions.ts out.csv 7  # other path, seed 7
 * ```
 */
import { normalQuantile } from "../src/stats/mod.ts";
import { writeTextAtomic } from "../src/io/atomic.ts";

/** Label fractions of the study, percent. */
export const FRACTIONS = [0, 2.5, 5, 10, 20, 27.5, 35, 42.5, 50, 75, 100];
const FOLDS = 5;
const RHO = 0.6;
const FOLD_NOISE = 0.3;

/** Target AUC (positives of the subtype vs all negatives) per fraction, in FRACTIONS order. */
const TARGET_AUC: Record<string, number[]> = {
  central: [0.817, 0.972, 0.975, 0.978, 0.982, 0.984, 0.985, 0.985, 0.986, 0.986, 0.987],
  peripheral: [0.647, 0.829, 0.85, 0.87, 0.895, 0.912, 0.913, 0.914, 0.915, 0.916, 0.917],
  external: [0.656, 0.98, 0.982, 0.985, 0.988, 0.99, 0.991, 0.992, 0.993, 0.994, 0.995],
};

/** Exams of one split: total, positives, central positives (null: subtype unknown). */
export interface SplitSize {
  split: string;
  prefix: string;
  exams: number;
  positives: number;
  central: number | null;
}

/** Exams per split as in the paper (external: no subtypes). */
export const PAPER_SPLIT_SIZES: SplitSize[] = [
  { split: "public", prefix: "pub", exams: 642, positives: 192, central: 39 },
  { split: "private", prefix: "prv", exams: 1444, positives: 438, central: 89 },
  { split: "external", prefix: "ext", exams: 65, positives: 38, central: null },
];

/** mulberry32: a small seeded uniform generator in [0, 1). */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws by Box-Muller from `next`. */
function normal(next: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

/** The CSV text of the simulated predictions for `seed` and split sizes `sizes`. */
export function examplePredictionsCsv(seed: number, sizes = PAPER_SPLIT_SIZES): string {
  const gauss = normal(uniform(seed));
  const lines = ["exam_id,split,label,fraction,fold,score,subtype"];
  for (const { split, prefix, exams, positives, central } of sizes) {
    for (let e = 0; e < exams; e++) {
      const label = e < positives ? 1 : 0;
      const subtype = label === 0 || central === null ? "" : e < central ? "central" : "peripheral";
      const curve = TARGET_AUC[split === "external" ? "external" : subtype || "peripheral"];
      const id = `${prefix}${String(e + 1).padStart(4, "0")}`;
      const difficulty = gauss();
      FRACTIONS.forEach((fraction, f) => {
        const separation = label * Math.SQRT2 * normalQuantile(curve[f]);
        const latent = separation + Math.sqrt(RHO) * difficulty + Math.sqrt(1 - RHO) * gauss();
        for (let fold = 0; fold < FOLDS; fold++) {
          const score = 1 / (1 + Math.exp(-(latent + FOLD_NOISE * gauss() - 1.2)));
          lines.push(`${id},${split},${label},${fraction},${fold},${score.toFixed(5)},${subtype}`);
        }
      });
    }
  }
  return `${lines.join("\n")}\n`;
}

if (import.meta.main) {
  const path = Deno.args[0] ??
    new URL("./example-predictions.csv", import.meta.url).pathname;
  const seed = Number(Deno.args[1] ?? 20251125);
  await writeTextAtomic(path, examplePredictionsCsv(seed));
  console.log(`wrote ${path} (simulated, seed ${seed})`);
}
