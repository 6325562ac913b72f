import assert from "node:assert/strict";
import { examPlans } from "../../../src/data/phantom/schedule.ts";
import { generateExam } from "../../../src/data/phantom/exam.ts";
import { type PhantomProfile, phantomProfile } from "../../../src/data/phantom/profile.ts";
import { labelRows } from "../../../src/data/phantom/labels.ts";

// RSPECT training set after cleaning: 2,161 of 6,958 exams positive, 396 of them central
// (Hu et al. 2025); 153 of 7,279 indeterminate.
const rspect = { positive: 2161 / 6958, central: 396 / 2161, indeterminate: 153 / 7279 };

Deno.test("200 generated exams: prevalence, central share and label coherence match RSPECT", () => {
  const small: PhantomProfile = { ...phantomProfile("tiny"), matrix: 40 };
  const plans = examPlans(11, 200);
  let positives = 0, central = 0, indeterminate = 0;
  for (const plan of plans) {
    const exam = generateExam(11, small, plan);
    const rows = labelRows(exam.truth, exam.flags).map((r) => r.split(",").slice(3).map(Number));
    const imagePositive = rows.filter((r) => r[0] === 1).length;
    const [negative, , , , , , , , , , , centralPe, indet] = rows[0].slice(1);
    if (plan.label === "positive") {
      positives++;
      assert.ok(imagePositive > 0, `positive exam ${plan.index} has no positive image`);
      assert.equal(negative, 0);
      if (centralPe === 1) central++;
      assert.equal(centralPe, plan.subtype === "central" ? 1 : 0, `exam ${plan.index} central_pe`);
      assert.ok(exam.truth.clots.length >= 1 && exam.truth.clots.length <= 6);
    } else {
      assert.equal(imagePositive, 0, `${plan.label} exam ${plan.index} has positive images`);
      assert.equal(negative, plan.label === "negative" ? 1 : 0);
      if (indet === 1) indeterminate++;
    }
  }
  assert.ok(Math.abs(positives / 200 - rspect.positive) < 0.02, `prevalence ${positives / 200}`);
  assert.ok(
    Math.abs(central / positives - rspect.central) < 0.03,
    `central share ${central / positives}`,
  );
  assert.ok(Math.abs(indeterminate / 200 - rspect.indeterminate) < 0.01);
});

Deno.test("splits and broken series follow their shares; broken series only in train", () => {
  const plans = examPlans(2, 1000);
  const count = (f: (p: typeof plans[number]) => boolean) => plans.filter(f).length;
  assert.equal(count((p) => p.split === "train"), 650);
  assert.equal(count((p) => p.split === "public"), 120);
  assert.equal(count((p) => p.split === "private"), 180);
  assert.equal(count((p) => p.split === "external"), 50);
  assert.equal(count((p) => p.broken === "missing-slice"), 10);
  assert.equal(count((p) => p.broken === "gantry-tilt"), 10);
  assert.equal(count((p) => p.broken !== null && p.split !== "train"), 0);
  assert.notDeepEqual(plans.slice(0, 100), examPlans(3, 100), "another seed, another order");
});
