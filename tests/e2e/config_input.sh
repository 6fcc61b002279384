#!/usr/bin/env bash
# Issues 8 and 17, configuration: numbers out of range or overflowing, catalog and calibration values that
# aborted SimGrid, validate/run agreement, a removed key, duplicate keys under --set, a missing data directory.
# Every case: exit 2 from validate and from run, an error at file:line:col, no results file.
source "$(dirname "$0")/lib.sh"
check() {  # check NAME LINE:COL TEXT (YAML on stdin)
  local f="$WORK/$1.yaml"; cat >"$f"
  expect_exit 2 "$BIN" validate "$f"
  grep -q -- "$f:$2: error" "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; fail "$1: validate: no error at $2"; }
  grep -q -- "$3" "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; fail "$1: message lacks '$3'"; }
  expect_exit 2 "$BIN" run "$f" -o "$WORK/$1.h5" --no-progress -q
  grep -q -- "$f:$2: error" "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; fail "$1: run: no error at $2"; }
  [ ! -e "$WORK/$1.h5" ] || fail "$1: a results file was written"
}
sed 's/    - name: train/&\n      steps: 3000000000/' "$SMALL" | check steps_int64 "16:14" "above the maximum 1000000000"
sed 's/      tp: 8$/&\n      max_batch_tokens: 5000000000/' "$SMALL" | check max_batch_tokens "25:25" "max_batch_tokens"
sed 's/link: 400Gbps/link: 1e300Gbps/' "$SMALL" | check link_inf "10:9" "out of range"
sed 's/tokens_per_step: 1M/tokens_per_step: 1e30/' "$SMALL" | check tokens_1e30 "19:24" "above the maximum"
sed 's/rate: 20,/rate: .inf,/' "$SMALL" | check rate_inf "25:39" "expected a number"
# validate used to pass this and run refused it with no location (issue 17).
sed 's/link: 400Gbps/link: 0.5Gbps/' "$SMALL" | check link_no_switch "10:3" "no switch with 500 Mbit/s"
sed 's/link: 400Gbps/&\n  hop_latency: 2us/' "$SMALL" | check hop_latency "11:3" "was removed"
# Catalog and calibration values (these aborted SimGrid or gave MFU > 1 with exit 0).
{ cat "$SMALL"; printf 'catalog:\n  accelerators:\n    H100-SXM: {hbm_bandwidth: 0GB/s}\n'; } |
  check hbm_bandwidth_0 "34:31" "below the minimum"
{ cat "$SMALL"; printf 'catalog:\n  accelerators:\n    H100-SXM: {peak_bf16: 1e-300FLOPS}\n'; } |
  check peak_tiny "34:27" "below the minimum"
{ cat "$SMALL"; printf 'catalog:\n  calibration:\n    matmul_efficiency: {value: 0.5, by_gpu: {H100-SXM: 7}, source: x}\n'; } |
  check by_gpu_7 "34:56" "above the maximum 1"
# A duplicate key in the file is blamed on the file even when --set overrides it.
f="$WORK/dup.yaml"; sed 's/link: 400Gbps/&\n  link: 800Gbps/' "$SMALL" >"$f"
expect_exit 2 "$BIN" validate "$f" --set fabric.link=400Gbps
grep -q -- "$f:11:3: error: fabric: duplicate key 'link'" "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; fail "dup blame"; }
# A data directory that does not exist is an error, not an empty catalog.
CLUSTERSIM_DATA_DIR="$WORK/nowhere" expect_exit 2 "$BIN" validate "$SMALL"
grep -q "data directory '$WORK/nowhere' (from CLUSTERSIM_DATA_DIR) does not exist" "$WORK/err.txt" ||
  { cat "$WORK/err.txt" >&2; fail "missing data directory"; }
expect_exit 0 "$BIN" validate "$SMALL"
echo "PASS config_input"
