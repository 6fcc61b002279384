#!/usr/bin/env bash
# The validate-models runner on test anchors (not published numbers): table, final line, exit codes.
source "$(dirname "$0")/lib.sh"
A="$SRC/tests/e2e/data/anchors"
expect_exit 0 "$BIN" validate-models --anchors "$A" -j 2
tail -1 "$WORK/out.txt" | grep -Eq '^median \|error\| [0-9.]+%, max \|error\| [0-9.]+% over 2 cases$' || fail "final line"
# A ratio anchor (baseline:) divides the run's metric by its baseline's: the same experiment gives exactly 1.
grep -Eq '^X3 +prediction .* 1 +1 +\+0\.0%' "$WORK/out.txt" || fail "ratio anchor X3" 
grep -q "calibration anchors (fitted, not counted below): X2" "$WORK/out.txt" || fail "calibration list"
expect_exit 1 "$BIN" validate-models --anchors "$A" --max-error 0.001
echo "PASS validate_models"
