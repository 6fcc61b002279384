#!/usr/bin/env bash
# Traces and sizes that hung, grew without bound or were misread (issues 8 and 17): each must end with exit 2,
# quickly, under a memory limit, with its location (trace file:line or experiment key) and no results file;
# `validate` reads the trace and reports the same. Then the run budget: the estimate, the limit and the key
# in the message, and --max-memory / --max-work raise the limits.
source "$(dirname "$0")/lib.sh"
INF="$SRC/tests/e2e/data/inference-small.yaml"
limited() {  # limited CMD...: 20 s, 2 GB of address space (a hang or runaway growth fails, not the machine)
  timeout 20 bash -c 'ulimit -v "$0"; exec "$@"' "$(vm_limit 2000000)" "$@"
}
# expect2 NAME EXPECTED_TEXT [--set ...]: run and validate exit 2 with EXPECTED_TEXT, no results file.
expect2() {
  local name="$1" text="$2"; shift 2
  expect_exit 2 limited "$BIN" run "$INF" -o "$WORK/$name.h5" --no-progress "$@"
  grep -q -- "$text" "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; fail "$name: run message lacks '$text'"; }
  [ ! -e "$WORK/$name.h5" ] || fail "$name: a results file was written"
  expect_exit 2 limited "$BIN" validate "$INF" "$@"
  grep -q -- "$text" "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; fail "$name: validate message lacks '$text'"; }
}
trace() {  # trace NAME: the trace file $WORK/NAME.csv|.jsonl (from stdin) replayed by the service
  cat >"$WORK/$1"
  echo "--set workload.inference[0].arrivals.kind=trace --set workload.inference[0].arrivals.trace=$WORK/$1"
}
H=TIMESTAMP,ContextTokens,GeneratedTokens
T="2023-11-16 18:15"
# Replay period <= 0: all rows at one instant, or decreasing (unsorted, far-future first row).
expect2 equal "equal.csv:2:1: error: .*span 0 s" $(printf "$H\n$T:46.0,374,44\n$T:46.0,396,109\n" | trace equal.csv)
expect2 unsorted "unsorted.csv:3:1: error: .*out of order" \
  $(printf "$H\n$T:46.0,374,44\n$T:45.0,396,109\n$T:47.0,1,1\n" | trace unsorted.csv)
expect2 future_first "future.csv:3:1: error: .*out of order" \
  $(printf "$H\n2100-01-01 00:00:00.0,374,44\n$T:45.0,396,109\n" | trace future.csv)
ROW5='{"timestamp": 5, "input_length": 10, "output_length": 5}'
expect2 negative_first "neg.jsonl:1:1: error: .*not a finite time >= 0" \
  $(printf '%s\n%s\n' '{"timestamp": -1e18, "input_length": 10, "output_length": 5}' "$ROW5" | trace neg.jsonl)
# Misread rows: token counts that overflow an int, negative, NaN; a NaN timestamp.
expect2 tokens_1e300 "tok.csv:2:1: error: .*ContextTokens 1e+300 is not a whole number" \
  $(printf "$H\n$T:46.0,1e300,44\n$T:47.0,10,1e17\n" | trace tok.csv)
grep -q "tok.csv:3:1: error: .*GeneratedTokens 1e+17" "$WORK/err.txt" || fail "1e17 tokens not reported at line 3"
expect2 tokens_negative "neg.csv:2:1: error: .*-5 is not a whole number" $(printf "$H\n$T:46.0,-5,44\n" | trace neg.csv)
expect2 nan_time "nan.jsonl:1:1: error: .*timestamp nan" \
  $(printf '%s\n%s\n' '{"timestamp": nan, "input_length": 10, "output_length": 5}' "$ROW5" | trace nan.jsonl)
