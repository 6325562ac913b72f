/**
 * A text picture of which slices keep their labels: one row per label fraction, one character
 * per slice (`#` labelled positive slice, `o` labelled negative slice, `.` label hidden), for
 * docs, logs and notebooks.
 *
 * @example
 * ```ts
 * import { maskDiagram } from "./diagram.ts";
 * const sliceLabels = new Uint8Array(20).fill(1, 8, 12);
 * console.log(maskDiagram(sliceLabels, [10, 50], {
 *   strategy: "even-spacing", seed: 0, examId: "1.2.3", sourceSliceCount: 20,
 * }));
 * //   10.0 %  .........#.........o    2 labelled
 * //   50.0 %  .o.o.o.o.#.#.o.o.o.o   10 labelled
 * ```
 */
import { labelledSlices, type MaskingOptions } from "./masking.ts";

/** Rows `fraction %  slices  count labelled` for an exam with `sliceLabels` [D]. */
export function maskDiagram(
  sliceLabels: Uint8Array,
  fractionsPercent: readonly number[],
  options: MaskingOptions,
): string {
  return fractionsPercent.map((fraction) => {
    const kept = labelledSlices(sliceLabels.length, fraction, options);
    const cells = Array.from(kept, (k, z) => (k ? (sliceLabels[z] ? "#" : "o") : ".")).join("");
    const count = kept.reduce((a, b) => a + b, 0);
    return `${fraction.toFixed(1).padStart(6)} %  ${cells}  ${String(count).padStart(3)} labelled`;
  }).join("\n");
}
