/** Whether a C compiler runs here (then the compiled kernels must build: compiled_kernels.ts). */
export const C_COMPILER_RUNS = ["cc", "gcc", "clang"].some((compiler) => {
  try {
    return new Deno.Command(compiler, { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
});
