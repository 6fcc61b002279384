#!/usr/bin/env bash
# clustersim plan (issue 16): the smallest number of Llama 3 8B replicas (TP1, 8 per server) that serves 40 requests/s
# within a TTFT / TPOT SLO at 99 %, on H100 and on H20. Checked against brute force: every replica count 1..12 run
# by hand (servers = ceil(replicas / 8), as plan.scale sets them); the plan's answer is the smallest count that meets
# the SLO, found with fewer simulations. A second plan reuses the runs. Bad plans: exit 2 before any run.
source "$(dirname "$0")/lib.sh"
cat > "$WORK/plan.yaml" <<'YAML'
name: e2e-plan
seed: 1
duration: 60s
cluster: {gpu: H100-SXM, servers: 2}
fabric: {tiers: 2, link: 400Gbps}
facility: {pue: 1.2}
workload:
  inference:
    - name: chat
      model: llama3-8b
      replicas: 8
      tp: 1
      max_batch: 64
      slo: {ttft: 1s, tpot: 60ms}
      arrivals: {kind: poisson, rate: 40, input_tokens: 512, output_tokens: 256, lengths: exponential}
plan:
  size: workload.inference[0].replicas
  min: 1
  max: 64
  scale: {cluster.servers: 0.125}
  meet: {services.slo_attainment: {at_least: 0.99}}
  grid: {cluster.gpu: [H100-SXM, H20]}
YAML
expect_exit 0 "$BIN" plan "$WORK/plan.yaml" -o "$WORK/plan" -j 2
cp "$WORK/out.txt" "$WORK/plan.txt"
grep -q "2 choices" "$WORK/plan.txt" || { cat "$WORK/plan.txt" >&2; fail "plan summary"; }
for gpu in H100-SXM H20; do
  for r in $(seq 1 12); do
    s=$(( (r + 7) / 8 ))
    expect_exit 0 "$BIN" run "$WORK/plan.yaml" --set cluster.gpu=$gpu --set workload.inference[0].replicas=$r \
      --set cluster.servers=$s -o "$WORK/bf-$gpu-$r.h5" --no-progress -q
  done
done
"$PY" - "$WORK" <<'PY'
import sys, h5py
w = sys.argv[1]
with h5py.File(f"{w}/plan/plan.h5") as f:
    c = f["candidates"]
    gpus = [g.decode() if isinstance(g, bytes) else g for g in c["cluster.gpu"][:]]
    size = dict(zip(gpus, c["size"][:]))
    sims = dict(zip(gpus, c["simulations"][:]))
    total = int(f["summary"]["simulations"][()])
    cost = dict(zip(gpus, c["cost_per_million_tokens"][:]))
for gpu in ("H100-SXM", "H20"):
    slo = [h5py.File(f"{w}/bf-{gpu}-{r}.h5")["services"]["slo_attainment"][0] for r in range(1, 13)]
    brute = next(r for r, s in zip(range(1, 13), slo) if s >= 0.99)
    print(f"{gpu}: plan {size[gpu]} replicas in {sims[gpu]} simulations; brute force {brute} (12 runs); "
          f"SLO attainment by replicas {['%.3f' % s for s in slo]}")
    assert size[gpu] == brute, (gpu, size[gpu], brute)
    assert all(s >= 0.99 for s in slo[brute - 1:]), slo  # monotone above the answer
    assert sims[gpu] < 12, sims
assert total < 24, total
# Each answer's TCO per million tokens is its run's (servers at their catalog price): finite and positive.
for gpu in ("H100-SXM", "H20"):
    ans = h5py.File(f"{w}/bf-{gpu}-{size[gpu]}.h5")["summary"]["cost_per_million_tokens"][()]
    assert cost[gpu] > 0 and abs(cost[gpu] / ans - 1) < 1e-9, (gpu, cost[gpu], ans)
PY
# Limits (plan.limits) judge each answer: H100's needs 11.2 kW provisioned, over a 10 kW limit: off the front.
expect_exit 0 "$BIN" plan "$WORK/plan.yaml" -o "$WORK/plan" -j 2 \
  --set 'plan.limits={summary.facility_power_provisioned: {at_most: 10000}}'
"$PY" - "$WORK/plan/plan.h5" <<'PY'
import sys, h5py
c = h5py.File(sys.argv[1])["candidates"]
gpus = [g.decode() if isinstance(g, bytes) else g for g in c["cluster.gpu"][:]]
within, front = dict(zip(gpus, c["within_limits"][:])), dict(zip(gpus, c["front"][:]))
assert within == {"H100-SXM": 0, "H20": 1} and front == {"H100-SXM": 0, "H20": 1}, (within, front)
PY
# The report of the plan: the answers plotted, the front marked, the table.
expect_exit 0 "$BIN" report "$WORK/plan" -o "$WORK/plan.html"
grep -q "<h2>Answers</h2>" "$WORK/plan.html" && grep -q 'src="data:image/png;base64,' "$WORK/plan.html" ||
  fail "plan report"
# Again: every run is reused.
expect_exit 0 "$BIN" plan "$WORK/plan.yaml" -o "$WORK/plan" -j 2
grep -q "(reused)" "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; fail "runs not reused"; }
# Bad plans, refused before running: an unknown metric (did you mean), a choice that does not load, no plan.
expect_exit 2 "$BIN" plan "$WORK/plan.yaml" -o "$WORK/bad" --set 'plan.meet={services.slo_atainment: {at_least: 0.99}}'
grep -q "did you mean 'slo_attainment'" "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; fail "metric did you mean"; }
expect_exit 2 "$BIN" plan "$WORK/plan.yaml" -o "$WORK/bad" --set 'plan.grid={cluster.gpu: [H100-SXM, H999]}'
grep -q "H999" "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; fail "bad choice"; }
expect_exit 2 "$BIN" plan "$SMALL" -o "$WORK/bad"
grep -q "no plan" "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; fail "no plan"; }
[ ! -d "$WORK/bad/runs" ] || [ -z "$(ls "$WORK/bad/runs")" ] || fail "a bad plan ran something"
# No size up to plan.max meets: the choice has no answer, exit 1.
expect_exit 1 "$BIN" plan "$WORK/plan.yaml" -o "$WORK/small" --set plan.max=2 --set 'plan.grid={cluster.gpu: [H20]}'
grep -q "none" "$WORK/out.txt" || { cat "$WORK/out.txt" >&2; fail "no answer"; }
echo "PASS plan"
