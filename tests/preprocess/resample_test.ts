import assert from "node:assert/strict";
import type { Volume } from "../../src/io/volume.ts";
import { windowByte, windowUnit } from "../../src/preprocess/window.ts";
import {
  mapSliceLabels,
  resampleVoi,
  samplePosition,
  sourceIntervals,
  squareCrop,
} from "../../src/preprocess/resample.ts";

/** A volume whose HU is a linear function of (z, y, x), inside the window (-250..450). */
function rampVolume(
  dims: [number, number, number],
  hu: (z: number, y: number, x: number) => number,
) {
  const [S, R, C] = dims;
  const data = new Float32Array(S * R * C);
  for (let z = 0; z < S; z++) {
    for (let y = 0; y < R; y++) {
      for (let x = 0; x < C; x++) data[(z * R + y) * C + x] = hu(z, y, x);
    }
  }
  const volume: Volume = {
    hu: data,
    dims,
    spacing: [1, 1, 1],
    origin: [0, 0, 0],
    direction: [1, 0, 0, 0, 1, 0, 0, 0, 1],
    sopInstanceUids: Array.from({ length: S }, (_, k) => `1.${k}`),
    zPositions: Array.from({ length: S }, (_, k) => k),
  };
  return volume;
}

Deno.test("resampling a linear HU ramp is exact (windowed values, all three axes)", () => {
  const hu = (z: number, y: number, x: number) => -200 + 3 * z + 1.5 * y + 2 * x;
  const volume = rampVolume([30, 40, 50], hu);
  // Square VOI inside the volume so no fill value enters.
  const voi = { z: [3, 26], y: [5, 34], x: [10, 39] } as {
    z: [number, number];
    y: [number, number];
    x: [number, number];
  };
  for (const dims of [[17, 23, 23], [40, 64, 64], [1, 5, 5]] as [number, number, number][]) {
    const out = resampleVoi(volume, voi, dims, new Float32Array(dims[0] * dims[1] * dims[2]));
    const crop = squareCrop(voi);
    const [D, H, W] = dims;
    for (let d = 0; d < D; d++) {
      const z = samplePosition(d, D, voi.z[1] - voi.z[0] + 1, voi.z[0]);
      for (let j = 0; j < H; j++) {
        const y = samplePosition(j, H, crop.side, crop.row0);
        for (let k = 0; k < W; k++) {
          const x = samplePosition(k, W, crop.side, crop.col0);
          const expected = (hu(z, y, x) + 250) / 700;
          const got = out[(d * H + j) * W + k];
          assert.ok(Math.abs(got - expected) < 2e-6, `(${d},${j},${k}) ${got} vs ${expected}`);
        }
      }
    }
  }
});

Deno.test("uint8 output is the rounded float output; crop outside the volume reads as air", () => {
  const volume = rampVolume([4, 8, 8], (_z, y, x) => -100 + 10 * y + 5 * x);
  // A wide, short VOI: the square crop reaches above and below the volume.
  const voi = { z: [0, 3], y: [3, 4], x: [0, 7] } as {
    z: [number, number];
    y: [number, number];
    x: [number, number];
  };
  const f = resampleVoi(volume, voi, [4, 8, 8], new Float32Array(256));
  const u = resampleVoi(volume, voi, [4, 8, 8], new Uint8Array(256));
  for (let i = 0; i < 256; i++) assert.equal(u[i], Math.floor(255 * f[i] + 0.5));
  assert.deepEqual(squareCrop(voi), { row0: 0, col0: 0, side: 8 });
  const high = resampleVoi(
    volume,
    { z: [0, 3], y: [0, 1], x: [0, 7] },
    [1, 8, 8],
    new Float32Array(64),
  );
  assert.equal(high[0], 0, "row -3 is outside: -1024 HU -> 0");
});

Deno.test("source intervals: examples, contiguity, and every source slice covered", () => {
  assert.deepEqual(sourceIntervals(5, 3), [[0, 1], [1, 3], [3, 4]]);
  assert.deepEqual(sourceIntervals(3, 3), [[0, 0], [1, 1], [2, 2]]);
  assert.deepEqual(sourceIntervals(2, 4), [[0, 0], [0, 1], [0, 1], [1, 1]]);
  assert.deepEqual(sourceIntervals(7, 1), [[0, 6]]);
  assert.deepEqual(sourceIntervals(1, 3), [[0, 0], [0, 0], [0, 0]]);
});

/** Small deterministic generator for the property test. */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

Deno.test("label mapping never loses a positive and never invents one (random labels and sizes)", () => {
  const random = lcg(20261125);
  for (let trial = 0; trial < 3000; trial++) {
    const sourceCount = 1 + Math.floor(random() * 400);
    const outCount = 1 + Math.floor(random() * 260);
    const density = random() < 0.5 ? 0.01 : random() * 0.5;
    const labels = Uint8Array.from({ length: sourceCount }, () => (random() < density ? 1 : 0));
    const intervals = sourceIntervals(sourceCount, outCount);
    const mapped = mapSliceLabels(labels, intervals);
    assert.equal(mapped.length, outCount);
    assert.equal(intervals[0][0], 0);
    assert.equal(intervals[outCount - 1][1], sourceCount - 1);
    for (let j = 1; j < outCount; j++) {
      assert.ok(intervals[j][0] <= intervals[j - 1][1] + 1, `gap before output ${j}`);
      assert.ok(intervals[j][0] >= intervals[j - 1][0], "intervals move forward");
    }
    labels.forEach((label, i) => {
      if (!label) return;
      const holders = intervals.flatMap(([a, b], j) => (a <= i && i <= b ? [j] : []));
      assert.ok(holders.length > 0, `source ${i} of ${sourceCount} -> ${outCount}: in no interval`);
      assert.ok(holders.some((j) => mapped[j] === 1), `positive source ${i} lost`);
    });
    mapped.forEach((label, j) => {
      const [a, b] = intervals[j];
      assert.equal(label, labels.subarray(a, b + 1).some((v) => v === 1) ? 1 : 0);
    });
  }
});

Deno.test("each output slice's interval contains the source slices it interpolates from", () => {
  for (const [m, n] of [[250, 184], [100, 184], [184, 184], [37, 5]]) {
    const intervals = sourceIntervals(m, n);
    for (let j = 0; j < n; j++) {
      const u = samplePosition(j, n, m, 0);
      assert.ok(intervals[j][0] <= Math.floor(u) && Math.ceil(u) <= intervals[j][1]);
    }
  }
});

Deno.test("on the source grid, stored bytes are windowByte(windowUnit(HU)) voxel for voxel", () => {
  // Output grid = source grid (square VOI, same sizes): no interpolation, only the window.
  let seed = 7;
  const volume = rampVolume([5, 9, 9], () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return Math.round((seed / 2 ** 32) * 1400 - 600); // -600..800 HU, around the window
  });
  const voi = { z: [0, 4], y: [0, 8], x: [0, 8] } as {
    z: [number, number];
    y: [number, number];
    x: [number, number];
  };
  const bytes = resampleVoi(volume, voi, [5, 9, 9], new Uint8Array(405));
  for (let i = 0; i < 405; i++) assert.equal(bytes[i], windowByte(windowUnit(volume.hu[i])));
});
