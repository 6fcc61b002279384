#!/usr/bin/env bash
source "$(dirname "$0")/lib.sh"
for f in "$SRC"/experiments/*.yaml "$SRC"/experiments/scale/*.yaml; do
  expect_exit 0 "$BIN" validate "$f"
  head -1 "$f" | grep -q '^#' || fail "$f does not open with a comment saying what it answers"
done
echo "PASS examples_validate"
