import assert from "node:assert/strict";
import { arraySpec, sweepScript } from "../../src/train/mod.ts";

Deno.test("arraySpec: ranges, single tasks and the limit of tasks at once", () => {
  assert.equal(arraySpec([0, 1, 2, 3], 2), "0-3%2");
  assert.equal(arraySpec([0, 1, 2, 3, 5, 7, 8]), "0-3,5,7-8");
  assert.equal(arraySpec([4]), "4");
});

Deno.test("sweepScript: resources as #SBATCH lines, the command line quoted, DENO_DIR for the nodes", () => {
  const script = sweepScript("/shared/runs/a b", 55, {
    partition: "gpu",
    gres: "gpu:1",
    cpusPerTask: 8,
    mem: "64G",
    time: "24:00:00",
    maxParallel: 8,
    stopBeforeLimit: 600,
    sbatchArgs: ["--account=pe"],
  }, { repoDir: "/shared/pe", deno: "/shared/bin/deno", denoDir: "/shared/deno-dir" });
  for (
    const line of [
      "#SBATCH --array=0-54%8",
      "#SBATCH --signal=B:USR1@600",
      "#SBATCH --partition=gpu",
      "#SBATCH --gres=gpu:1",
      "#SBATCH --cpus-per-task=8",
      "#SBATCH --mem=64G",
      "#SBATCH --time=24:00:00",
      "#SBATCH --account=pe",
      "export DENO_DIR=/shared/deno-dir",
      "exec /shared/bin/deno run -A src/cli.ts slurm task --out '/shared/runs/a b'",
    ]
  ) assert.ok(script.includes(`${line}\n`), `${line} in\n${script}`);
});
