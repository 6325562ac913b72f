import assert from "node:assert/strict";
import { formatProgress, formatSeconds, progressBar } from "../../src/ui/progress.ts";

Deno.test("formatProgress shows count, percent and an ETA proportional to the rate", () => {
  const line = formatProgress("prep", 25, 100, 10);
  assert.match(line, /^prep 25\/100 \[#####-+\] 25% 10\.0s ETA 30\.0s$/);
});

Deno.test("formatProgress with an unknown total shows only the count and time", () => {
  assert.equal(formatProgress("scan", 7, 0, 2), "scan 7 2.0s");
});

Deno.test("formatSeconds switches units at a minute and an hour", () => {
  assert.equal(formatSeconds(59.94), "59.9s");
  assert.equal(formatSeconds(185), "3m05s");
  assert.equal(formatSeconds(3720), "1h02m");
});

/**
 * The lines a log-mode bar (one line per 5 s at most) writes for `total` items, one every
 * `secondsPerItem`, then `done(note)`.
 */
function logLines(total: number, secondsPerItem: number, note?: string): string[] {
  let t = 0;
  const lines: string[] = [];
  const bar = progressBar("x", total, {
    mode: "log",
    logEverySeconds: 5,
    now: () => t,
    write: (line) => lines.push(line),
  });
  for (let i = 1; i <= total; i++) {
    t = i * secondsPerItem;
    bar.update(i);
  }
  bar.done(note);
  return lines;
}

Deno.test("log mode throttles lines but always writes the final one", () => {
  // one second per item: draws at t=1 and t=6 only, then the final line
  const lines = logLines(10, 1);
  assert.deepEqual(lines.map((l) => l.split(" ")[1]), ["1/10", "6/10", "10/10"]);
});

Deno.test("log mode writes the line at the total once, from done(), with its note", () => {
  const lines = logLines(3, 10, "ok"); // every update is past the throttle
  assert.deepEqual(lines.map((l) => l.split(" ")[1]), ["1/3", "2/3", "3/3"]);
  assert.match(lines[2], / ok$/);
});
