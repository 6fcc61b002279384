#!/usr/bin/env bash
# Routing modes (issue 14) end to end, through the CLI, read back with h5py: a job whose data-parallel all-reduce
# crosses the leaves of a 2-tier fat-tree (64 servers, 4 per leaf), routed ideal / ecmp / dmodk:
# - ECMP's collisions make its exposed communication and step longer than the ideal fabric's; D-mod-K (one path down
#   per destination) and adaptive routing (least-loaded cables) are never slower than ECMP here;
# - the same seed gives the same ECMP result; the resolved routing is stored with the results;
# - the spine-plane failure path finds its links on a routed fabric (a spine failure runs);
# - a fat-tree routing on a dragonfly (and a dragonfly routing on a fat-tree) is an input error at fabric.routing;
# - the dragonfly example routed minimal is never faster than with ideal spreading;
# - PXN (fabric.pxn): an MoE job whose expert all-to-all stays in one scalable unit of a rail-optimized fabric with
#   3:1 rail leaves is slower without PXN (its data crosses rails through the spines); pxn: false on a plain
#   fat-tree or with ideal routing is an input error at fabric.pxn.
source "$(dirname "$0")/lib.sh"
cat > "$WORK/r.yaml" <<'YAML'
name: e2e-routing
seed: 3
duration: 10min
cluster: {gpu: H100-SXM, servers: 64}
fabric: {tiers: 2, link: 400Gbps}
workload:
  training:
    - name: job
      model: llama3-8b
      gpus: 512
      parallelism: {tp: 8, pp: 1, dp: 64}
      global_batch: 128
      seq_len: 4096
      detailed_steps: 1
YAML
for r in ideal ecmp adaptive dmodk; do
  expect_exit 0 "$BIN" run "$WORK/r.yaml" --set fabric.routing=$r -o "$WORK/$r.h5" --no-progress
done
grep -q "^  fabric .*; routing dmodk, 1 connection per NIC pair" "$WORK/out.txt" || { cat "$WORK/out.txt" >&2; fail "summary routing"; }
expect_exit 0 "$BIN" run "$WORK/r.yaml" --set fabric.routing=ecmp -o "$WORK/ecmp2.h5" --no-progress
expect_exit 0 "$BIN" run "$WORK/r.yaml" --set fabric.routing=ecmp --set fabric.connections_per_nic=4 \
  -o "$WORK/ecmp4.h5" --no-progress
expect_exit 0 "$BIN" run "$WORK/r.yaml" --set fabric.routing=ecmp --set scheduler.policy=fifo --set 'failures.forced=[{time: 60s, class: spine-switch, component: 0}]' \
  -o "$WORK/spine.h5" --no-progress
"$PY" - "$WORK" <<'PY'
import sys, h5py
w = sys.argv[1]
def job(name):
    f = h5py.File(f"{w}/{name}.h5")
    return {k: f['jobs'][k][0] for k in f['jobs'].keys()}, f
ideal, _ = job('ideal'); ecmp, fe = job('ecmp'); dmodk, _ = job('dmodk'); again, _ = job('ecmp2'); four, _ = job('ecmp4')
adaptive, _ = job('adaptive')
assert ideal['step_time'] * (1 - 1e-12) <= adaptive['step_time'] <= ecmp['step_time'] * (1 + 1e-12), adaptive
print(f"step ideal {ideal['step_time']:.4f} s, ecmp {ecmp['step_time']:.4f} s, ecmp x4 QPs {four['step_time']:.4f} s, "
      f"dmodk {dmodk['step_time']:.4f} s")
assert ecmp['step_time'] > ideal['step_time'] * 1.01, (ecmp['step_time'], ideal['step_time'])
assert ecmp['exposed_dp_time'] > ideal['exposed_dp_time'], (ecmp['exposed_dp_time'], ideal['exposed_dp_time'])
assert dmodk['step_time'] <= ecmp['step_time'] * (1 + 1e-12), (dmodk['step_time'], ecmp['step_time'])
assert four['step_time'] >= ideal['step_time'] * (1 - 1e-12), (four['step_time'], ideal['step_time'])
assert again['step_time'] == ecmp['step_time'], (again['step_time'], ecmp['step_time'])
cfg = fe.attrs['config_yaml']
cfg = cfg.decode() if isinstance(cfg, bytes) else cfg
assert 'routing: ecmp' in cfg, cfg[:400]
PY
expect_exit 2 "$BIN" validate "$SRC/experiments/dragonfly-16k.yaml" --set fabric.routing=ecmp
grep -q "fabric.routing" "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; fail "dragonfly routing error"; }
expect_exit 2 "$BIN" validate "$WORK/r.yaml" --set fabric.routing=valiant
grep -q "fabric.routing" "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; fail "fat-tree valiant error"; }
# The dragonfly example routed minimal: its groups' direct cables only, never faster than the ideal spreading.
for r in ideal minimal; do
  expect_exit 0 "$BIN" run "$SRC/experiments/dragonfly-16k.yaml" --set fabric.routing=$r --set duration=2min \
    -o "$WORK/fly-$r.h5" --no-progress
done
"$PY" - "$WORK" <<'PY'
import sys, h5py
w = sys.argv[1]
ideal, minimal = (h5py.File(f"{w}/fly-{r}.h5")['jobs']['step_time'][0] for r in ('ideal', 'minimal'))
print(f"dragonfly step ideal {ideal:.4f} s, minimal {minimal:.4f} s")
assert minimal >= ideal * (1 - 1e-12), (minimal, ideal)
PY
cat > "$WORK/pxn.yaml" <<'YAML'
name: e2e-pxn
seed: 3
duration: 10min
cluster: {gpu: H800-SXM, servers: 32}
fabric: {topology: rail-optimized, tiers: 2, link: 400Gbps, radix: 32, oversubscription: "3:1", su_servers: 16,
         routing: dmodk}
workload:
  training:
    - name: moe
      model: deepseek-v3
      gpus: 256
      parallelism: {tp: 1, pp: 8, dp: 32, ep: 32, order: tp-cp-dp-pp, distributed_optimizer: true}
      precision: fp8
      micro_batch: 1
      global_batch: 256
      seq_len: 4096
      recompute: full
      detailed_steps: 1
YAML
for p in true false; do
  expect_exit 0 "$BIN" run "$WORK/pxn.yaml" --set fabric.pxn=$p -o "$WORK/pxn-$p.h5" --no-progress
done
grep -q "^  fabric .*PXN off" "$WORK/out.txt" || { cat "$WORK/out.txt" >&2; fail "summary pxn"; }
"$PY" - "$WORK" <<'PY'
import sys, h5py
w = sys.argv[1]
on, off = (h5py.File(f"{w}/pxn-{p}.h5")['jobs'] for p in ('true', 'false'))
print(f"MoE step with PXN {on['step_time'][0]:.4f} s, without {off['step_time'][0]:.4f} s; exposed EP "
      f"{on['exposed_ep_time'][0]:.4f} / {off['exposed_ep_time'][0]:.4f} s")
assert off['exposed_ep_time'][0] > on['exposed_ep_time'][0] * 1.1, (on['exposed_ep_time'][0], off['exposed_ep_time'][0])
PY
expect_exit 2 "$BIN" validate "$WORK/r.yaml" --set fabric.routing=ecmp --set fabric.pxn=false
grep -q "fabric.pxn" "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; fail "pxn on a fat-tree error"; }
expect_exit 2 "$BIN" validate "$WORK/pxn.yaml" --set fabric.routing=ideal --set fabric.pxn=false
grep -q "fabric.pxn" "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; fail "pxn with ideal routing error"; }
echo "routing: ok"
