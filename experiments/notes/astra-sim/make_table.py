#!/usr/bin/env python3
"""Turn runs/results.csv into a markdown table with textbook formula times.

Formula conventions (B = link bandwidth per NPU, L = link latency):
  * 1-D all-reduce (ring/direct):  T = 2(N-1)/N * S/B + 2(N-1) * L
  * 1-D all-to-all (direct):       T = (N-1)/N * S/B + (N-1) * L
  * all-to-all on a bidirectional ring: the busiest directed link's bytes / B (the half-way peer clockwise):
        T = S/N * sum_{d=1}^{N/2} d / B
  * 2-D all-reduce (hierarchical RS dim1 -> AR dim2 on S/n1 -> AG dim1):
        T = 2(n1-1)/n1 * S/B1 + 2(n2-1)/n2 * (S/n1)/B2 + 2(n1-1) L1 + 2(n2-1) L2
Two bandwidth conventions are given:
  f_dec  : B in decimal GB/s (50 GB/s = 50e9 B/s)  <- the brief's formula; ratio column
  f_gib  : B as ASTRA-sim's analytical backend reads it (50 "GB/s" = 50 * 2^30 B/s)
"""
import csv
import sys

NETS = {  # netconf -> list of (n, bw_GBps, lat_ns) per dimension
    "switch8": [(8, 50.0, 500.0)],
    "switch64": [(64, 50.0, 500.0)],
    "switch512": [(512, 50.0, 500.0)],
    "ring8": [(8, 50.0, 500.0)],
    "ring16": [(16, 50.0, 500.0)],
    "2d64": [(8, 450.0, 500.0), (8, 50.0, 1000.0)],
    "2d512": [(8, 450.0, 500.0), (64, 50.0, 1000.0)],
}


def formula(coll, dims, S, unit, ring=False):
    if len(dims) == 1:
        n, bw, lat = dims[0]
        B = bw * unit
        if ring and coll == "all_to_all":
            return S / n * sum(range(1, n // 2 + 1)) / B
        if coll == "all_reduce":
            return 2 * (n - 1) / n * S / B + 2 * (n - 1) * lat * 1e-9
        return (n - 1) / n * S / B + (n - 1) * lat * 1e-9
    (n1, b1, l1), (n2, b2, l2) = dims
    B1, B2 = b1 * unit, b2 * unit
    return (2 * (n1 - 1) / n1 * S / B1 + 2 * (n2 - 1) / n2 * (S / n1) / B2
            + 2 * (n1 - 1) * l1 * 1e-9 + 2 * (n2 - 1) * l2 * 1e-9)


def human(b):
    b = int(b)
    if b % (1 << 30) == 0:
        return f"{b >> 30} GiB"
    return f"{b >> 20} MiB"


rows = list(csv.DictReader(open(sys.argv[1])))
print("| case | topology | N | size/NPU | coll | algorithm | backend | sim time (s) | formula, B=50e9 (s) | ratio sim/formula | formula, B=50·2^30 (s) | ratio (GiB conv.) |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    dims = NETS[r["netconf"]]
    S = int(r["size_bytes"])
    ring = r["topology"] == "Ring"
    fd = formula(r["collective"], dims, S, 1e9, ring)
    fg = formula(r["collective"], dims, S, float(1 << 30), ring)
    if r["sim_ns_max"] == "NA":
        sim = "FAILED (see notes)"; ra = rg = "-"
    else:
        t = int(r["sim_ns_max"]) * 1e-9  # ASTRA-sim tick = 1 ns (CLOCK_PERIOD = 1)
        sim = f"{t:.6f}"; ra = f"{t / fd:.3f}"; rg = f"{t / fg:.3f}"
    topo = r["topology"]
    if len(dims) == 2:
        topo = f"2D Switch {dims[0][0]}@{dims[0][1]:g}GB/s,{dims[0][2]:g}ns x Switch {dims[1][0]}@{dims[1][1]:g}GB/s,{dims[1][2]:g}ns"
    else:
        topo = f"{topo} @{dims[0][1]:g}GB/s,{dims[0][2]:g}ns"
    print(f"| {r['case']} | {topo} | {r['N']} | {human(S)} | {r['collective']} | {r['algorithm']} | "
          f"{r['backend']} | {sim} | {fd:.6f} | {ra} | {fg:.6f} | {rg} |")
