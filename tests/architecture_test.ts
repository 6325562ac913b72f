/**
 * The import picture of src/: one folder per stage, and a stage imports only from itself and the
 * stages above it (docs: "Layout"). Every module's `import ... from` and `export ... from`
 * statements are read (doc-comment examples are not imports); a new top-level folder must be
 * given its place in STAGES.
 */
import assert from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The stages in the direction data flows: each may import only from those before it. */
const STAGES = [
  "util",
  "io",
  "data",
  "preprocess",
  "labels",
  "stats",
  "model",
  "train",
  "predict",
  "explain",
  "report",
  "ui",
  "cli",
] as const;

const src = fileURLToPath(new URL("../src", import.meta.url));

function modules(dir: string): string[] {
  return [...Deno.readDirSync(dir)].flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory) return modules(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** The stage of a module under src/ (`src/cli.ts`, the dispatcher, belongs to cli). */
function stageOf(path: string): string {
  const [first] = relative(src, path).split("/");
  return first === "cli.ts" ? "cli" : first;
}

/** Relative specifiers of the module's import and re-export statements (code, not comments). */
function importsOf(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const statements = new RegExp(
    [
      /^\s*(?:import|export)\s[^;]*?\sfrom\s+"(\.{1,2}\/[^"]+)"/.source, // import ... from
      /^\s*import\s+"(\.{1,2}\/[^"]+)"/.source, // import for its effect
      /import\(\s*"(\.{1,2}\/[^"]+)"\s*\)/.source, // dynamic import
      /new URL\(\s*"(\.{1,2}\/[^"]+\.ts)"/.source, // a worker's module
    ].join("|"),
    "gm",
  );
  return [...code.matchAll(statements)].map((m) => m.slice(1).find((g) => g !== undefined)!);
}

Deno.test("every module of src/ sits in a stage folder", () => {
  const unknown = modules(src).map(stageOf).filter((stage) =>
    !(STAGES as readonly string[]).includes(stage)
  );
  assert.deepEqual([...new Set(unknown)], []);
});

Deno.test("a stage imports only from itself and the stages above it", () => {
  const rank = (stage: string) => (STAGES as readonly string[]).indexOf(stage);
  const backwards: string[] = [];
  for (const path of modules(src)) {
    const from = stageOf(path);
    for (const specifier of importsOf(Deno.readTextFileSync(path))) {
      const target = resolve(dirname(path), specifier);
      if (!target.startsWith(src)) continue; // deno.json and the like
      const to = stageOf(target);
      if (rank(to) > rank(from)) {
        backwards.push(`${relative(src, path)} (${from}) imports ${specifier} (${to})`);
      }
    }
  }
  assert.deepEqual(backwards, []);
});

Deno.test("the import reader sees statements, not doc examples", () => {
  const text = [
    "/**",
    ' * import { later } from "../cli/demo.ts";',
    " */",
    'import { z } from "zod";',
    'import {\n  a,\n  b,\n} from "./a.ts";',
    'export * from "../io/mod.ts";',
    'const w = new Worker(new URL("./_worker.ts", import.meta.url));',
    'import "./effect.ts";',
    'const load = () => import("./lazy.ts");',
  ].join("\n");
  assert.deepEqual(importsOf(text), [
    "./a.ts",
    "../io/mod.ts",
    "./_worker.ts",
    "./effect.ts",
    "./lazy.ts",
  ]);
});
