/**
 * The project's own single-precision matrix product and 2-D convolutions (compiled_kernels.c),
 * compiled on this machine by its C compiler the first time they are needed, cached, and loaded
 * through Deno's FFI: the native path of the wasm backend where oneDNN is absent or turned off
 * (PE_ONEDNN=off). On a 2-core AVX-512 machine its products run at 20-80 GMAC/s against
 * XNNPACK's 12-13 (bench/README.md).
 *
 * The build: `cc -O3 -march=native -ffp-contract=fast -fPIC -shared` (GCC or Clang; `PE_CC`
 * names another compiler) into `$PE_KERNEL_CACHE` (default `$XDG_CACHE_HOME/pe-ctpa/kernels`
 * or `~/.cache/pe-ctpa/kernels`), in a file named by a hash of the source, the flags and this
 * CPU's feature flags, so that a changed source or another CPU (a cluster's other nodes) gets
 * its own build. Builds are written to a temporary name and renamed, so parallel workers never
 * load a half-written library.
 *
 * Optional: where no compiler runs or the library cannot be loaded, the kernels keep XNNPACK,
 * with one log line naming the cause. `PE_COMPILED_KERNELS=off` turns it off.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import type { Sgemm } from "./native_gemm.ts";
import { SGEMM_SIGNATURE } from "./sgemm_abi.ts";

const SOURCE = new URL("./compiled_kernels.c", import.meta.url);
const FLAGS = ["-O3", "-march=native", "-ffp-contract=fast", "-fPIC", "-shared"];
const COMPILERS = ["cc", "gcc", "clang"];

const SYMBOLS = {
  pe_sgemm: SGEMM_SIGNATURE,
  // pe_conv2d(x, w, y, dims, outC), pe_conv2d_filter_grad(x, dy, dw, dims, outC),
  // pe_conv2d_input_grad(dy, w, dx, dims, outC): dims = 14 int32 (patch_loops.ts's convDims)
  pe_conv2d: { parameters: ["pointer", "pointer", "pointer", "buffer", "i32"], result: "i32" },
  pe_conv2d_filter_grad: {
    parameters: ["pointer", "pointer", "pointer", "buffer", "i32"],
    result: "i32",
  },
  pe_conv2d_input_grad: {
    parameters: ["pointer", "pointer", "pointer", "buffer", "i32"],
    result: "i32",
  },
} as const;

/** One compiled convolution: three heap addresses, the geometry, the output channels. */
export type CompiledConv = (
  a: Deno.PointerValue,
  b: Deno.PointerValue,
  out: Deno.PointerValue,
  dims: Int32Array<ArrayBuffer>,
  outChannels: number,
) => number;

/** The loaded library: its file and its functions. */
export type CompiledKernels = {
  library: string;
  sgemm: Sgemm;
  /** y [rows, outC] = patches(x) @ w. */
  conv2d: CompiledConv;
  /** dw [patch, outC] = patches(x)^T @ dy. */
  conv2dFilterGrad: CompiledConv;
  /** dx = col2im(dy @ w^T). */
  conv2dInputGrad: CompiledConv;
};

type Loaded = { kernels: CompiledKernels } | { kernels: null; cause: string };
let loaded: Loaded | undefined;
let enabled = Deno.env.get("PE_COMPILED_KERNELS")?.toLowerCase() !== "off";

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

/** This CPU's feature flags (Linux), so a build for one CPU is never loaded on another. */
function cpuFeatures(): string {
  try {
    const info = Deno.readTextFileSync("/proc/cpuinfo");
    return info.match(/^(flags|Features)\s*:(.*)$/m)?.[2].trim() ?? "";
  } catch {
    return "";
  }
}

function cacheFolder(): string {
  const explicit = Deno.env.get("PE_KERNEL_CACHE");
  if (explicit) return explicit;
  const home = Deno.env.get("XDG_CACHE_HOME") ??
    join(Deno.env.get("HOME") ?? Deno.env.get("USERPROFILE") ?? ".", ".cache");
  return join(home, "pe-ctpa", "kernels");
}

/** Compiles the source into `target` with the first compiler that works; the cause otherwise. */
function compile(source: string, target: string): string | null {
  const compilers = Deno.env.get("PE_CC") ? [Deno.env.get("PE_CC")!] : COMPILERS;
  const temporary = `${target}.${Deno.pid}.${crypto.randomUUID()}.tmp`;
  const causes: string[] = [];
  for (const compiler of compilers) {
    try {
      const result = new Deno.Command(compiler, {
        args: [...FLAGS, "-o", temporary, source],
        stdout: "null",
        stderr: "piped",
      }).outputSync();
      if (result.success) {
        Deno.renameSync(temporary, target);
        return null;
      }
      causes.push(`${compiler}: ${new TextDecoder().decode(result.stderr).split("\n")[0]}`);
    } catch (error) {
      causes.push(`${compiler}: ${errorText(error)}`);
      if (error instanceof Deno.errors.NotCapable) break; // no --allow-run
    }
  }
  return `no C compiler built it (${causes.join("; ")}; install gcc or set PE_CC)`;
}

function load(): Loaded {
  try {
    const source = Deno.readTextFileSync(SOURCE);
    const key = createHash("sha256")
      .update([source, FLAGS.join(" "), Deno.build.target, cpuFeatures()].join("\0"))
      .digest("hex")
      .slice(0, 16);
    const folder = cacheFolder();
    Deno.mkdirSync(folder, { recursive: true });
    const library = join(
      folder,
      `compiled_kernels-${key}.${Deno.build.os === "darwin" ? "dylib" : "so"}`,
    );
    let present = true;
    try {
      Deno.statSync(library);
    } catch {
      present = false;
    }
    if (!present) {
      const cause = compile(SOURCE.pathname, library);
      if (cause !== null) return { kernels: null, cause };
    }
    const { symbols } = Deno.dlopen(library, SYMBOLS);
    return {
      kernels: {
        library,
        sgemm: symbols.pe_sgemm as Sgemm,
        conv2d: symbols.pe_conv2d,
        conv2dFilterGrad: symbols.pe_conv2d_filter_grad,
        conv2dInputGrad: symbols.pe_conv2d_input_grad,
      },
    };
  } catch (error) {
    return { kernels: null, cause: errorText(error) };
  }
}

/**
 * The compiled kernels, building them first where they are not cached; null when they are off
 * or cannot be built or loaded (the cause is logged once).
 *
 * @example
 * ```ts
 * compiledKernels()?.library; // "~/.cache/pe-ctpa/kernels/compiled_kernels-....so"
 * ```
 */
export function compiledKernels(): CompiledKernels | null {
  if (!enabled) return null;
  if (loaded === undefined) {
    loaded = load();
    if (loaded.kernels === null) {
      console.log(`compiled kernels unavailable (${loaded.cause}); using XNNPACK`);
    }
  }
  return loaded.kernels;
}

/**
 * Turns the compiled kernels on or off in this JavaScript thread (tests compare the paths;
 * PE_COMPILED_KERNELS=off in the environment turns it off for a whole run). Returns the previous
 * setting.
 *
 * @example
 * ```ts
 * const before = useCompiledKernels(false); // XNNPACK only (with oneDNN off too)
 * useCompiledKernels(before);
 * ```
 */
export function useCompiledKernels(on: boolean): boolean {
  const before = enabled;
  enabled = on;
  return before;
}
