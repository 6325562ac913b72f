"""Writes inputs.json: the reference-test inputs of src/stats (ROC, paired and unpaired DeLong,
binomial proportions, Holm, normal distribution). Deterministic (fixed seed).

Run: /usr/bin/python3 tests/testdata/stats/make_inputs.py
Then: Rscript tests/testdata/stats/reference_proc.R
      /usr/bin/python3 tests/testdata/stats/reference_statsmodels.py
      deno fmt tests/testdata/stats/   (the repository keeps JSON in deno fmt's layout)
"""
import json
import os

import numpy as np

rng = np.random.default_rng(20261125)
HERE = os.path.dirname(os.path.abspath(__file__))


def binormal(n, prevalence, separation, rng):
    labels = (rng.random(n) < prevalence).astype(int)
    scores = rng.normal(0.0, 1.0, n) + separation * labels
    return scores, labels


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


roc_cases = []


def add_roc(name, scores, labels):
    roc_cases.append({"name": name, "scores": [float(s) for s in scores],
                      "labels": [int(v) for v in labels]})


add_roc("small-ties", [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.2, 0.9, 0.35, 0.6, 0.1, 0.7],
        [0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0])
add_roc("perfect-separation", [0.1, 0.2, 0.3, 0.6, 0.7, 0.95], [0, 0, 0, 1, 1, 1])
add_roc("auc-zero", [0.9, 0.8, 0.7, 0.3, 0.2, 0.1, 0.05], [0, 0, 0, 1, 1, 1, 1])
add_roc("n-2", [0.3, 0.7], [0, 1])
add_roc("two-per-class", [0.3, 0.7, 0.5, 0.1], [0, 1, 1, 0])
add_roc("all-tied", [0.5] * 8, [0, 1, 0, 1, 1, 0, 0, 1])
s, l = binormal(40, 0.4, 1.0, rng)
add_roc("continuous-40", sigmoid(s), l)
s, l = binormal(300, 0.35, 1.2, rng)
add_roc("discrete-5-levels-300", np.clip(np.round(s + 3), 1, 5), l)
s, l = binormal(1000, 0.3, 1.5, rng)
add_roc("rounded-probabilities-1000", np.round(sigmoid(s), 2), l)
s, l = binormal(5000, 0.3, 1.4, rng)
add_roc("large-5000", np.round(sigmoid(s), 6), l)  # 6 decimals: a few ties, smaller file

paired_cases = []


def add_paired(name, a, b, labels):
    paired_cases.append({"name": name, "scoresA": [float(v) for v in a],
                         "scoresB": [float(v) for v in b], "labels": [int(v) for v in labels]})


s, l = binormal(500, 0.3, 1.3, rng)
add_paired("correlated-500", sigmoid(s), sigmoid(s + rng.normal(0, 0.6, 500) + 0.3 * l), l)
s, l = binormal(5000, 0.3, 1.4, rng)
add_paired("correlated-5000", np.round(sigmoid(s), 6),
           np.round(sigmoid(0.8 * s + rng.normal(0, 0.5, 5000)), 6), l)
s, l = binormal(200, 0.4, 1.0, rng)
add_paired("discrete-tied-200", np.clip(np.round(s + 3), 1, 5),
           np.clip(np.round(s + rng.normal(0, 0.7, 200) + 3), 1, 5), l)
s, l = binormal(60, 0.5, 0.8, rng)
add_paired("identical-60", sigmoid(s), sigmoid(s), l)
add_paired("both-perfect", [0.1, 0.2, 0.3, 0.6, 0.7, 0.95], [0.2, 0.1, 0.4, 0.5, 0.9, 0.8],
           [0, 0, 0, 1, 1, 1])
add_paired("small-ties", [0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.2, 0.9, 0.35, 0.6, 0.1, 0.7],
           [0.2, 0.4, 0.4, 0.7, 0.5, 0.3, 0.2, 0.9, 0.1, 0.6, 0.3, 0.8],
           [0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 0])

# Unpaired comparisons: pairs of ROC cases by name.
unpaired_cases = [
    {"a": "continuous-40", "b": "discrete-5-levels-300"},
    {"a": "large-5000", "b": "rounded-probabilities-1000"},
    {"a": "small-ties", "b": "two-per-class"},
    {"a": "continuous-40", "b": "small-ties"},
]

proportions = []
for count, nobs in [(0, 1), (1, 1), (0, 10), (10, 10), (3, 10), (1, 2), (40, 50), (192, 642),
                    (438, 1444), (0, 5000), (1, 5000), (4999, 5000), (2500, 5000), (17, 23),
                    (5, 7), (1, 100), (99, 100)]:
    for alpha in (0.05, 0.1, 0.01):
        proportions.append({"count": count, "nobs": nobs, "alpha": alpha})

holm_sets = [
    [0.01, 0.04, 0.03, 0.2],
    [0.001, 0.001, 0.5, 0.02, 0.02, 0.9],
    [0.3, 0.4, 0.5],
    [0.0, 1.0, 0.05],
    [float(v) for v in np.round(rng.random(15) ** 3, 6)],
]
holm_with_missing = [[0.01, None, 0.04, 0.03, None], [None, 0.2]]

normal_x = [-37.5, -30.0, -20.0, -10.0, -8.0, -6.0, -5.657, -5.0, -3.0, -2.5, -1.959963984540054,
            -1.0, -0.6744897501960817, -0.5, -0.1, -1e-10, 0.0, 1e-17, 0.25, 0.67449, 0.7, 1.0,
            1.5, 2.0, 3.0, 4.0, 5.0, 5.7, 6.0, 7.0, 8.0, 8.2]
normal_p = [1e-300, 1e-100, 1e-20, 1e-10, 1e-5, 0.001, 0.01, 0.025, 0.05, 0.0749, 0.075, 0.1,
            0.2, 0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.9, 0.925, 0.95, 0.975, 0.99, 0.999, 0.99999,
            1 - 1e-10, 1 - 1e-15]

with open(os.path.join(HERE, "inputs.json"), "w") as f:
    json.dump({"rocCases": roc_cases, "pairedCases": paired_cases,
               "unpairedCases": unpaired_cases, "proportions": proportions,
               "holmSets": holm_sets, "holmWithMissing": holm_with_missing,
               "normalX": normal_x, "normalP": normal_p}, f)
    f.write("\n")
