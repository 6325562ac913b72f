/**
 * A progress bar for long work that renders in the right place: updated in place inside a
 * Jupyter notebook (Deno kernel), redrawn on one line in a terminal, and written as sparse
 * plain lines in CI logs (at most one every `logEverySeconds`, plus the last).
 *
 * Stages above `report` never import this: they take an `onProgress(done, total)` callback and
 * the CLI or notebook passes `bar.update`.
 *
 * @example
 * ```ts
 * import { progressBar } from "./progress.ts";
 * const bar = progressBar("preprocess", 250);
 * for (let i = 1; i <= 250; i++) bar.update(i);
 * bar.done(); // "preprocess 250/250 100% 0.4s"
 * ```
 */

/** Where a bar draws itself; detected once per bar. */
export type ProgressMode = "notebook" | "terminal" | "log";

/** A live progress bar: `update(done)` as work finishes, `done()` once at the end. */
export interface ProgressBar {
  update(done: number, note?: string): void;
  done(note?: string): void;
}

/** Options: total may be unknown (0); `now` and `write` are injectable for tests. */
export interface ProgressOptions {
  mode?: ProgressMode;
  logEverySeconds?: number;
  now?: () => number;
  write?: (line: string, final: boolean) => void;
}

/** Format one progress line: label, count, percent, elapsed and ETA. */
export function formatProgress(
  label: string,
  done: number,
  total: number,
  elapsedSeconds: number,
  note = "",
): string {
  const parts = [label, total > 0 ? `${done}/${total}` : `${done}`];
  if (total > 0) {
    const fraction = Math.min(1, done / total);
    parts.push(`${bar(fraction)} ${Math.round(fraction * 100)}%`);
  }
  parts.push(formatSeconds(elapsedSeconds));
  if (total > 0 && done > 0 && done < total) {
    parts.push(`ETA ${formatSeconds((elapsedSeconds / done) * (total - done))}`);
  }
  if (note) parts.push(note);
  return parts.join(" ");
}

/** Seconds as `4.2s`, `3m05s` or `1h02m`. */
export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${String(Math.floor(seconds % 60)).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

/** Which renderer fits the current process: the Deno kernel, a TTY, or a plain log. */
export function detectProgressMode(): ProgressMode {
  if (inJupyterKernel()) return "notebook";
  try {
    if (Deno.stderr.isTerminal()) return "terminal";
  } catch {
    // no stderr handle: fall through to plain log lines
  }
  return "log";
}

/** True inside `deno jupyter`; reading `Deno.jupyter` elsewhere throws, so it is guarded. */
export function inJupyterKernel(): boolean {
  try {
    return typeof (Deno as unknown as { jupyter?: unknown }).jupyter === "object";
  } catch {
    return false;
  }
}

let barCounter = 0;

/** Start a progress bar for `total` items (0 when unknown). */
export function progressBar(
  label: string,
  total: number,
  options: ProgressOptions = {},
): ProgressBar {
  const now = options.now ?? (() => performance.now() / 1000);
  const mode = options.mode ?? detectProgressMode();
  const logEvery = options.logEverySeconds ?? 10;
  const write = options.write ?? writerFor(mode, `progress-${Date.now()}-${barCounter++}`);
  const start = now();
  let lastDraw = -Infinity;
  let lastDone = 0;
  const draw = (done: number, note: string, final: boolean) => {
    const t = now();
    const interval = mode === "log" ? logEvery : 0.2;
    if (!final && t - lastDraw < interval) return;
    // A log cannot redraw: the line at the total is left to done(), which writes it once.
    if (!final && mode === "log" && total > 0 && done >= total) return;
    lastDraw = t;
    write(formatProgress(label, done, total, t - start, note), final);
  };
  return {
    update(done, note = "") {
      lastDone = done;
      draw(done, note, false);
    },
    done(note = "") {
      draw(total > 0 ? Math.max(lastDone, total) : lastDone, note, true);
    },
  };
}

function writerFor(mode: ProgressMode, displayId: string): (line: string, final: boolean) => void {
  const encoder = new TextEncoder();
  if (mode === "terminal") {
    return (line, final) => {
      Deno.stderr.writeSync(encoder.encode(`\r\x1b[2K${line}${final ? "\n" : ""}`));
    };
  }
  if (mode === "notebook") {
    let first = true;
    return (line) => {
      const jupyter = (Deno as unknown as { jupyter: JupyterApi }).jupyter;
      jupyter.display({ "text/plain": line }, { raw: true, display_id: displayId, update: !first });
      first = false;
    };
  }
  return (line) => console.error(line);
}

interface JupyterApi {
  display(
    bundle: Record<string, unknown>,
    options: { raw: boolean; display_id?: string; update?: boolean },
  ): void;
}

function bar(fraction: number, width = 20): string {
  const filled = Math.round(fraction * width);
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}]`;
}
