#!/usr/bin/env bash
# Runs a libFuzzer target for a bounded time: run_fuzz.sh FUZZER SECONDS SEED_DIR [libFuzzer options...]
# The working corpus is ./corpus (seeded from SEED_DIR, grows between runs), crash/timeout/OOM inputs go to
# ./crashes/. Exit 0 when nothing was found, 1 otherwise (libFuzzer's own status).
set -euo pipefail
fuzzer="$1"; seconds="$2"; seeds="$3"; shift 3
mkdir -p corpus crashes
# Sanitizer settings: UB aborts; leaks are checked (libFuzzer reports them per input).
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:symbolize=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=16384 \
  -artifact_prefix=crashes/ -print_final_stats=1 "$@" corpus "$seeds"
