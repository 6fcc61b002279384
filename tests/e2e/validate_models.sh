#!/usr/bin/env bash
# The validate-models runner on test anchors (not published numbers): table, final line, exit codes.
source "$(dirname "$0")/lib.sh"
A="$SRC/tests/e2e/data/anchors"
expect_exit 0 "$BIN" validate-models --anchors "$A" -j 2
tail -1 "$WORK/out.txt" | grep -Eq '^median \|error\| [0-9.]+%, max \|error\| [0-9.]+% over 3 cases$' || fail "final line"
# A ratio anchor (baseline:) divides the run's metric by its baseline's: the same experiment gives exactly 1.
grep -Eq '^X3 +prediction .* 1 +1 +\+0\.0%' "$WORK/out.txt" || fail "ratio anchor X3" 
grep -q "calibration anchors (fitted, not counted below): X2" "$WORK/out.txt" || fail "calibration list"
expect_exit 1 "$BIN" validate-models --anchors "$A" --max-error 0.001
# Cross-validation: X1 left out, the GEMM efficiency is refitted on X4 (published 10 % higher) and X1 rerun with it:
# its out-of-sample error is about +10 % (exactly, if MFU were proportional to the efficiency), X4's about
# -1/1.1 = -9.1 %; one Gauss-Newton step of an MFU that is not proportional gives +9.9 % and -10.0 %.
expect_exit 0 "$BIN" validate-models --anchors "$A" -j 2 --cross-validate
grep -Eq '^  X1 +prediction +[-+0-9.]+% +(9\.[5-9]|10\.[0-5])%' "$WORK/out.txt" || fail "X1 out of sample ~ +10 %"
grep -Eq '^  X4 +prediction +[-+0-9.]+% +-(8\.[5-9]|9\.[0-9]|10\.[0-5])%' "$WORK/out.txt" || fail "X4 out of sample ~ -9.1 %"
grep -Eq '^all fit groups: cross-validated median \|error\| [0-9.]+%, max [0-9.]+% over 2 anchors' "$WORK/out.txt" ||
  fail "cross-validation summary"
expect_exit 1 "$BIN" validate-models --anchors "$A" -j 2 --cross-validate --max-cv-error 5
echo "PASS validate_models"
