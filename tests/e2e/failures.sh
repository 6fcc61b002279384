#!/usr/bin/env bash
# Failures, checkpoints and restarts end to end (issue 13), through the CLI, read back with h5py:
# - one forced GPU failure at a known time loses exactly the work since the last checkpoint plus the detection,
#   restart and restore times: the job's steps, lost work, checkpoints and ETTR are replayed here by hand;
# - failures active but at rate 0 (Daly: no checkpoint) train exactly the steps of a run without failures;
# - a straggler on every server slows the synchronous step by its factor on the local part;
# - drawn failures are the same for a seed and differ for another; hot spares avoid the queue;
# - a spine failure degrades the leaf uplinks: an expert-parallel job across leaves slows until the repair, then
#   takes its first step time again (looked up: the fabric is as it was).
source "$(dirname "$0")/lib.sh"
cat > "$WORK/f.yaml" <<'YAML'
name: e2e-failures
seed: 1
duration: 2h
cluster: {gpu: H100-SXM, servers: 64}
fabric: {tiers: 2, link: 400Gbps}
scheduler: {policy: fifo}
failures:
  forced: [{time: 3000s, class: gpu, component: 17}]
storage: {write_bandwidth: 100GBps, latency: 10s}
workload:
  training:
    - name: job
      model: llama3-8b
      gpus: 256
      parallelism: {tp: 1, pp: 1, dp: 256, zero_stage: 1}
      global_batch: 512
      seq_len: 8192
      recompute: selective
      detailed_steps: 1
      checkpoint: {interval: 20min}
output: {sample_interval: 60s}
YAML
"$BIN" run "$WORK/f.yaml" -o "$WORK/forced.h5" --no-progress > "$WORK/forced.txt"
grep -q "failures  1 component failures, 1 job interruptions; training ETTR 0.7" "$WORK/forced.txt" ||
  fail "no failures line in the summary: $(cat "$WORK/forced.txt")"
"$BIN" run "$WORK/f.yaml" -o "$WORK/off.h5" --no-progress --set failures.forced=[] > /dev/null
"$BIN" run "$WORK/f.yaml" -o "$WORK/zero.h5" --no-progress --set failures.forced=[] --set failures.enabled=true \
  --set failures.rate_scale=0 --set workload.training[0].checkpoint.interval=0s > /dev/null
"$BIN" run "$WORK/f.yaml" -o "$WORK/slow.h5" --no-progress --set failures.forced=[] \
  --set failures.straggler_fraction=1 --set failures.straggler_slowdown=1.5 > /dev/null
"$BIN" run "$WORK/f.yaml" -o "$WORK/fast.h5" --no-progress --set failures.forced=[] \
  --set failures.straggler_fraction=1 --set failures.straggler_slowdown=1 > /dev/null
for seed in 5 5 6; do
  "$BIN" run "$WORK/f.yaml" -o "$WORK/drawn-$seed-$RANDOM.h5" --no-progress --set failures.forced=[] \
    --set failures.enabled=true --set failures.rate_scale=1000 --set seed=$seed > /dev/null
done
"$BIN" run "$WORK/f.yaml" -o "$WORK/spares.h5" --no-progress --set failures.forced=[] --set failures.enabled=true \
  --set failures.rate_scale=1000 --set seed=5 --set workload.training[0].checkpoint.spares=8 > /dev/null
cat > "$WORK/spine.yaml" <<'YAML'
name: e2e-spine
seed: 1
duration: 20min
cluster: {gpu: H100-SXM, servers: 80}
fabric: {tiers: 2, link: 400Gbps, oversubscription: 2}
scheduler: {policy: fifo}
failures:
  forced: [{time: 300s, class: spine-switch, component: 0}]
  repair_scale: 0.01
workload:
  training:
    - {name: moe, model: qwen3-235b-a22b, gpus: 512, parallelism: {tp: 1, pp: 4, dp: 128, ep: 64, zero_stage: 1},
       global_batch: 1024, seq_len: 4096, recompute: full, detailed_steps: 1, checkpoint: {enabled: false}}
YAML
"$BIN" run "$WORK/spine.yaml" -o "$WORK/spine.h5" --no-progress > /dev/null
# Anchor R1's setup (16,384 H100 for 54 days, ~430 drawn failures): the simulated ETTR against the first-order model.
"$BIN" run "$SRC/experiments/validation/r1-llama3-16k-54d.yaml" -o "$WORK/r1.h5" --no-progress > /dev/null
"$PY" - "$WORK" <<'PY'
import sys, glob, math, h5py, numpy as np
w = sys.argv[1]
def job(name):
    f = h5py.File(f"{w}/{name}")
    return f, {k: f['jobs'][k][0] for k in f['jobs'].keys()}
f, j = job('forced.h5')
step, write, T = j['step_time'], j['checkpoint_write_time'], 7200.0
assert abs(write - (8.03e9 * 14 / 100e9 + 10)) < 0.2, write   # Llama 3 8B: 14 B per parameter at 100 GB/s + 10 s
# By hand: checkpoints every round(1200 / step) steps (the detailed step counts), the failure at 3000 s, the stop
# 300 s later (detection), the restart 600 s and the restore (= the write, same bandwidth) after it.
every = round(1200 / step)
t, steps, ckpt, nckpt = 0.0, 0, 0, 0
while t + every * step <= 3000:
    t += every * step; steps += every
    t += write; ckpt = steps; nckpt += 1
