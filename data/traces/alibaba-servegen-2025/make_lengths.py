#!/usr/bin/env python3
"""Aggregates ServeGen's per-client, per-6-hour token-length PMFs of one model into a quantile table.

Each client-window PMF is weighted by that client's expected request count in the window (sum over the
600 s rows of its trace.csv of rate x 600 s). Output: 1001 quantiles (q = 0, 0.001, ..., 1) of input and
output tokens, sampled by inverse CDF (models/inference/length_distribution).
Usage: make_lengths.py <servegen model dir> <out.csv>
"""
import ast, csv, glob, json, os, sys
import numpy as np

src, out = sys.argv[1], sys.argv[2]
pmf = {"input_tokens": {}, "output_tokens": {}}
total_requests = 0.0
for ds in sorted(glob.glob(os.path.join(src, "chunk-*-dataset.json"))):
    trace = ds.replace("-dataset.json", "-trace.csv")
    rows = [(float(r[0]), float(r[1] or 0)) for r in csv.reader(open(trace)) if r]
    windows = json.load(open(ds))
    starts = sorted(float(k) for k in windows)
    for i, key in enumerate(sorted(windows, key=float)):
        lo = float(key)
        hi = starts[i + 1] if i + 1 < len(starts) else float("inf")
        weight = sum(rate * 600.0 for t, rate in rows if lo <= t < hi)
        if weight <= 0:
            continue
        total_requests += weight
        for field in pmf:
            if field not in windows[key]:
                continue
            d = ast.literal_eval(windows[key][field])
            s = sum(d.values())
            for v, p in d.items():
                pmf[field][int(v)] = pmf[field].get(int(v), 0.0) + weight * p / s
qs = np.linspace(0, 1, 1001)
cols = []
for field in ("input_tokens", "output_tokens"):
    v = np.array(sorted(pmf[field]))
    p = np.array([pmf[field][x] for x in v])
    cdf = np.cumsum(p) / p.sum()
    cols.append([int(v[min(np.searchsorted(cdf, q), len(v) - 1)]) for q in qs])
    mean = (v * p).sum() / p.sum()
    print(field, "mean", round(mean, 1), "median", cols[-1][500], "p99", cols[-1][990])
with open(out, "w") as f:
    f.write("# ServeGen (Alibaba, Apache-2.0) %s: request-weighted length quantiles, %.0f requests\n"
            % (os.path.basename(os.path.normpath(src)), total_requests))
    f.write("quantile,input_tokens,output_tokens\n")
    for q, a, b in zip(qs, cols[0], cols[1]):
        f.write("%.3f,%d,%d\n" % (q, a, b))
