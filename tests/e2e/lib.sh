# Shared helpers for the end-to-end scripts: $1 = clustersim binary, $2 = source dir.
set -euo pipefail
BIN="$1"; SRC="$2"
PY=/usr/bin/python3
SMALL="$SRC/tests/e2e/data/small.yaml"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/clustersim-e2e.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_exit() {  # expect_exit CODE cmd...
  local want="$1"; shift
  set +e; "$@" >"$WORK/out.txt" 2>"$WORK/err.txt"; local got=$?; set -e
  [ "$got" -eq "$want" ] || { cat "$WORK/out.txt" "$WORK/err.txt" >&2; fail "exit $got, expected $want: $*"; }
}
# True when $BIN is built with AddressSanitizer (scripts/test.sh --sanitize): its shadow memory needs terabytes of
# address space (no `ulimit -v`) and it cannot run under valgrind.
asan_build() { [[ "$(ldd "$BIN" 2>/dev/null)" == *libasan* ]]; }
# The address-space limit for a run, in KiB: $1, or unlimited under ASan.
vm_limit() { if asan_build; then echo unlimited; else echo "$1"; fi; }
