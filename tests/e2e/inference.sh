#!/usr/bin/env bash
# The serving actors end to end: decode stretches give the iteration-by-iteration results (exactly, up to
# rounding) in fewer simulated steps; the service tables open in xarray; a sampled fleet (2 of 4 replicas
# detailed) stays close to the full simulation.
source "$(dirname "$0")/lib.sh"
E="$SRC/tests/e2e/data/inference-small.yaml"
expect_exit 0 "$BIN" run "$E" -o "$WORK/fast.h5" -q --no-progress
expect_exit 0 "$BIN" run "$E" -o "$WORK/slow.h5" -q --no-progress --set workload.inference[0].decode_stretches=false
expect_exit 0 "$BIN" run "$E" -o "$WORK/sampled.h5" -q --no-progress --set workload.inference[0].detailed_replicas=2
"$PY" - "$WORK" <<'PYEOF' || fail "inference results"
import sys, h5py, xarray as xr
w = sys.argv[1]
def svc(name):
    with h5py.File(f"{w}/{name}.h5") as f:
        return {k: f["services"][k][0] for k in f["services"] if k not in ("service",)}
fast, slow, sampled = svc("fast"), svc("slow"), svc("sampled")
for k in ("ttft_p50", "ttft_p99", "tpot_p50", "tpot_p99", "e2e_p99", "output_tokens_per_s", "goodput_requests_per_s"):
    assert abs(fast[k] - slow[k]) <= 1e-6 * abs(slow[k]) + 1e-9, (k, fast[k], slow[k])
assert fast["iterations"] == slow["iterations"], (fast["iterations"], slow["iterations"])
assert fast["simulated_steps"] * 2 < slow["simulated_steps"], (fast["simulated_steps"], slow["simulated_steps"])
assert fast["completed"] > 4000 and fast["requests"] > 4500   # 40/s x 120 s = 4,800 arrivals
# Half the replicas on a half sample of the arrivals (another random sample): request rate within 3 % (Poisson
# sd of 2,400 requests 2 %), generated tokens within 8 % (the mean of 2,400 exponential lengths has sd 2 % on
# top), median latencies within 10 %.
rel = lambda k: abs(sampled[k] / fast[k] - 1)
assert rel("requests") < 0.03 and rel("output_tokens_per_s") < 0.08, (sampled, fast)
assert rel("ttft_p50") < 0.1 and rel("tpot_p50") < 0.1, (sampled, fast)
ts = xr.open_dataset(f"{w}/fast.h5", group="service_timeseries", engine="h5netcdf")
assert ts.sizes["sample"] == 24 and float(ts["running"].max()) > 0, ts
# Output tokens over time add up to the service's: each request's tokens in the interval of its decode midpoint.
import numpy as np
t = ts["time"].values
dt = np.diff(np.concatenate([[0.0], t]))
with h5py.File(f"{w}/fast.h5") as f:
    total = f["services"]["output_tokens_per_s"][0] * f["summary"]["duration"][()]
assert ts["output_tokens_per_s"].attrs["units"] == "count/s"  # CF (UDUNITS-2); as declared: clustersim_units
assert ts["output_tokens_per_s"].attrs["clustersim_units"] == "token/s"
# The same samples over (time, service): service_series, one column per service.
grid = xr.open_dataset(f"{w}/fast.h5", group="service_series", engine="h5netcdf")
assert grid["running"].dims == ("time", "service") and list(grid["service"].values) == ["chat"], grid
assert np.allclose(grid["running"].sel(service="chat").values, ts["running"].values)
assert np.allclose(grid["output_tokens_per_s"].sel(service="chat").values, ts["output_tokens_per_s"].values)
assert abs(float((ts["output_tokens_per_s"].values * dt).sum()) - total) <= 1e-9 * total, total
print("ok")
PYEOF
echo "PASS inference"
