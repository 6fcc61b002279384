#!/usr/bin/env python3
"""Reduces MLPerf Inference datasets' per-sample token lengths to quantile tables.

Input: the per-sample CSV summaries (input_length,output_length, one row per dataset sample) that
openshift-psap/performance-dashboard extracted from the MLCommons dataset files (see README.md).
Output: 1001 equally spaced quantiles (q = 0, 0.001, ..., 1) of input and output tokens, the format of
data/traces/alibaba-servegen-2025, sampled by inverse CDF (models/inference/length_distribution).
Usage (Debian's python3, which has numpy): make_lengths.py <summary.csv> <out.csv> "<header comment>"
"""
import csv, sys
import numpy as np

src, out, title = sys.argv[1], sys.argv[2], sys.argv[3]
rows = [(int(r["input_length"]), int(r["output_length"])) for r in csv.DictReader(open(src))]
a = np.array(rows, dtype=float)
qs = np.linspace(0, 1, 1001)
# Quantiles of the empirical distribution by the inverse CDF (the smallest value whose CDF reaches q).
cols = [np.quantile(a[:, i], qs, method="inverted_cdf") for i in range(2)]
with open(out, "w", newline="") as f:
    f.write("# %s: %d samples; sample means input %.1f, output %.1f tokens\n" % (title, len(a), a[:, 0].mean(), a[:, 1].mean()))
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["quantile", "input_tokens", "output_tokens"])
    for q, i, o in zip(qs, cols[0], cols[1]):
        w.writerow(["%.3f" % q, int(i), int(o)])
