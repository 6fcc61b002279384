#!/usr/bin/env bash
source "$(dirname "$0")/lib.sh"
expect_exit 0 "$BIN" run "$SMALL" -o "$WORK/small.h5" --no-progress
grep -q "training job" "$WORK/out.txt" || fail "summary lacks the training table"
grep -q "inference service" "$WORK/out.txt" || fail "summary lacks the inference table"
[ -f "$WORK/small.h5" ] || fail "no results file"
ls -a "$WORK" | grep -q '\.tmp$' && fail "temporary file left behind"
"$PY" "$SRC/tests/e2e/check_results.py" "$WORK/small.h5"
"$PY" - "$WORK/small.h5" <<'PY'
import sys, h5py, xarray as xr
f = sys.argv[1]
jobs = xr.open_dataset(f, group="jobs", engine="h5netcdf")
svc = xr.open_dataset(f, group="services", engine="h5netcdf")
ts = xr.open_dataset(f, group="timeseries", engine="h5netcdf")
assert jobs.sizes["job"] == 1 and svc.sizes["service"] == 1, (jobs.sizes, svc.sizes)
assert ts.sizes["time"] == 20, ts.sizes                      # 20 s at 1 s
assert float(jobs["step_time"][0]) > 0 and 0 < float(jobs["mfu"][0]) < 1
assert int(svc["completed"][0]) > 0 and float(svc["ttft_p50"][0]) > 0
with h5py.File(f) as h:
    it = h["summary/it_power_mean"][()]; fac = h["summary/facility_power_mean"][()]
    assert abs(fac / it - 1.3) < 1e-9, (fac, it)             # facility = IT x PUE
    assert "duration: 20" in h.attrs["config_yaml"]
    assert h.attrs["simgrid_version"] == "3.32"
print("layout OK")
PY
"$PY" "$SRC/scripts/plot_results.py" "$WORK/small.h5" -o "$WORK/fig" >/dev/null
# Named after the run (experiment "small"); the small run has jobs and a service: all but PUE (constant) are drawn.
for kind in power throughput step-time latency utilisation; do
  [ -s "$WORK/fig/small-$kind.png" ] || fail "plot small-$kind.png missing"
done
echo "PASS run_and_layout"
