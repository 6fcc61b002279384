#!/usr/bin/env bash
# Runs the scale benchmarks (sim/bench/bench_main.cpp), one process per case, and prints one line per case:
#   NAME wall_s=... peak_mb=... [details]
# Cases: fabric-build-10k/25k/50k/100k (fat-tree graph + SimGrid platform, 3 tiers, radix 128, 400G),
# fabric-build-100k-rail (rail-optimized, SUs of 32, radix 128), fabric-build-100k-dragonfly (radix 64),
# allreduce-10k / allreduce-100k (1 GB per GPU ring all-reduce over every server; wall_s = engine.run() only),
# allreduce-100k-auto (the algorithm kAuto picks). Targets: fabric-build-100k <= 5 s and <= 1 GB;
# allreduce-100k <= 1 s.
# Usage: scripts/bench.sh [CASE...]      (default: all; --list lists them). BUILD=dir picks the build directory.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD:-$repo/build}"
"$repo/scripts/setup.sh" "$build"
exec "$build/clustersim_bench" "$@"
