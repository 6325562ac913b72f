#!/usr/bin/python3
"""Peer of the exam preparation in NumPy / SciPy (Debian's python3-numpy, python3-scipy,
python3-pydicom), for bench/preprocess_bench.ts: the same steps as src/preprocess on one DICOM
series folder, timed per stage.

decode (pydicom) + HU -> lung mask on the grid subsampled by --stride (air < -320 HU, body =
largest non-air 2D component with holes filled, enclosed air minus small pure-air 2D blobs,
3D components without gas-like ones, of at least 10 % of the largest, split left/right at the
body's mean column, 2D hole filling) -> VOI -> square crop centred on the VOI, window
100 / 700 -> [0, 1], linear resampling (scipy.ndimage.zoom, order 1, corners aligned) ->
uint8 round(255 v).

Usage: /usr/bin/python3 bench/preprocess_peer.py SERIES_DIR [--size 184,256,256]
       [--stride 2] [--repeat 3] [--out voxels.u8]
Prints one JSON line: wall and CPU seconds per stage (best of --repeat), VOI, lung voxel counts.
"""
import argparse
import glob
import json
import os
import time

import numpy as np
import pydicom
from scipy import ndimage as ndi

AIR_HU, DARK_HU, AIRWAY_MAX_MM2, GAS_DARK, KEEP = -320.0, -950.0, 400.0, 0.35, 0.1
CROSS_2D = np.array([[[0, 0, 0], [0, 0, 0], [0, 0, 0]],
                     [[0, 1, 0], [1, 1, 1], [0, 1, 0]],
                     [[0, 0, 0], [0, 0, 0], [0, 0, 0]]], bool)


def read_series(folder):
    slices = [pydicom.dcmread(p) for p in glob.glob(os.path.join(folder, "*.dcm"))]
    row = np.array(slices[0].ImageOrientationPatient[:3], float)
    col = np.array(slices[0].ImageOrientationPatient[3:], float)
    normal = np.cross(row, col)
    slices.sort(key=lambda s: float(np.dot(normal, np.array(s.ImagePositionPatient, float))))
    hu = np.empty((len(slices), slices[0].Rows, slices[0].Columns), np.float32)
    for k, s in enumerate(slices):
        hu[k] = s.pixel_array * float(s.RescaleSlope) + float(s.RescaleIntercept)
    spacing = [float(v) for v in slices[0].PixelSpacing]
    return hu, spacing, row


def lung_mask(hu, spacing, row_dir, stride):
    sub = hu[:, ::stride, ::stride]
    air = sub < AIR_HU
    dark = sub < DARK_HU
    # Body: largest 2D non-air component per slice, holes filled.
    tissue_labels, n = ndi.label(~air, structure=CROSS_2D)
    sizes = np.bincount(tissue_labels.ravel(), minlength=n + 1)
    sizes[0] = 0
    slice_of = np.zeros(n + 1, np.int64)
    slice_of[tissue_labels[tissue_labels > 0]] = np.nonzero(tissue_labels)[0]
    best = np.zeros(sub.shape[0], np.int64)
    best_size = np.zeros(sub.shape[0], np.int64)
    order = np.lexsort((sizes[1:], slice_of[1:]))
    in_slice = slice_of[1:][order]
    last = np.r_[in_slice[1:] != in_slice[:-1], True]
    best[in_slice[last]] = (np.arange(1, n + 1)[order])[last]
    best_size[in_slice[last]] = sizes[1:][order][last]
    body = tissue_labels == best[:, None, None]
    body &= best_size[:, None, None] > 0
    body = ndi.binary_fill_holes(body, structure=CROSS_2D)
    candidate = air & body
    # Small, mostly pure-air 2D blobs are airway or gas.
    blob_labels, nb = ndi.label(candidate, structure=CROSS_2D)
    blob_size = np.bincount(blob_labels.ravel(), minlength=nb + 1)
    blob_dark = np.bincount(blob_labels.ravel(), weights=dark.ravel(), minlength=nb + 1)
    max_pixels = AIRWAY_MAX_MM2 / (spacing[0] * spacing[1] * stride * stride)
    drop = (blob_size < max_pixels) & (blob_dark > GAS_DARK * blob_size)
    drop[0] = True
    candidate = ~drop[blob_labels]
    # 3D components; drop gas-like ones and those under KEEP x the largest lung-like one.
    labels3, n3 = ndi.label(candidate)
    size3 = np.bincount(labels3.ravel(), minlength=n3 + 1)
    dark3 = np.bincount(labels3.ravel(), weights=dark.ravel(), minlength=n3 + 1)
    lung_like = dark3 <= GAS_DARK * size3
    lung_like[0] = False
    largest = size3[lung_like].max() if lung_like.any() else 0
    keep = lung_like & (size3 >= KEEP * largest)
    # Left / right at the body's mean column (patient right = -x in LPS).
    columns = np.nonzero(body)[2]
    mid = columns.mean() if columns.size else sub.shape[2] / 2
    low_is_right = row_dir[0] >= 0
    x = np.arange(sub.shape[2])[None, None, :]
    low = np.bincount(labels3.ravel(), weights=np.broadcast_to(x < mid, sub.shape).ravel(),
                      minlength=n3 + 1) / np.maximum(size3, 1)
    side_low, side_high = (1, 2) if low_is_right else (2, 1)
    per_voxel = np.where(x < mid, side_low, side_high).astype(np.uint8)
    whole = np.zeros(n3 + 1, np.uint8)
    whole[low >= 0.9] = side_low
    whole[low <= 0.1] = side_high
    whole[~keep] = 0
    lungs = np.where(keep[labels3], np.where(whole[labels3] > 0, whole[labels3], per_voxel), 0)
    out = np.zeros(sub.shape, np.uint8)
    for side in (1, 2):
        out[ndi.binary_fill_holes(lungs == side, structure=CROSS_2D) & (out == 0)] = side
    return out


