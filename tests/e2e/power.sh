#!/usr/bin/env bash
# GPU power through time end to end (issue 12): the power trace of a synchronous training job integrates to the
# energy of the 1-s series over its window; its swing has the step's frequency; a GPU power floor shrinks the swing
# and costs energy; a battery flattens what the grid sees; a cap slows the step and lowers the power; the budget
# policies keep the site's facility peak within the budget; a cap below idle is an exit-2 error.
source "$(dirname "$0")/lib.sh"
exp() {
  cat <<'YAML'
name: swing
seed: 3
duration: 2min
cluster:
  gpu: H100-SXM
  servers: 16
fabric:
  tiers: 2
  link: 400Gbps
facility:
  pue: 1.2
  storage: {energy: 0J, power: 2MW, efficiency: 0.9, smoothing: 30s}
workload:
  training:
    - name: train
      model: llama3-70b
      gpus: 128
      parallelism: {tp: 8, pp: 4, dp: 4}
      tokens_per_step: 512K
      detailed_steps: 1
output:
  sample_interval: 1s
  power_trace: {start: 60s, duration: 40s, resolution: 10ms}
YAML
}
exp >"$WORK/swing.yaml"
run() { expect_exit 0 "$BIN" run "$WORK/swing.yaml" -o "$WORK/$1.h5" --no-progress -q "${@:2}"; }
run base
run floor --set cluster.gpu_power_floor=0.8
run battery --set facility.storage.energy=100kWh
run capped --set cluster.power_cap=400W
$PY - "$WORK" <<'PY'
import sys, h5py, numpy as np
w = sys.argv[1]
def load(n):
    f = h5py.File(f"{w}/{n}.h5", "r")
    return f, {k: f["summary"][k][()] for k in f["summary"]}
f, s = load("base")
t = f["power_trace"]; ts = f["timeseries"]
tt, tp = t["time"][:], t["facility_power"][:]
assert len(tt) == 4000, len(tt)
# The trace's energy over its window equals the 1-s series' (the step's mean power) but for the part of a step the
# window cuts: at most the swing x one step.
step = f["jobs"]["step_time"][0]
sel = (ts["time"][:] >= 60) & (ts["time"][:] < 100)
e_trace, e_series = tp.sum() * 0.01, ts["facility_power"][:][sel].sum() * 1.0
assert abs(e_trace - e_series) <= (tp.max() - tp.min()) * step, (e_trace, e_series)
assert s["trace_swing"] > 0.05 * s["trace_power_peak"], s["trace_swing"]
assert abs(s["trace_swing_frequency"] * step - 1) < 0.1, (s["trace_swing_frequency"], step)
assert s["trace_power_peak"] <= s["facility_power_peak"] * (1 + 1e-9), (s["trace_power_peak"], s["facility_power_peak"])
assert s["grid_swing"] == s["trace_swing"] and s["storage_loss_energy"] == 0
_, fl = load("floor")
assert fl["trace_swing"] < 0.7 * s["trace_swing"], (fl["trace_swing"], s["trace_swing"])
assert fl["it_energy"] > s["it_energy"], "a power floor costs energy"
_, b = load("battery")
assert b["grid_swing"] < 0.2 * b["trace_swing"] and b["storage_loss_energy"] > 0, (b["grid_swing"], b["trace_swing"])
fc, c = load("capped")
assert fc["jobs"]["step_time"][0] > step * 1.05, "a 400 W cap slows the GEMMs"
assert fc["jobs"]["gpu_power_mean"][0] <= 400 + 1e-6 and c["it_power_mean"] < s["it_power_mean"]
print("trace ok: swing %.0f kW at %.3f Hz (step %.2f s); floor %.0f kW; battery grid swing %.1f kW" % (
    s["trace_swing"] / 1e3, s["trace_swing_frequency"], step, fl["trace_swing"] / 1e3, b["grid_swing"] / 1e3))
PY
# Budgets: a cap fraction keeps the site's peak within it; hold keeps a queue's peak within it.
expect_exit 0 "$BIN" run "$WORK/swing.yaml" -o "$WORK/cap.h5" --no-progress -q --set facility.power_budget=150kW \
  --set facility.budget_policy=cap
$PY - "$WORK/cap.h5" <<'PY'
import sys, h5py
s = h5py.File(sys.argv[1], "r")["summary"]
assert 0 < s["budget_cap_fraction"][()] < 1, s["budget_cap_fraction"][()]
assert s["facility_power_peak"][()] <= 150e3 * (1 + 1e-9), s["facility_power_peak"][()]
PY
# hold: two jobs of 64 GPUs submitted at once under a FIFO scheduler, and a budget that fits one job's power.
cat >"$WORK/hold.yaml" <<'YAML'
name: hold
seed: 3
duration: 30min
cluster:
  gpu: H100-SXM
  servers: 16
fabric:
  tiers: 2
  link: 400Gbps
facility:
  pue: 1.2
  power_budget: 120kW
  budget_policy: hold
scheduler:
  policy: fifo
workload:
  training:
    - {name: a, model: llama3-8b, gpus: 64, parallelism: {tp: 8, pp: 1, dp: 8}, tokens_per_step: 1M, steps: 100}
    - {name: b, model: llama3-8b, gpus: 64, parallelism: {tp: 8, pp: 1, dp: 8}, tokens_per_step: 1M, steps: 100}
output:
  sample_interval: 10s
YAML
expect_exit 0 "$BIN" run "$WORK/hold.yaml" -o "$WORK/hold.h5" --no-progress -q
expect_exit 0 "$BIN" run "$WORK/hold.yaml" -o "$WORK/free.h5" --no-progress -q --set facility.budget_policy=report
$PY - "$WORK" <<'PY'
import sys, h5py
w = sys.argv[1]
h, r = h5py.File(f"{w}/hold.h5", "r"), h5py.File(f"{w}/free.h5", "r")
hs, rs = h["summary"], r["summary"]
assert rs["facility_power_peak"][()] > 120e3, "the test needs a budget both jobs together exceed"
assert hs["facility_power_peak"][()] <= 120e3 * (1 + 1e-9), hs["facility_power_peak"][()]
assert max(h["jobs"]["wait_time"][:]) > 0 and max(r["jobs"]["wait_time"][:]) == 0, (h["jobs"]["wait_time"][:], r["jobs"]["wait_time"][:])
PY
expect_exit 2 "$BIN" run "$WORK/swing.yaml" -o "$WORK/x.h5" --set facility.power_budget=10kW --set facility.budget_policy=cap
grep -q "facility.power_budget" "$WORK/err.txt" || fail "budget below idle: message"
expect_exit 2 "$BIN" run "$WORK/swing.yaml" -o "$WORK/x.h5" --set cluster.power_cap=50W
grep -q "cluster.power_cap: a power cap of 50 W is not above" "$WORK/err.txt" || fail "cap below idle: message"
expect_exit 2 "$BIN" run "$WORK/swing.yaml" -o "$WORK/x.h5" --set facility.budget_policy=hodl
grep -q "did you mean" "$WORK/err.txt" || fail "budget_policy: did you mean"
[ ! -e "$WORK/x.h5" ] || fail "a refused run left a file"
echo "PASS power"
