"""Expected values from Python (statsmodels, scikit-learn) for the src/stats reference tests.

Reads inputs.json beside this file, writes expected_statsmodels.json.
Run with Debian's Python: /usr/bin/python3 tests/testdata/stats/reference_statsmodels.py
"""
import json
import math
import os

import numpy as np
import sklearn
import statsmodels
from sklearn.metrics import roc_auc_score, roc_curve
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

HERE = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(HERE, "inputs.json")) as f:
    inputs = json.load(f)


def finite(values):
    """JSON has no Infinity: write it as a string the tests turn back into a number."""
    return [v if math.isfinite(v) else ("Infinity" if v > 0 else "-Infinity") for v in values]


roc = []
for case in inputs["rocCases"]:
    labels = np.array(case["labels"])
    scores = np.array(case["scores"], dtype=float)
    fpr, tpr, thresholds = roc_curve(labels, scores, drop_intermediate=False)
    roc.append({
        "name": case["name"],
        "auc": float(roc_auc_score(labels, scores)),
        "fpr": [float(v) for v in fpr],
        "tpr": [float(v) for v in tpr],
        # thresholds[0] is sklearn's "nothing positive" sentinel (max + 1 here); the rest are
        # the distinct scores, descending.
        "thresholds": finite([float(v) for v in thresholds]),
    })

# statsmodels method names for the project's CiMethod names.
METHODS = {"wilson": "wilson", "clopper-pearson": "beta", "wald": "normal",
           "agresti-coull": "agresti_coull", "jeffreys": "jeffreys"}
proportions = []
for item in inputs["proportions"]:
    row = dict(item)
    for ours, theirs in METHODS.items():
        low, high = proportion_confint(item["count"], item["nobs"], alpha=item["alpha"],
                                       method=theirs)
        row[ours] = [float(low), float(high)]
    proportions.append(row)

holm = [[float(v) for v in multipletests(p, method="holm")[1]] for p in inputs["holmSets"]]

with open(os.path.join(HERE, "expected_statsmodels.json"), "w") as f:
    json.dump({"generator": f"statsmodels {statsmodels.__version__}, "
                            f"scikit-learn {sklearn.__version__}, numpy {np.__version__}",
               "roc": roc, "proportions": proportions, "holm": holm}, f)
    f.write("\n")
