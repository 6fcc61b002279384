#!/usr/bin/env bash
# Slow: runs every shipped example and prints its wall time and peak memory.
source "$(dirname "$0")/lib.sh"
for f in "$SRC"/experiments/*.yaml; do
  n=$(basename "$f" .yaml)
  /usr/bin/time -f "$n wall_s=%e peak_mb=%M" "$BIN" run "$f" -o "$WORK/$n.h5" -q --no-progress 2>>"$WORK/times.txt"
  "$PY" "$SRC/tests/e2e/check_results.py" "$WORK/$n.h5" >/dev/null
done
awk '{ split($3, m, "="); printf "%s %s peak_mb=%.0f\n", $1, $2, m[2] / 1024 }' "$WORK/times.txt"
echo "PASS examples_run"
