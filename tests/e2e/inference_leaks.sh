#!/usr/bin/env bash
# The serving actors' synchronisation objects are freed: a short 4-replica run under valgrind loses no
# condition variable or mutex (one condition variable per replica leaked before). SimGrid's own losses (the
# exception objects of actors killed at the end of the run) are not ours and not counted. About 12 s.
source "$(dirname "$0")/lib.sh"
command -v valgrind >/dev/null || { echo "SKIP inference_leaks: valgrind is not installed"; exit 0; }
asan_build && { echo "SKIP inference_leaks: an ASan build (LeakSanitizer checks the same leaks there)"; exit 0; }
valgrind --leak-check=full --show-leak-kinds=definite,indirect "$BIN" run -q --no-progress \
  "$SRC/tests/e2e/data/inference-small.yaml" --set duration=3s -o "$WORK/leaks.h5" >"$WORK/out.txt" 2>"$WORK/vg.txt" ||
  { tail -20 "$WORK/vg.txt" >&2; fail "the run failed under valgrind"; }
grep -q "LEAK SUMMARY\|All heap blocks were freed" "$WORK/vg.txt" || fail "no leak report"
n=$(grep -c "ConditionVariable::create\|Mutex::create" "$WORK/vg.txt" || true)
if [ "$n" -ne 0 ]; then
  grep -B12 "ConditionVariable::create\|Mutex::create" "$WORK/vg.txt" | head -40 >&2
  fail "$n lost synchronisation objects"
fi
echo "PASS inference_leaks"
