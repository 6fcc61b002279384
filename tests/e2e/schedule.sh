#!/usr/bin/env bash
# The cluster scheduler end to end: a drawn job stream on 64 servers under EASY backfill, run by the CLI; the
# results read back with h5py: the job table's times agree with each other, the GPU time held agrees with the
# /schedule time series, segments add up to each job's steps, and the summary's waits come from the table.
source "$(dirname "$0")/lib.sh"
cat > "$WORK/stream.yaml" <<'YAML'
name: e2e-schedule
seed: 9
duration: 4h
cluster: {gpu: H100-SXM, servers: 64}
fabric: {tiers: 2, link: 400Gbps, oversubscription: 2}
scheduler: {policy: backfill}
workload:
  job_streams:
    - {name: dev, model: llama3-8b, interarrival: 3min, gpus: {8: 0.4, 64: 0.3, 256: 0.3},
       run_time_median: 20min, run_time_mean: 40min, seq_len: 4096}
output: {sample_interval: 5min}
YAML
"$BIN" run "$WORK/stream.yaml" -o "$WORK/s.h5" --no-progress > "$WORK/out.txt"
grep -q "schedule .* jobs submitted" "$WORK/out.txt" || fail "no schedule line in the summary"
"$PY" - "$WORK/s.h5" <<'PY'
import sys, h5py, numpy as np
f = h5py.File(sys.argv[1])
j, s, g, m = f['jobs'], f['schedule'], f['segments'], f['summary']
state = [x.decode() for x in j['state'][:]]
sub, start, end, wait, held = (j[k][:] for k in ('submit_time', 'start_time', 'end_time', 'wait_time', 'held_time'))
gpus, steps, total = j['gpus'][:], j['steps'][:], j['steps_total'][:]
assert len(state) > 50, len(state)
assert j['start_time'].attrs['units'] in (b's', 's') and s['allocated_gpus'].attrs['units'] in (b'1', '1')
started = ~np.isnan(start)
assert np.all(start[started] >= sub[started]) and np.allclose(wait[started], start[started] - sub[started])
done = np.array([x == 'done' for x in state])
assert done.sum() > 20 and np.all(steps[done] == total[done]) and np.all(end[done] >= start[done])
assert np.all(steps <= total)
# GPU time: the table against the time series (each row a mean over its interval).
t = s['time'][:]
lengths = np.diff(np.append(t, m['duration'][()]))
assert np.isclose((s['allocated_gpus'][:] * lengths).sum(), (gpus * held).sum(), rtol=1e-9)
assert np.isclose(m['training_gpu_allocation'][()], (gpus * held).sum() / (m['gpus'][()] * m['duration'][()]))
# Segments: per job, their steps add up to the job's.
names = [x.decode() for x in j['name'][:]]
seg_job = [x.decode() for x in g['job'][:]]
for k, n in enumerate(names):
    assert np.isclose(sum(g['steps'][i] for i, x in enumerate(seg_job) if x == n), steps[k]), n
# The summary's waits are the table's quantiles (linear interpolation, as numpy's default).
assert np.isclose(m['job_wait_p50'][()], np.quantile(wait[started], 0.5), atol=1e-9)
assert np.isclose(m['job_wait_p99'][()], np.quantile(wait[started], 0.99), atol=1e-9)
assert m['jobs_completed'][()] == done.sum() and m['jobs_started'][()] == started.sum()
print("jobs", len(names), "done", int(done.sum()), "segments", len(seg_job), "re-measured",
      int(sum(1 for n in g['neighbours'][:] if n > 0)))
PY
# A run stopped part way (SIGTERM; Ctrl-C reaches a foreground run the same way) leaves no results file, not even
# a partial or temporary one.
"$BIN" run "$SRC/experiments/cluster-tidal.yaml" -o "$WORK/stopped.h5" --no-progress -q 2>/dev/null &
pid=$!
sleep 2
kill -TERM "$pid"
set +e; wait "$pid"; rc=$?; set -e
[ "$rc" -ne 0 ] || fail "the stopped run exited 0"
ls "$WORK" | grep -q stopped && fail "a stopped run left a file: $(ls "$WORK" | grep stopped)"
echo "stopped run: exit $rc, no file"
echo "PASS schedule"
