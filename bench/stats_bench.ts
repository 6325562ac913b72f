/**
 * Speed of the evaluation statistics against R pROC on the same inputs: AUC + DeLong CI and a
 * paired DeLong test on 200,000 exams (median of several runs each). The peer runs in the same
 * command through `Rscript bench/stats_peer.R`; without R it is skipped with a message.
 *
 * @example
 * ```sh
 * deno run -A bench/stats_bench.ts
 * ```
 */
import { delongAuc, delongPairedTest, rocCurve } from "../src/stats/mod.ts";
import { median } from "./_median.ts";

const CASES = 200_000;
/** Runs per timing: ours are cheap, so more of them steady the median on a shared machine. */
const RUNS = 21;
const PEER_RUNS = 9;
const PREVALENCE = 0.3;

/** Deterministic uniform generator (mulberry32). */
function uniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Two correlated binormal models' probabilities for CASES exams: labels [n], scores [n]. */
function syntheticPredictions() {
  const random = uniform(20261125);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const labels = new Float64Array(CASES);
  const scoresA = new Float64Array(CASES);
  const scoresB = new Float64Array(CASES);
  for (let i = 0; i < CASES; i++) {
    labels[i] = random() < PREVALENCE ? 1 : 0;
    const latent = gaussian() + 1.4 * labels[i]; // shared by both models: correlated AUCs
    scoresA[i] = 1 / (1 + Math.exp(-(latent + 0.5 * gaussian())));
    scoresB[i] = 1 / (1 + Math.exp(-(latent + 0.5 * gaussian())));
  }
  return { labels, scoresA, scoresB };
}

/** Median wall time (seconds) of `runs` calls after one warm-up call. */
function medianSeconds(fn: () => unknown, runs = RUNS): number {
  fn();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    fn();
    times.push((performance.now() - start) / 1000);
  }
  return median(times);
}

/** Runs the R peer on the same inputs; null (with a message) when R or pROC is absent. */
async function peerTimings(data: ReturnType<typeof syntheticPredictions>) {
  const dir = await Deno.makeTempDir({ prefix: "stats_bench_" });
  try {
    const lines = ["label,scoreA,scoreB"];
    for (let i = 0; i < CASES; i++) {
      lines.push(`${data.labels[i]},${data.scoresA[i]},${data.scoresB[i]}`);
    }
    const csv = `${dir}/inputs.csv`;
    await Deno.writeTextFile(csv, lines.join("\n") + "\n");
    const script = new URL("./stats_peer.R", import.meta.url).pathname;
    const output = await new Deno.Command("Rscript", { args: [script, csv, String(PEER_RUNS)] })
      .output();
    if (!output.success) {
      console.log(`R peer failed, skipped:\n${new TextDecoder().decode(output.stderr)}`);
      return null;
    }
    return JSON.parse(new TextDecoder().decode(output.stdout)) as {
      peer: string;
      rocCiAuc: number[];
      rocTest: number[];
      rocTestWithRoc: number[];
      auc: number;
      low: number;
      high: number;
      p: number;
    };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      console.log("Rscript not found: the R pROC peer is skipped (install r-cran-proc for it)");
      return null;
    }
    throw error;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const data = syntheticPredictions();
  const { labels, scoresA, scoresB } = data;
  const single = delongAuc(scoresA, labels);
  const paired = delongPairedTest(scoresA, scoresB, labels);
  const ours = {
    delongAuc: medianSeconds(() => delongAuc(scoresA, labels)),
    rocAndDelongAuc: medianSeconds(() => {
      rocCurve(scoresA, labels);
      delongAuc(scoresA, labels);
    }),
    paired: medianSeconds(() => delongPairedTest(scoresA, scoresB, labels)),
  };
  console.log(
    `stats bench: ${CASES} exams (prevalence ${PREVALENCE}), median of ${RUNS} runs (pROC: ${PEER_RUNS})`,
  );
  console.log(
    `Deno ${Deno.version.deno}, V8 ${Deno.version.v8}, ${navigator.hardwareConcurrency} cores, ` +
      `load average ${Deno.loadavg().map((x) => x.toFixed(2)).join(" ")} (wall-clock timings)`,
  );
  console.log(
    `AUC ${single.auc.toFixed(6)} (${single.low.toFixed(6)}-${single.high.toFixed(6)}), ` +
      `paired p ${paired.p.toFixed(6)}`,
  );
  const peer = await peerTimings(data);
  const rows: [string, number, number | null][] = [
    ["AUC + DeLong CI (delongAuc | roc + ci.auc)", ours.delongAuc, peer && median(peer.rocCiAuc)],
    [
      "ROC curve + AUC + DeLong CI (| roc + ci.auc)",
      ours.rocAndDelongAuc,
      peer && median(peer.rocCiAuc),
    ],
    [
      "paired DeLong from scores (| 2 x roc + roc.test)",
      ours.paired,
      peer && median(peer.rocTestWithRoc),
    ],
    ["paired DeLong (| roc.test on built roc objects)", ours.paired, peer && median(peer.rocTest)],
  ];
  for (const [name, mine, theirs] of rows) {
    const ratio = theirs === null
      ? ""
      : `  pROC ${theirs.toFixed(4)} s  ratio pROC/ours ${(theirs / mine).toFixed(1)}x`;
    console.log(`${name.padEnd(50)} ours ${mine.toFixed(4)} s${ratio}`);
  }
  if (peer) {
    console.log(
      `${peer.peer}: AUC ${peer.auc.toFixed(6)} (${peer.low.toFixed(6)}-${
        peer.high.toFixed(6)
      }), ` +
        `paired p ${peer.p.toFixed(6)}; |AUC difference| ${
          Math.abs(peer.auc - single.auc).toExponential(1)
        }`,
    );
  }
}
