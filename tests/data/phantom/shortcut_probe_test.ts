import assert from "node:assert/strict";
import {
  examFeatures,
  FEATURE_NAMES,
  probeShortcut,
  tissueFeatures,
} from "../../../bench/shortcut_probe.ts";

Deno.test("shortcut probe: with the clots erased, nothing else tells positive from negative", () => {
  // Generator v3 drew an enlarged right ventricle in positive exams only: on these exams the
  // probe read it at AUC 0.684 (0.609-0.758; right-heart share alone 0.676). Generator v4: 0.531.
  const result = probeShortcut({
    profile: "tiny",
    seed: 0,
    exams: 1500,
    size: [16, 32, 32],
    eraseClots: true,
  });
  const strongest = result.features[0];
  assert.ok(
    Math.abs(result.auc - 0.5) <= 0.05,
    `probe AUC ${result.auc.toFixed(3)} (${result.low.toFixed(3)}-${result.high.toFixed(3)}) ` +
      `on ${result.privateExams} private exams: a cue other than the clots carries the exam ` +
      `label; strongest feature: ${strongest.feature} (AUC ${strongest.auc.toFixed(3)})`,
  );
});

Deno.test("shortcut probe: the features have one name each and read what they say", () => {
  const features = [
    ...examFeatures(new Uint8Array(2 * 4 * 4).fill(255), [2, 4, 4], [30, 20, 0.7, 5]),
    ...tissueFeatures(new Float32Array([-850, -850, 40, 300]), new Uint8Array([3, 3, 2, 5]), 2, [
      0,
      1,
    ]),
  ];
  assert.equal(features.length, FEATURE_NAMES.length);
  const named = (name: string) => features[FEATURE_NAMES.indexOf(name)];
  assert.equal(named("mean"), 1);
  assert.equal(named("bright share"), 1);
  assert.equal(named("histogram 7/8"), 1);
  assert.equal(named("lung share"), 0.5);
  assert.equal(named("lung mean HU"), -850);
  assert.equal(named("pulmonary artery and right heart share"), 0.25);
  assert.equal(named("pulmonary artery and right heart mean HU"), 300);
  assert.equal(named("source slices"), 30);
});