done_at_failure = steps + math.floor((3000 - t) / step + 1e-9)
partial = (3000 - t) - (done_at_failure - steps) * step
lost_steps = done_at_failure - ckpt
t = 3000 + 300 + 600 + write
steps = ckpt
while True:
    n = min(every - (steps - ckpt), math.floor((T - t) / step + 1e-9))
    if t + (every - (steps - ckpt)) * step > T:
        steps += math.floor((T - t) / step + 1e-9); break
    t += (every - (steps - ckpt)) * step; steps += every - (steps - ckpt)
    if t + write > T: break
    t += write; ckpt = steps; nckpt += 1
assert j['interruptions'] == 1 and j['interruption_causes'] == b'gpu:1', (j['interruptions'], j['interruption_causes'])
assert j['steps'] == steps, (j['steps'], steps)
assert j['checkpoints'] == nckpt, (j['checkpoints'], nckpt)
assert abs(j['lost_work_time'] - (lost_steps * step + partial)) < 1e-6, (j['lost_work_time'], lost_steps, partial)
assert abs(j['recovery_time'] - (300 + 600 + write)) < 1e-6, j['recovery_time']
assert abs(j['ettr'] - steps * step / T) < 1e-9, j['ettr']
assert abs(j['goodput'] - steps * j['tokens_per_step'] / T) < 1e-3
fl = f['failures']
assert fl['time'][0] == 3000 and fl['first_server'][0] == 17 // 8 and fl['effect'][0] == b'interrupted'
# Failures off: no failure table rows, no failure columns.
f0, off = job('off.h5')
assert len(f0['failures']['time']) == 0 and off['interruptions'] == 0 and math.isnan(off['ettr'])
assert math.isnan(f0['summary']['training_ettr'][()])
# Rate 0: Daly gives no checkpoint; the same steps as without failures, an ETTR of 1 (no wait, no loss).
fz, zero = job('zero.h5')
assert zero['steps'] == off['steps'] and zero['checkpoints'] == 0 and math.isnan(zero['checkpoint_interval'])
assert abs(zero['ettr'] - zero['steps'] * zero['step_time'] / T) < 1e-9
# A straggler on every server: the local part of the step 1.5x.
_, slow = job('slow.h5'); _, fast = job('fast.h5')
assert fast['step_time'] == off['step_time'], (fast['step_time'], off['step_time'])
local = fast['step_time'] - fast['exposed_dp_time'] - fast['exposed_pp_time'] - fast['exposed_ep_time']
assert abs(slow['step_time'] - fast['step_time'] - 0.5 * local) < 0.02 * local, (slow['step_time'], fast['step_time'], local)
# Seeds: the same failures for seed 5 twice, others for seed 6.
logs = {}
for p in sorted(glob.glob(f"{w}/drawn-*.h5")):
    g = h5py.File(p)
    logs.setdefault(p.split('-')[-2], []).append((tuple(g['failures']['time'][:]), tuple(g['jobs']['steps'][:])))
a, b = logs['5']
assert a == b and len(a[0]) > 3, (len(a[0]),)
assert logs['6'][0][0] != a[0]
# Hot spares: restarts without queueing, and no less work than without them.
_, sp = job('spares.h5')
_, d5 = job(sorted(glob.glob(f"{w}/drawn-5-*.h5"))[0].split('/')[-1])
assert sp['spare_swaps'] > 0 and sp['interruptions'] > 0 and sp['spares'] == 8
# A spine of 3 fails at 300 s for 144 s: the all-to-all across leaves slows, then the first step time comes back.
g = h5py.File(f"{w}/spine.h5")
seg, fl = g['segments'], g['failures']
assert fl['effect'][0] == b'degraded' and fl['servers'][0] == 0 and g['jobs']['interruptions'][0] == 0
assert list(seg['start_time'][:]) == [0, 300, 444], list(seg['start_time'][:])
st = seg['step_time'][:]
assert st[1] > 1.2 * st[0] and st[2] == st[0] and list(seg['looked_up'][:]) == [0, 0, 1], (st, seg['looked_up'][:])
# Many failures: the replay agrees with the first-order renewal model (Young/Daly's) within 0.02.
r1 = h5py.File(f"{w}/r1.h5")['jobs']
assert 300 < r1['interruptions'][0] < 550 and abs(r1['ettr'][0] - r1['ettr_expected'][0]) < 0.02, \
    (r1['interruptions'][0], r1['ettr'][0], r1['ettr_expected'][0])
# The checkpoint interval is Daly's optimum (FGCS 2006, eq. 37) of the job's write time and MTBF.
d, m = r1['checkpoint_write_time'][0], r1['mtbf'][0]
daly = math.sqrt(2 * d * m) * (1 + math.sqrt(d / (2 * m)) / 3 + d / (2 * m) / 9) - d
assert abs(r1['checkpoint_interval'][0] - daly) < 1e-6 * daly, (r1['checkpoint_interval'][0], daly)
print("failures: forced", j['steps'], "steps,", j['checkpoints'], "checkpoints, lost", round(j['lost_work_time'], 1),
      "s; drawn", d5['interruptions'], "interruptions; spares", sp['spare_swaps'], "swaps")
PY
echo "failures: ok"