# Many bad rows: the first 5 at file:line, then a count.
{ echo "$H"; for i in $(seq 10 29); do echo "$T:$i.0,1e17,1"; done; } > "$WORK/many.txt"
expect2 many_bad "and 15 more bad rows (20 in all)" $(trace many.csv < "$WORK/many.txt")
[ "$(grep -c 'many.csv:[0-9]*:1: error' "$WORK/err.txt")" -eq 6 ] || fail "many_bad: not 5 located rows and the count at the last bad row"
# A trace without requests.
expect2 header_only "header.csv:1:1: error: .*no requests" $(printf "$H\n" | trace header.csv)
expect2 empty "empty.csv:1:1: error: .*no requests" $(printf "" | trace empty.csv)
# Synthetic lengths beyond any request.
expect2 input_1e300 "arrivals.input_tokens: " --set 'workload.inference[0].arrivals.input_tokens=1e300'
# Size guards: the estimate, the limit and the key in the message; refused in well under a second.
expect2 rate "arrivals.rate: the run would need about .* of memory, above the limit of 8 GB" \
  --set 'workload.inference[0].arrivals.rate=1e9'
grep -q -- "--max-memory" "$WORK/err.txt" || fail "rate: no --max-memory hint"
expect2 requests "arrivals.requests: the run would need" --set 'workload.inference[0].arrivals.kind=batch' \
  --set 'workload.inference[0].arrivals.requests=1000000000'
expect2 duration "the run would need about .* GB of memory" --set duration=365d --set output.request_records=kept
# Streamed (the default past a day), a year of this service fits in memory: its requests are freed once done.
"$BIN" validate "$INF" --set duration=365d > /dev/null || fail "a year streamed should validate"
expect2 sample_interval "output.sample_interval: the run would need" --set duration=24h --set output.sample_interval=1ns
expect2 trace_scale "arrivals.scale: the run would need" --set 'workload.inference[0].arrivals.kind=trace' \
  --set 'workload.inference[0].arrivals.trace=azure-conv' --set 'workload.inference[0].arrivals.scale=1e6'
expect2 trace_scale_1e300 "arrivals.scale: " --set 'workload.inference[0].arrivals.kind=trace' \
  --set 'workload.inference[0].arrivals.trace=azure-conv' --set 'workload.inference[0].arrivals.scale=1e300'
start=$(date +%s%N)
expect2 servers_1m "cluster.servers: the run would need about .* h of work" --set cluster.servers=1000000 \
  --set fabric.tiers=3 --set fabric.radix=512
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt 5000 ] || fail "1M servers took $ms ms to refuse"
# The limits can be raised: the same inputs then validate (not run: they are big).
expect_exit 0 limited "$BIN" validate "$INF" --max-memory 300GB --set 'workload.inference[0].arrivals.kind=trace' \
  --set 'workload.inference[0].arrivals.trace=azure-conv' --set 'workload.inference[0].arrivals.scale=1e6'
big=(--set cluster.servers=65536 --set fabric.tiers=3 --set fabric.radix=128)  # estimated at about 7 min of work
expect_exit 2 "$BIN" validate "$INF" --max-work 1min "${big[@]}"
grep -q -- "above the limit of 1 min" "$WORK/err.txt" || fail "--max-work limit not reported"
expect_exit 0 "$BIN" validate "$INF" --max-work 10min "${big[@]}"
expect_exit 2 "$BIN" validate "$INF" --max-memory 8XB
grep -q -- "--max-memory 8XB" "$WORK/err.txt" || fail "bad --max-memory not reported"
# A small limit refuses the small experiment (the limit is what is compared).
expect_exit 2 "$BIN" validate "$INF" --max-memory 10MB
# Model outputs that feed SimGrid are finite: an HBM bandwidth of 0 (or a peak of 1e-300 FLOP/s) is refused
# naming the input (exit 2 once the catalog ranges refuse it at validation, 1 from the model side), never a
# SIGABRT inside SimGrid ("duration is not finite!", exit 134 before).
for bad in "hbm_bandwidth=0TB/s:hbm_bandwidth" "peak_fp8=1e-300FLOPS:peak"; do
  set +e; limited "$BIN" run "$INF" -o "$WORK/hbm.h5" --no-progress -q \
    --set "catalog.accelerators.H100-SXM.${bad%%:*}" >"$WORK/out.txt" 2>"$WORK/err.txt"; rc=$?; set -e
  [ "$rc" -eq 1 ] || [ "$rc" -eq 2 ] || { cat "$WORK/err.txt" >&2; fail "${bad%%:*}: exit $rc, expected 1 or 2"; }
  grep -q -- "${bad##*:}" "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; fail "${bad%%:*}: the input is not named"; }
  [ ! -e "$WORK/hbm.h5" ] || fail "${bad%%:*}: a results file was written"
done
echo "PASS trace_limits"
