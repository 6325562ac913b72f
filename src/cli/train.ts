/**
 * `deno task train`: one label fraction, one validation fold, from a prepared-exam cache.
 * Resumable: rerunning the same command continues an interrupted run and skips a finished one.
 * Writes `OUT/fraction-F/fold-K/` (see docs/training.md) and merges every finished run's
 * predictions into `OUT/predictions.csv`. On SIGTERM the run saves its state at the next
 * optimiser step and stops; rerunning the command continues from there. The work is
 * `trainCommand` in `_shared.ts`, which `slurm task` runs too.
 *
 * @example
 * ```sh
 * deno task train --cache cache/rspect --fraction 27.5 --fold 0 --out runs/rspect --epochs 30
 * ```
 */
export { trainCommand as main } from "./_shared.ts";