def voi_of(mask, stride, rows, cols):
    z, y, x = np.nonzero(mask)
    if z.size == 0:
        return None
    return {"z": [int(z.min()), int(z.max())],
            "y": [max(0, (int(y.min()) - 1) * stride + 1), min(rows - 1, int(y.max()) * stride + stride - 1)],
            "x": [max(0, (int(x.min()) - 1) * stride + 1), min(cols - 1, int(x.max()) * stride + stride - 1)]}


def crop_window_resample(hu, voi, size):
    height = voi["y"][1] - voi["y"][0] + 1
    width = voi["x"][1] - voi["x"][0] + 1
    side = max(height, width)
    # Integer crop when the centring is exact; otherwise shift the zoom grid by half a pixel.
    row0 = (voi["y"][0] + voi["y"][1]) / 2 - (side - 1) / 2
    col0 = (voi["x"][0] + voi["x"][1]) / 2 - (side - 1) / 2
    r0, c0 = int(np.floor(row0)), int(np.floor(col0))
    pad = side + 2
    block = hu[voi["z"][0]:voi["z"][1] + 1]
    padded = np.pad(block, ((0, 0), (pad, pad), (pad, pad)), constant_values=-1024.0)
    sub = padded[:, r0 + pad:r0 + pad + side + 1, c0 + pad:c0 + pad + side + 1]
    windowed = np.clip((sub - (-250.0)) / 700.0, 0.0, 1.0).astype(np.float32)
    depth = windowed.shape[0]
    d, h, w = size
    # Sample positions (align corners), relative to the integer crop origin.
    zs = np.linspace(0, depth - 1, d) if d > 1 else np.array([(depth - 1) / 2])
    ys = (row0 - r0) + (np.linspace(0, side - 1, h) if h > 1 else np.array([(side - 1) / 2]))
    xs = (col0 - c0) + (np.linspace(0, side - 1, w) if w > 1 else np.array([(side - 1) / 2]))
    # Separable linear interpolation: z, then y, then x.
    out = interp_axis(windowed, zs, 0)
    out = interp_axis(out, ys, 1)
    out = interp_axis(out, xs, 2)
    return np.floor(255.0 * out + 0.5).astype(np.uint8)


def interp_axis(a, positions, axis):
    i0 = np.floor(positions).astype(np.int64)
    i0 = np.clip(i0, 0, a.shape[axis] - 1)
    i1 = np.clip(i0 + 1, 0, a.shape[axis] - 1)
    f = (positions - i0).astype(np.float32)
    shape = [1, 1, 1]
    shape[axis] = -1
    f = f.reshape(shape)
    return np.take(a, i0, axis=axis) * (1 - f) + np.take(a, i1, axis=axis) * f


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("series")
    parser.add_argument("--size", default="184,256,256")
    parser.add_argument("--stride", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out")
    args = parser.parse_args()
    size = [int(v) for v in args.size.split(",")]
    best, best_cpu = {}, {}
    for _ in range(args.repeat):
        t, c = {}, {}
        t0, c0 = time.perf_counter(), time.process_time()
        hu, spacing, row_dir = read_series(args.series)
        t["decode"], c["decode"] = time.perf_counter() - t0, time.process_time() - c0
        t1, c1 = time.perf_counter(), time.process_time()
        mask = lung_mask(hu, spacing, row_dir, args.stride)
        voi = voi_of(mask, args.stride, hu.shape[1], hu.shape[2])
        t["mask"], c["mask"] = time.perf_counter() - t1, time.process_time() - c1
        t2, c2 = time.perf_counter(), time.process_time()
        voxels = crop_window_resample(hu, voi, size)
        t["resample"], c["resample"] = time.perf_counter() - t2, time.process_time() - c2
        t["total"], c["total"] = time.perf_counter() - t0, time.process_time() - c0
        for k in t:
            best[k] = min(best.get(k, t[k]), t[k])
            best_cpu[k] = min(best_cpu.get(k, c[k]), c[k])
    if args.out:
        voxels.tofile(args.out)
    print(json.dumps({"seconds": best, "cpu": best_cpu, "voi": voi, "dims": list(hu.shape),
                      "right": int((mask == 1).sum()), "left": int((mask == 2).sum())}))


if __name__ == "__main__":
    main()
