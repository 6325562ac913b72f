/**
 * Whether a Jupyter subcommand answers here (`jupyter nbconvert --version`, `jupyter notebook
 * --version`); notebook tests use it to skip, with a message, where Jupyter is not installed.
 *
 * @example
 * ```ts ignore
 * Deno.test({ name: "executes the notebook", ignore: !jupyterHas("nbconvert"), fn() {} });
 * ```
 */
export function jupyterHas(subcommand: "nbconvert" | "notebook"): boolean {
  try {
    return new Deno.Command("jupyter", {
      args: [subcommand, "--version"],
      stdout: "null",
      stderr: "null",
    }).outputSync().success;
  } catch {
    return false;
  }
}
