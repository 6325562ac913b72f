import assert from "node:assert/strict";
import { z } from "zod";
import {
  foldCountFlag,
  foldsFlag,
  parseFlags,
  readRawFlags,
  selectFolds,
  tierWeightsFlag,
} from "../../src/cli/flags.ts";

Deno.test("readRawFlags reads pairs, = forms, switches and kebab-case names", () => {
  assert.deepEqual(readRawFlags(["--out", "d", "--save-masks", "--size=1,2,3"]), {
    out: "d",
    saveMasks: true,
    size: "1,2,3",
  });
});

Deno.test("parseFlags names the bad flag in kebab case", () => {
  const schema = z.object({ referenceFraction: z.coerce.number().min(0).max(100) });
  assert.throws(
    () => parseFlags(["--reference-fraction", "150"], schema, "evaluate"),
    /--reference-fraction/,
  );
});

Deno.test("a stray positional argument is an error", () => {
  assert.throws(() => readRawFlags(["oops"]), /unexpected argument 'oops'/);
});

Deno.test("an unknown flag is named, not silently ignored", () => {
  const schema = z.object({ out: z.string() });
  assert.throws(
    () => parseFlags(["--out", "d", "--fractoins", "5"], schema, "sweep"),
    /--fractoins: unknown flag/,
  );
});

Deno.test("--folds names folds (a list or all), --fold-count how many there are", () => {
  const schema = z.object({ folds: foldsFlag("all"), foldCount: foldCountFlag });
  assert.deepEqual(parseFlags([], schema, "sweep"), { folds: "all", foldCount: 5 });
  assert.deepEqual(parseFlags(["--folds", "2,0,2", "--fold-count", "3"], schema, "sweep"), {
    folds: [0, 2],
    foldCount: 3,
  });
  assert.throws(() => parseFlags(["--folds", "-1"], schema, "sweep"), /--folds: '-1' must be/);
  assert.deepEqual(selectFolds("all", 3), [0, 1, 2]);
  assert.throws(() => selectFolds([0, 5], 5), /fold 5 does not exist among 5 folds/);
});

Deno.test("--tier-weights reads peripheral, central and negative weights; bad lists are named", () => {
  const schema = z.object({ tierWeights: tierWeightsFlag.optional() });
  assert.deepEqual(parseFlags(["--tier-weights", "6,1,0.25"], schema, "train").tierWeights, {
    peripheral: 6,
    central: 1,
    negative: 0.25,
  });
  for (const bad of ["3,1", "3,1,0.5,1", "3,-1,0.5", "a,1,1"]) {
    assert.throws(
      () => parseFlags(["--tier-weights", bad], schema, "train"),
      /--tier-weights: three weights >= 0 for peripheral-only PE, central PE and negative/,
      bad,
    );
  }
  assert.throws(
    () => parseFlags(["--tier-weights", "0,0,0"], schema, "train"),
    /--tier-weights: at least one tier weight must be above 0/,
  );
});
