#!/usr/bin/env bash
source "$(dirname "$0")/lib.sh"
"$BIN" run "$SMALL" -o "$WORK/a.h5" -q --no-progress
"$BIN" run "$SMALL" -o "$WORK/b.h5" -q --no-progress
"$PY" "$SRC/tests/e2e/compare_results.py" "$WORK/a.h5" "$WORK/b.h5" || fail "same seed gave different results"
"$BIN" run "$SMALL" -o "$WORK/c.h5" -q --no-progress --set seed=6
expect_exit 1 "$PY" "$SRC/tests/e2e/compare_results.py" "$WORK/a.h5" "$WORK/c.h5"
echo "PASS determinism"
