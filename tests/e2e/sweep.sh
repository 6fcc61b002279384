#!/usr/bin/env bash
source "$(dirname "$0")/lib.sh"
expect_exit 0 "$BIN" sweep "$SMALL" -o "$WORK/sw" -j 2
# A progress line per point: [k/N], its values, its wall time and what it gives.
grep -Eq '^  \[4/4\] run [0-3]: fabric.link=[48]00Gbps facility.pue=1\.[14] done [0-9.]+ s: facility [0-9.e-]+ MW' \
  "$WORK/err.txt" || { cat "$WORK/err.txt"; fail "progress line"; }
for i in 0 1 2 3; do [ -f "$WORK/sw/runs/run-00000$i.h5" ] || fail "run $i missing"; done
"$PY" - "$WORK/sw/sweep.h5" <<'PY'
import sys, xarray as xr
runs = xr.open_dataset(sys.argv[1], group="runs", engine="h5netcdf")
assert runs.sizes["run"] == 4, runs.sizes
# Swept keys are numeric coordinates in SI units; the text as written stays in the long_name.
links = list(runs["fabric.link"].values); pues = list(runs["facility.pue"].values)
assert links == [4e11, 4e11, 8e11, 8e11] and pues == [1.1, 1.4, 1.1, 1.4], (links, pues)
assert runs["fabric.link"].attrs["units"] == "bit/s" and "400Gbps, 800Gbps" in runs["fabric.link"].attrs["long_name"]
# Every job and service of every run, with its run index.
jobs = xr.open_dataset(sys.argv[1], group="jobs", engine="h5netcdf")
assert list(jobs["run_index"].values) == [0, 1, 2, 3] and jobs["step_time"].values[2] < jobs["step_time"].values[0]
svc = xr.open_dataset(sys.argv[1], group="services", engine="h5netcdf")
assert list(svc["run_index"].values) == [0, 1, 2, 3] and (svc["slo_attainment"].values >= 0).all()
p = runs["pue"].values; assert abs(p[0] - 1.1) < 1e-12 and abs(p[1] - 1.4) < 1e-12
n = runs["network_power"].values; assert n[2] != n[0], n      # 800G optics and switches differ from 400G
print("sweep OK")
PY
# Completed points are skipped; a shard runs only its points.
rm "$WORK/sw/runs/run-000003.h5" "$WORK/sw/sweep.h5"
expect_exit 0 "$BIN" sweep "$SMALL" -o "$WORK/sw" -j 1 --shard 1/2
grep -q "1 run, 1 already complete" "$WORK/err.txt" || { cat "$WORK/err.txt"; fail "skip/shard"; }
[ -f "$WORK/sw/sweep.h5" ] || fail "merge after the last shard"
# --sweep replaces an axis of the grid (facility.pue) and adds one; a bad value is refused before any run.
expect_exit 0 "$BIN" sweep "$SMALL" -o "$WORK/sw2" -j 2 --sweep facility.pue=1.2,1.3,1.5 --sweep seed=1,2
[ -f "$WORK/sw2/runs/run-000011.h5" ] && [ ! -f "$WORK/sw2/runs/run-000012.h5" ] || fail "--sweep grid of 2 x 3 x 2"
expect_exit 2 "$BIN" sweep "$SMALL" -o "$WORK/sw3" --sweep facility.pue=1.2,abc
grep -q "facility.pue: expected a number, got 'abc'" "$WORK/err.txt" || { cat "$WORK/err.txt"; fail "--sweep bad value"; }
[ ! -d "$WORK/sw3/runs" ] || [ -z "$(ls "$WORK/sw3/runs")" ] || fail "a run started before the bad --sweep value"
# sweep.repeats: each grid point runs with seeds seed, seed+1, ...; /points gives the mean and the 95 % CI.
expect_exit 0 "$BIN" sweep "$SMALL" -o "$WORK/sw4" -j 2 --set sweep.repeats=3 --sweep facility.pue=1.2
"$PY" - "$WORK/sw4/sweep.h5" <<'PY'
import sys, numpy as np, xarray as xr
p = xr.open_dataset(sys.argv[1], group="points", engine="h5netcdf")
r = xr.open_dataset(sys.argv[1], group="runs", engine="h5netcdf")
assert p.sizes["point"] == 2 and list(p["repeats"].values) == [3, 3], p.sizes
assert list(r["seed"].values) == [5, 6, 7, 5, 6, 7], r["seed"].values
e = r["energy_per_token"].values[:3]
t = 4.303  # Student t_0.975, 2 degrees of freedom
assert abs(p["energy_per_token"].values[0] - e.mean()) < 1e-12
assert abs(p["energy_per_token_ci95"].values[0] - t * e.std(ddof=1) / np.sqrt(3)) < 1e-12
PY
expect_exit 2 "$BIN" sweep "$SMALL" -o "$WORK/sw5" --set sweep.repeats=2 --sweep seed=1,2
echo "PASS sweep"
