#!/usr/bin/env bash
source "$(dirname "$0")/lib.sh"
expect_exit 0 "$BIN" sweep "$SMALL" -o "$WORK/sw" -j 2
for i in 0 1 2 3; do [ -f "$WORK/sw/runs/run-00000$i.h5" ] || fail "run $i missing"; done
"$PY" - "$WORK/sw/sweep.h5" <<'PY'
import sys, xarray as xr
runs = xr.open_dataset(sys.argv[1], group="runs", engine="h5netcdf")
assert runs.sizes["run"] == 4, runs.sizes
links = [str(v) for v in runs["fabric.link"].values]; pues = [str(v) for v in runs["facility.pue"].values]
assert links == ["400Gbps", "400Gbps", "800Gbps", "800Gbps"] and pues == ["1.1", "1.4", "1.1", "1.4"], (links, pues)
p = runs["pue"].values; assert abs(p[0] - 1.1) < 1e-12 and abs(p[1] - 1.4) < 1e-12
n = runs["network_power"].values; assert n[2] != n[0], n      # 800G optics and switches differ from 400G
print("sweep OK")
PY
# Completed points are skipped; a shard runs only its points.
rm "$WORK/sw/runs/run-000003.h5" "$WORK/sw/sweep.h5"
expect_exit 0 "$BIN" sweep "$SMALL" -o "$WORK/sw" -j 1 --shard 1/2
grep -q "1 run, 1 already complete" "$WORK/err.txt" || { cat "$WORK/err.txt"; fail "skip/shard"; }
[ -f "$WORK/sw/sweep.h5" ] || fail "merge after the last shard"
echo "PASS sweep"
