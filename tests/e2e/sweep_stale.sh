#!/usr/bin/env bash
# Stale sweep results: after the experiment is edited, a point whose stored resolved experiment (config_yaml)
# differs from the one it would run now is run again (and said), never merged with the new configuration.
source "$(dirname "$0")/lib.sh"
cp "$SMALL" "$WORK/exp.yaml"
expect_exit 0 "$BIN" sweep "$WORK/exp.yaml" -o "$WORK/sw" -j 2
grep -q "4 run, 0 already complete" "$WORK/err.txt" || { cat "$WORK/err.txt"; fail "first sweep"; }
expect_exit 0 "$BIN" sweep "$WORK/exp.yaml" -o "$WORK/sw" -j 2
grep -q "0 run, 4 already complete" "$WORK/err.txt" || { cat "$WORK/err.txt"; fail "unchanged rerun"; }
# Edit the experiment: the old files are stale.
sed -i 's/^duration: 20s/duration: 10s/' "$WORK/exp.yaml"
expect_exit 0 "$BIN" sweep "$WORK/exp.yaml" -o "$WORK/sw" --merge-only
grep -q "4 of 4 runs missing or stale; sweep.h5 not written" "$WORK/out.txt" || { cat "$WORK/out.txt"; fail "merge of stale runs"; }
expect_exit 0 "$BIN" sweep "$WORK/exp.yaml" -o "$WORK/sw" -j 2
grep -q "4 run, 0 already complete, 0 failed; 4 rerun as stale" "$WORK/err.txt" || { cat "$WORK/err.txt"; fail "stale points not rerun"; }
[ "$(grep -c "made from another experiment" "$WORK/err.txt")" -eq 4 ] || fail "one line per stale point expected"
"$PY" - "$WORK/sw" <<'PY'
import sys, h5py, xarray as xr
d = sys.argv[1]
for i in range(4):
    with h5py.File(f"{d}/runs/run-{i:06d}.h5") as h:
        assert "duration: 10" in h.attrs["config_yaml"], h.attrs["config_yaml"][:200]
        assert h["timeseries/time"].shape[0] == 10, h["timeseries/time"].shape
print("stale points rerun OK")
PY
# A sweep with --set: the overrides are part of what a point runs.
expect_exit 0 "$BIN" sweep "$WORK/exp.yaml" -o "$WORK/sw" -j 2 --set seed=9
grep -q "4 run, 0 already complete, 0 failed; 4 rerun as stale" "$WORK/err.txt" || { cat "$WORK/err.txt"; fail "--set change not seen"; }
echo "PASS sweep_stale"
