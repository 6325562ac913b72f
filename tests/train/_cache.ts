/** A small prepared-exam cache written through the preprocess stage's cache API. */
import { initCache, writeCacheIndex, writePreparedExam } from "../../src/preprocess/cache.ts";
import { preprocessConfigSchema } from "../../src/preprocess/prepare.ts";
import type { PreparationRecord } from "../../src/preprocess/prepare.ts";
import { markerExams } from "../../src/train/mod.ts";

/**
 * Write marker exams (2 folds x 4, `testPerSplit` (default 2) per test split, [6, 12, 12]) as a
 * cache in `dir`.
 */
export async function writeTinyCache(
  dir: string,
  size: [number, number, number] = [6, 12, 12],
  testPerSplit = 2,
) {
  const init = await initCache(dir, preprocessConfigSchema.parse({ size }));
  const exams = markerExams({ trainPerFold: 4, folds: 2, testPerSplit, dims: size, seed: 5 });
  const entries = [];
  for (const [i, exam] of exams.entries()) {
    const [d] = exam.dims;
    const record: PreparationRecord = {
      sourceDims: [exam.lungSliceCount, 24, 24],
      sourceSpacing: [2, 1, 1],
      voi: { z: [0, exam.lungSliceCount - 1], y: [0, 23], x: [0, 23] },
      lungSliceCount: exam.lungSliceCount,
      crop: { row0: 0, col0: 0, side: 24 },
      outputSpacing: [2, 2, 2],
      sourceSlices: Array.from({ length: d }, (_, z) => [z, z] as [number, number]),
      sourceLabels: Array.from({ length: exam.lungSliceCount }, () => 0 as const),
      positivesOutsideVoi: 0,
      rightLungVoxels: 1,
      leftLungVoxels: 1,
      maskStride: 1,
    };
    // cache exam ids are DICOM UIDs
    const examId = `1.2.826.0.1.${i + 1}`;
    entries.push(
      await writePreparedExam(
        dir,
        { ...exam, examId, seriesId: `${examId}.1` },
        record,
        init.manifest.configHash,
      ),
    );
  }
  await writeCacheIndex(dir, {
    configHash: init.manifest.configHash,
    exams: entries,
    failures: [],
  });
}
