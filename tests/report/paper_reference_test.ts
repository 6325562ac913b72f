import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  formatPaperAuc,
  PAPER_AUCS,
  PAPER_P_VALUES,
  paperAuc,
} from "../../src/report/paper_reference.ts";

const shared = fileURLToPath(new URL("../../../shared/", import.meta.url));
const paperPath = `${shared}paper/paper.txt`;
const methodPath = `${shared}method.md`;

function readIfPresent(path: string): string | null {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return null;
  }
}

const paper = readIfPresent(paperPath);
const method = readIfPresent(methodPath);
if (paper === null) console.warn(`skipping the paper-text checks: ${paperPath} is absent`);
if (method === null) console.warn(`skipping the method.md checks: ${methodPath} is absent`);

function escapeDots(text: string): string {
  return text.replaceAll(".", "\\.");
}

Deno.test({
  name: "every published AUC is printed, as the paper formats it, on its cited line",
  ignore: paper === null,
  fn() {
    const lines = paper!.split("\n");
    for (const value of PAPER_AUCS) {
      const line = lines[value.citation.line - 1] ?? "";
      // Printed as "0.912 (0.891, 0.933)", once as "0.912 [0.891, 0.933]".
      const [auc, low, high] = formatPaperAuc(value).match(/\d\.\d{3}/g)!.map(escapeDots);
      assert.match(
        line,
        new RegExp(`${auc} [(\\[]${low}, ${high}[)\\]]`),
        `${value.split}/${value.subset}/${value.fraction} %: '${
          formatPaperAuc(value)
        }' not on paper.txt line ${value.citation.line}`,
      );
    }
  },
});

Deno.test({
  name: "every published p-value is printed on its cited line",
  ignore: paper === null,
  fn() {
    const lines = paper!.split("\n");
    for (const value of PAPER_P_VALUES) {
      const line = lines[value.citation.line - 1] ?? "";
      // Set with thin spaces (U+2009) around "=", which \s matches.
      assert.match(
        line,
        new RegExp(`p\\s*=\\s*${escapeDots(String(value.p))}(?!\\d)`),
        `p = ${value.p} not on line ${value.citation.line}`,
      );
    }
  },
});

Deno.test({
  name: "the private-test AUCs agree with method.md's Evaluation section",
  ignore: method === null,
  fn() {
    const evaluation = method!.slice(method!.indexOf("## Evaluation"));
    for (const value of PAPER_AUCS.filter((v) => v.split === "private")) {
      assert.ok(evaluation.includes(value.auc.toFixed(3)), `${value.auc} not in method.md`);
    }
  },
});

Deno.test("paperAuc finds a published value and nothing for a fraction the text does not give", () => {
  assert.equal(paperAuc("private", "all", 27.5)?.auc, 0.928);
  assert.equal(paperAuc("external", "all", 2.5)?.ciLow, 0.953);
  assert.equal(paperAuc("private", "all", 5), undefined);
  assert.equal(paperAuc("private", "central", 27.5), undefined);
});

Deno.test("formatPaperAuc keeps trailing zeros as the paper prints them", () => {
  assert.equal(formatPaperAuc(paperAuc("external", "all", 100)!), "1.000 (1.000, 1.000)");
  assert.equal(formatPaperAuc(paperAuc("private", "all", 27.5)!), "0.928 (0.910, 0.945)");
});
