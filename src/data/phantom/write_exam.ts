/**
 * Write one phantom exam in RSPECT's layout, `<out>/<Study>/<Series>/<SOP>.dcm`, atomically:
 * the study folder is assembled under a temporary name and renamed into place, so a crash never
 * leaves a half-written study that a resumed run would take as finished. Files are written in
 * the order of their SOP UIDs; a missing-slice exam omits one file.
 *
 * @example
 * ```ts ignore
 * import { generateExam } from "./exam.ts";
 * import { examPlans } from "./schedule.ts";
 * import { phantomProfile } from "./profile.ts";
 * import { writeExamDicom } from "./write_exam.ts";
 * const exam = generateExam(0, phantomProfile("tiny"), examPlans(0, 10)[0]);
 * await writeExamDicom("out/synthetic", exam, 0);
 * ```
 */
import { join } from "node:path";
import { encodeCtSlice } from "../../io/dicom_write.ts";
import { type PhantomExam, RESCALE_INTERCEPT } from "./exam.ts";
import { fileOrder } from "./labels.ts";
import { phantomUid } from "./uids.ts";

/** Write `exam` under `out`; replaces a stale study folder of the same UID. */
export async function writeExamDicom(out: string, exam: PhantomExam, seed: number): Promise<void> {
  const { grid, truth } = exam;
  const final = join(out, truth.studyUid);
  const temp = join(out, `.partial-${truth.studyUid}`);
  await Deno.remove(temp, { recursive: true }).catch(() => {});
  const seriesDir = join(temp, truth.seriesUid);
  await Deno.mkdir(seriesDir, { recursive: true });
  const perSlice = grid.rows * grid.cols;
  const frame = phantomUid(seed, "frame", truth.index);
  for (const k of fileOrder(truth.sopUids)) {
    const sop = truth.sopUids[k];
    if (sop === truth.missingSopUid) continue;
    const bytes = encodeCtSlice({
      studyInstanceUid: truth.studyUid,
      seriesInstanceUid: truth.seriesUid,
      sopInstanceUid: sop,
      frameOfReferenceUid: frame,
      patientId: `P${String(truth.index).padStart(6, "0")}`,
      instanceNumber: k + 1,
      imagePositionPatient: exam.positions[k],
      imageOrientationPatient: exam.orientation,
      pixelSpacing: [grid.px, grid.px],
      sliceThickness: grid.dz,
      rows: grid.rows,
      columns: grid.cols,
      rescaleIntercept: RESCALE_INTERCEPT,
      rescaleSlope: 1,
      pixelPaddingValue: exam.paddingStored,
      windowCenter: 100,
      windowWidth: 700,
      pixels: exam.stored.subarray(k * perSlice, (k + 1) * perSlice),
    });
    Deno.writeFileSync(join(seriesDir, `${sop}.dcm`), bytes);
  }
  await Deno.remove(final, { recursive: true }).catch(() => {});
  await Deno.rename(temp, final);
}
