/**
 * The FFI signature of a row-major single-precision product with dnnl_sgemm's parameters
 * (transa, transb, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc) -> status: oneDNN's
 * `dnnl_sgemm` and the compiled kernels' `pe_sgemm` share it.
 *
 * @example
 * ```ts ignore
 * const library = Deno.dlopen("libdnnl.so.2", { dnnl_sgemm: SGEMM_SIGNATURE });
 * ```
 *
 * @module
 */
export const SGEMM_SIGNATURE = {
  parameters: [
    "u8",
    "u8",
    "i64",
    "i64",
    "i64",
    "f32",
    "pointer",
    "i64",
    "pointer",
    "i64",
    "f32",
    "pointer",
    "i64",
  ],
  result: "i32",
} as const;
