#!/usr/bin/env bash
# Runs the scale benchmarks (sim/bench/bench_main.cpp), one process per case, and prints one line per case:
#   NAME wall_s=... peak_mb=... [details]
# Cases: fabric-build-10k/25k/50k/100k (fat-tree graph + SimGrid platform, 3 tiers, radix 128, 400G),
# fabric-build-100k-rail (rail-optimized, SUs of 32, radix 128), fabric-build-100k-dragonfly (radix 64),
# allreduce-10k / allreduce-100k (1 GB per GPU ring all-reduce over every server; wall_s = engine.run() only),
# allreduce-100k-auto (the algorithm kAuto picks); step-100k, step-100k-ecmp and alltoall-16k-ecmp (routed ECMP
# fabrics, issue 14), hour-10k-serving, all-detail-10k, day-100k-mix,
# day-100k-mix-trace (experiments/scale/, see sim/bench/bench_main.cpp), facility-year-10k (a year of 10k H100 with
# the cooling facility vs constant-pue, ratio target 1.10; issue 12), frontier-100k-30days (30 days of a 98,304-GPU
# job with failures, checkpoints and spares; target 120 s, issue 13), cluster-day-100k and, by name only (about 15 min), cluster-month-100k (experiments/, issue 11). Cases with an issue-10 target print
# target_s (and target_mb) and ratio = wall_s / target_s. BENCH_DURATION=10min shortens the experiment cases.
# Usage: scripts/bench.sh [CASE...]      (default: all; --list lists them). BUILD=dir picks the build directory.
#        scripts/bench.sh --vs OTHER_BUILD_DIR [--runs N] [CASE...]
#            before/after in one run: each case runs N times (default 3) with this build's clustersim_bench and
#            with OTHER_BUILD_DIR's, alternately; prints the median wall_s and peak_mb of each and the ratio
#            this/other (> 1 = this build is slower).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD:-$repo/build}"
"$repo/scripts/setup.sh" "$build"
if [[ "${1:-}" != "--vs" ]]; then
  exec "$build/clustersim_bench" "$@"
fi
other="$2"; shift 2
runs=3
if [[ "${1:-}" == "--runs" ]]; then runs="$2"; shift 2; fi
[[ -x "$other/clustersim_bench" ]] || { echo "bench.sh: no clustersim_bench in $other" >&2; exit 2; }
cases=("$@")
[[ ${#cases[@]} -gt 0 ]] || read -r -a cases <<<"$("$build/clustersim_bench" --list 2>&1 | sed -n 's/^cases: //p')"
median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }
field() { sed -n "s/.* $1=\([0-9.e+-]*\).*/\1/p"; }
printf '%-30s %12s %12s %8s %10s %10s\n' case this_wall_s other_wall_s ratio this_mb other_mb
for c in "${cases[@]}"; do
  this_w=(); other_w=(); this_m=(); other_m=()
  for ((i = 0; i < runs; ++i)); do
    a="$("$build/clustersim_bench" "$c")"; b="$("$other/clustersim_bench" "$c")"
    this_w+=("$(field wall_s <<<"$a")"); other_w+=("$(field wall_s <<<"$b")")
    this_m+=("$(field peak_mb <<<"$a")"); other_m+=("$(field peak_mb <<<"$b")")
  done
  tw=$(printf '%s\n' "${this_w[@]}" | median); ow=$(printf '%s\n' "${other_w[@]}" | median)
  tm=$(printf '%s\n' "${this_m[@]}" | median); om=$(printf '%s\n' "${other_m[@]}" | median)
  ratio=$(awk -v a="$tw" -v b="$ow" 'BEGIN {printf (b > 0 ? "%.2f" : "n/a"), (b > 0 ? a / b : 0)}')
  printf '%-30s %12s %12s %8s %10s %10s\n' "$c" "$tw" "$ow" "$ratio" "$tm" "$om"
done
