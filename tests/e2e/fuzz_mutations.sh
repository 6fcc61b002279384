#!/usr/bin/env bash
# Mutation fuzzing of validate and run on the shipped experiments (tests/e2e/fuzz_mutations.py): a reduced,
# deterministic set in the default run; slow.fuzz_mutations runs the full set. Extra arguments go to the driver.
source "$(dirname "$0")/lib.sh"
"$PY" "$SRC/tests/e2e/fuzz_mutations.py" "$BIN" "$SRC" --seed 17 "${@:3}"
