#!/usr/bin/env bash
# How wall time grows (issue 10): prints one line per point, with the run's phases (from --log verbose):
#   gpus:      experiments/scale/step-100k.yaml resized (servers, GPUs, DP), detailed_steps 1 and 3:
#              platform seconds and engine seconds per detailed step;
#   duration:  experiments/scale/day-100k-mix-trace.yaml for 10 min, 1 h, 3 h (24 h: scripts/bench.sh day-100k-mix-trace);
#   requests:  experiments/scale/hour-10k-serving.yaml for 10 min with 16 .. 1,250 detailed replicas.
# Usage: scripts/scaling.sh [gpus|duration|requests]...   (default: all). BUILD=dir picks the build directory.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="${BUILD:-$repo/build}/clustersim"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
# run NAME ARGS...: runs clustersim, prints wall and the phases.
run() {
  local name="$1"; shift
  local t0 t1 log
  log="$out/log"
  t0=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$out/rss" "$bin" run "$@" -o "$out/r.h5" -q --log cs_simulation.thres:verbose 2>"$log"
  t1=$(date +%s.%N)
  local platform engine results
  platform=$(sed -n 's/.*cables; \([0-9.]*\) s of wall time.*/\1/p' "$log")
  engine=$(sed -n 's/.*engine stopped at .* after \([0-9.]*\) s of wall time.*/\1/p' "$log")
  results=$(sed -n 's/.*power samples; \([0-9.]*\) s of wall time.*/\1/p' "$log")
  printf '%s wall_s=%.2f platform_s=%s engine_s=%s results_s=%s peak_mb=%.0f\n' "$name" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')" "$platform" "$engine" "$results" \
    "$(awk -v k="$(cat "$out/rss")" 'BEGIN {print k / 1024}')"
  echo "$engine" > "$out/engine"
}
gpus() {
  local step="$repo/experiments/scale/step-100k.yaml"
  for servers in 128 512 2048 4096 8192 12500; do
    local dp=$((servers * 8 / 32)) gpus=$((servers * 8))
    local sets=(--set "cluster.servers=$servers" --set "workload.training[0].gpus=$gpus"
                --set "workload.training[0].parallelism.dp=$dp" --set "workload.training[0].global_batch=$((16 * dp))")
    run "gpus=$gpus steps=1" "$step" "${sets[@]}" --set 'workload.training[0].detailed_steps=1'
    local e1; e1=$(cat "$out/engine")
    run "gpus=$gpus steps=3" "$step" "${sets[@]}" --set 'workload.training[0].detailed_steps=3'
    local e3; e3=$(cat "$out/engine")
    printf 'gpus=%s engine_s_per_detailed_step=%.3f\n' "$gpus" "$(awk -v a="$e1" -v b="$e3" 'BEGIN {print (b - a) / 2}')"
  done
}
duration() {
  for d in 10min 1h 3h; do run "duration=$d" "$repo/experiments/scale/day-100k-mix-trace.yaml" --set "duration=$d"; done
}
requests() {
  for k in 16 64 128 256 1250; do
    run "detailed_replicas=$k" "$repo/experiments/scale/hour-10k-serving.yaml" --set duration=10min \
      --set "workload.inference[0].detailed_replicas=$k"
  done
}
parts=("$@")
[[ ${#parts[@]} -gt 0 ]] || parts=(gpus duration requests)
for p in "${parts[@]}"; do "$p"; done
