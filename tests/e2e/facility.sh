#!/usr/bin/env bash
# facility.model: cooling end to end: the new /timeseries columns and summary figures agree (facility energy = the
# integral of facility power, run PUE = facility / IT energy, carbon and water the integrals of their rates, a job's
# facility energy its IT energy x the run's PUE), dry
# cooling uses no water, and bad facility keys are exit-2 errors with did-you-mean.
source "$(dirname "$0")/lib.sh"
cool() {
  cat <<'YAML'
name: cool
seed: 5
duration: 3h
cluster:
  gpu: H100-SXM
  servers: 8
fabric:
  tiers: 2
  link: 400Gbps
facility:
  model: cooling
  site: beijing
  start: 2025-07-01
workload:
  training:
    - name: train
      model: llama3-8b
      gpus: 32
      parallelism: {tp: 8, pp: 1, dp: 4}
      tokens_per_step: 1M
output:
  sample_interval: 20min
YAML
}
cool >"$WORK/cool.yaml"
"$BIN" run "$WORK/cool.yaml" -o "$WORK/cool.h5" --no-progress -q
"$BIN" run "$WORK/cool.yaml" -o "$WORK/dry.h5" --no-progress -q \
  --set facility.heat_rejection=dry-cooler
"$BIN" run "$WORK/cool.yaml" -o "$WORK/it.h5" --no-progress -q --set facility.model=constant-pue --set facility.pue=1
"$PY" - "$WORK/cool.h5" "$WORK/dry.h5" "$WORK/it.h5" <<'PYEOF'
import sys, h5py, numpy as np
def load(p):
    f = h5py.File(p, "r")
    return f["timeseries"], {k: f["summary"][k][()] for k in f["summary"]}
ts, s = load(sys.argv[1])
t = ts["time"][:]; dt = np.diff(np.append(t, s["duration"]))
fac = float(np.sum(ts["facility_power"][:] * dt)); it = float(np.sum(ts["it_power"][:] * dt))
assert abs(fac - s["facility_energy"]) <= 1e-9 * fac, (fac, s["facility_energy"])
assert abs(s["pue"] - fac / it) <= 1e-12 * s["pue"], (s["pue"], fac / it)
assert abs(s["carbon"] - np.sum(ts["carbon_rate"][:] * dt) / 1000) <= 1e-9 * s["carbon"]
assert abs(s["water"] - np.sum(ts["water_rate"][:] * dt)) <= 1e-9 * s["water"]
assert s["water"] > 0 and 1.0 < s["pue"] < 2.0, s
assert s["facility_power_provisioned"] >= s["facility_power_peak"], s
for col in ["pue", "cooling_power", "electrical_loss_power", "outdoor_dry_bulb", "outdoor_wet_bulb"]:
    assert np.all(np.isfinite(ts[col][:])), col
assert np.all(ts["outdoor_wet_bulb"][:] <= ts["outdoor_dry_bulb"][:])
# A job's facility energy is its IT energy (the pue-1 run's) x the run's PUE.
job = h5py.File(sys.argv[1], "r")["jobs"]["energy"][:]; job_it = h5py.File(sys.argv[3], "r")["jobs"]["energy"][:]
assert np.allclose(job, job_it * s["pue"], rtol=1e-9), (job, job_it, s["pue"])
ts, s = load(sys.argv[2])
assert s["water"] == 0 and np.all(ts["water_rate"][:] == 0), s["water"]
PYEOF
# Bad facility keys: exit 2, located, with did-you-mean.
check() {  # check NAME TEXT (YAML on stdin)
  local f="$WORK/$1.yaml"; cat >"$f"
  expect_exit 2 "$BIN" run "$f" -o "$WORK/$1.h5" --no-progress
  grep -q -- "$f:[0-9]*:[0-9]*: error" "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; fail "$1: not located"; }
  grep -q -- "$2" "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; fail "$1: message lacks '$2'"; }
  [ ! -e "$WORK/$1.h5" ] || fail "$1: a results file was written"
}
cool | sed 's/site: beijing/site: bejing/' | check bad_site "did you mean 'beijing'"
cool | sed 's/model: cooling/model: cooling\n  cooling: air-chiler/' | check bad_cooling "did you mean 'air-chiller'"
cool | sed 's/start: 2025-07-01/start: 2025-13-01/' | check bad_start "not a valid date"
cool | sed 's/site: beijing/site: beijing\n  carbon_region: cn-nort/' | check bad_region "did you mean 'cn-north'"
cool | sed 's/site: beijing/sight: beijing/' | check bad_key "unknown key 'sight'"
echo "PASS facility"
