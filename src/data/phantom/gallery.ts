/**
 * Plain data for looking at phantom exams: one axial slice with its clot outline, HU samples
 * per tissue, and the per-exam truth as a Markdown table. Figures are built from these by the
 * notebook (notebooks/00-synthetic-data.ipynb); `galleryPng` tiles slices into one PNG.
 *
 * @example
 * ```ts
 * import { generateExam } from "./exam.ts";
 * import { examPlans } from "./schedule.ts";
 * import { phantomProfile } from "./profile.ts";
 * import { slicePanel } from "./gallery.ts";
 * const exam = generateExam(0, phantomProfile("tiny"), examPlans(0, 10)[0], { keepTruthMaps: true });
 * const panel = slicePanel(exam, 10); // panel.hu: [rows][cols] HU, panel.outline: clot border
 * ```
 */
import type { PhantomExam } from "./exam.ts";
import { RESCALE_INTERCEPT } from "./exam.ts";
import { Tissue, tissueNames } from "./tissue.ts";
import type { ExamTruth } from "./truth.ts";
import { encodePng } from "./png.ts";

/** One axial slice: HU as [rows][cols] and the pixel centres on the border of its clots. */
export interface SlicePanel {
  slice: number;
  hu: number[][];
  outline: { x: number[]; y: number[] };
}

/** Slice `k` of `exam` (needs `keepTruthMaps` for the outline; empty without clots). */
export function slicePanel(exam: PhantomExam, k: number): SlicePanel {
  const { rows, cols } = exam.grid;
  const base = k * rows * cols;
  const hu = Array.from(
    { length: rows },
    (_, j) =>
      Array.from({ length: cols }, (_, i) => exam.stored[base + j * cols + i] + RESCALE_INTERCEPT),
  );
  const outline = { x: [] as number[], y: [] as number[] };
  const clot = exam.clotCoverage;
  if (clot) {
    const inside = (j: number, i: number) =>
      j >= 0 && j < rows && i >= 0 && i < cols && clot[base + j * cols + i] >= 128;
    for (let j = 0; j < rows; j++) {
      for (let i = 0; i < cols; i++) {
        if (!inside(j, i)) continue;
        if (!inside(j - 1, i) || !inside(j + 1, i) || !inside(j, i - 1) || !inside(j, i + 1)) {
          outline.x.push(i);
          outline.y.push(j);
        }
      }
    }
  }
  return { slice: k, hu, outline };
}

/** The slice showing the most clot (or the middle lung slice when there is none). */
export function mostClotSlice(exam: PhantomExam): number {
  const clot = exam.clotCoverage;
  const perSlice = exam.grid.rows * exam.grid.cols;
  let best = Math.round((exam.truth.lungBox[0] + exam.truth.lungBox[1]) / 2), bestSum = 0;
  if (!clot) return best;
  for (let k = 0; k < exam.grid.slices; k++) {
    let sum = 0;
    for (let v = k * perSlice; v < (k + 1) * perSlice; v++) sum += clot[v];
    if (sum > bestSum) [best, bestSum] = [k, sum];
  }
  return best;
}

/**
 * HU of voxels filled by one tissue, before artefacts and noise (`clean`) and as written
 * (`noisy`), by tissue name; at most `perTissue` evenly spaced voxels each.
 */
export function tissueSamples(
  exam: PhantomExam,
  perTissue = 2000,
): Record<string, { clean: number[]; noisy: number[] }> {
  if (!exam.cleanHu) throw new Error("tissueSamples: generate the exam with keepTruthMaps: true");
  const byTissue = new Map<number, number[]>();
  exam.tissue.forEach((code, v) => {
    if (code === Tissue.Mixed || code === Tissue.Padding) return;
    if (!byTissue.has(code)) byTissue.set(code, []);
    byTissue.get(code)!.push(v);
  });
  const out: Record<string, { clean: number[]; noisy: number[] }> = {};
  for (const [code, voxels] of [...byTissue].sort((a, b) => a[0] - b[0])) {
    const step = Math.max(1, Math.floor(voxels.length / perTissue));
    const picked = voxels.filter((_, n) => n % step === 0);
    out[tissueNames[code]] = {
      clean: picked.map((v) => exam.cleanHu![v]),
      noisy: picked.map((v) => exam.stored[v] + RESCALE_INTERCEPT),
    };
  }
  return out;
}

/** The per-exam truth as a Markdown table (one row per exam). */
export function truthTable(exams: readonly ExamTruth[]): string {
  const lines = [
    "| exam | split | label | broken | clots (location side slices) | positive slices | bolus HU | noise HU | mimics |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const e of exams) {
    const clots = e.clots.map((c) =>
      `${c.location} ${c.side} ${c.slices[0]}-${c.slices.at(-1)}${c.occlusive ? " occl." : ""}`
    ).join("; ");
    lines.push(
      `| ${e.index} | ${e.split} | ${e.label}${e.subtype ? ` (${e.subtype})` : ""} | ${
        e.broken ?? ""
      } | ` +
        `${clots} | ${e.positiveSlices.length}/${e.slices} | ${Math.round(e.bolusHu)} | ` +
        `${Math.round(e.noiseSdHu)} | ${e.mimics.join(", ")} |`,
    );
  }
  return lines.join("\n");
}

/**
 * Tile panels (row-major, `columns` per row) into one PNG: window -250..450 HU in grey, clot
 * borders in red, each pixel drawn `scale` x `scale`, 4 px gaps.
 */
export function galleryPng(panels: readonly SlicePanel[], columns: number, scale = 2): Uint8Array {
  const h = Math.max(...panels.map((p) => p.hu.length));
  const w = Math.max(...panels.map((p) => p.hu[0].length));
  const gap = 4;
  const rows = Math.ceil(panels.length / columns);
  const width = columns * (w * scale + gap) - gap;
  const height = rows * (h * scale + gap) - gap;
  const rgb = new Uint8Array(width * height * 3).fill(255);
  panels.forEach((panel, n) => {
    const x0 = (n % columns) * (w * scale + gap), y0 = Math.floor(n / columns) * (h * scale + gap);
    const border = new Set(panel.outline.x.map((x, m) => panel.outline.y[m] * w + x));
    panel.hu.forEach((row, j) =>
      row.forEach((value, i) => {
        const grey = Math.round(255 * Math.min(1, Math.max(0, (value + 250) / 700)));
        const colour = border.has(j * w + i) ? [255, 0, 0] : [grey, grey, grey];
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            rgb.set(colour, ((y0 + j * scale + dy) * width + x0 + i * scale + dx) * 3);
          }
        }
      })
    );
  });
  return encodePng(width, height, rgb);
}
