/**
 * Runs a `deno task` command the way a user does (`deno run -A src/cli.ts <command> ...`) from
 * the repository root, and returns its exit code with stdout and stderr joined.
 *
 * @example
 * ```ts ignore
 * const { code, text } = await runTask(["evaluate", "--predictions", "p.csv", "--out", "o"]);
 * ```
 */
import { fileURLToPath } from "node:url";

/** The repository root. */
export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

/** Run `src/cli.ts` with `args` (and extra environment `env`); `text` is stdout, then stderr. */
export async function runTask(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; text: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "src/cli.ts", ...args],
    cwd: repoRoot,
    env: { NO_COLOR: "1", RUST_BACKTRACE: "0", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  return { code: out.code, text };
}
