/**
 * Whether Debian's Python (/usr/bin/python3) can import the modules a peer check needs; tests use
 * it to skip an independent-implementation check, with a message, where the peer is absent.
 *
 * @example
 * ```ts ignore
 * const pydicom = pythonHas("pydicom, numpy");
 * Deno.test({ name: "pydicom reads it", ignore: !pydicom, fn() {} });
 * ```
 */
export function pythonHas(modules: string): boolean {
  try {
    return new Deno.Command("/usr/bin/python3", {
      args: ["-c", `import ${modules}`],
      stderr: "null",
    }).outputSync().success;
  } catch {
    return false;
  }
}
