"""Writes small_predictions.csv: a small hand-sized predictions table for the evaluation
reference test (tests/report/reference_test.ts). Scores are random but seeded; the file is the
input that reference_metrics.R evaluates independently.

Run: /usr/bin/python3 tests/testdata/report/make_small_predictions.py
"""
import csv
import random
from pathlib import Path

rng = random.Random(11)
FRACTIONS = [0, 50, 100]
FOLDS = [0, 1]
# split -> (exams, central positives, peripheral positives)
SPLITS = {"public": (24, 3, 5), "private": (30, 4, 6)}
SHIFT = {0: 0.8, 50: 1.6, 100: 1.9}  # latent separation of positives per fraction

rows = []
for split, (n, central, peripheral) in SPLITS.items():
    for e in range(n):
        label = 1 if e < central + peripheral else 0
        subtype = "" if label == 0 else ("central" if e < central else "peripheral")
        base = rng.gauss(0, 1)
        for f in FRACTIONS:
            latent = base + label * SHIFT[f] * (1.4 if subtype == "central" else 1.0)
            for fold in FOLDS:
                x = latent + rng.gauss(0, 0.7)
                score = 1 / (1 + 2.718281828459045 ** -(x - 0.8))
                rows.append([f"{split[:3]}-{e:02d}", split, label, f, fold, f"{score:.4f}", subtype])

rng.shuffle(rows)  # row order must not matter
out = Path(__file__).with_name("small_predictions.csv")
with out.open("w", newline="") as handle:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(["exam_id", "split", "label", "fraction", "fold", "score", "subtype"])
    writer.writerows(rows)
print(f"wrote {out} ({len(rows)} rows)")
