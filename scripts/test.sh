#!/usr/bin/env bash
# Sets everything up (packages, build), then runs the default test suite (unit + end-to-end, without the
# tests labelled slow, fuzz or sanitize). Extra arguments go to ctest, e.g. scripts/test.sh -L slow.
#   scripts/test.sh --sanitize [ctest args]   the same suite built with ASan + UBSan in build-asan (see
#                                              tests/sanitize/README.md); UB and memory errors fail the test.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
default_exclude='slow|fuzz|sanitize'
if [ "${1:-}" = "--sanitize" ]; then
  shift
  "$repo/scripts/setup.sh" "$repo/build" >/dev/null  # packages (and the plain build, which the CI has anyway)
  build="$repo/build-asan"
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCLUSTERSIM_SANITIZE=ON "${launcher[@]}" >&2
  fi
  cmake --build "$build" -j"$(nproc)" --target clustersim clustersim_tests clustersim_models_tests clustersim_topologies_tests >&2
  supp="$repo/tests/sanitize"
  # Leaks: see tests/sanitize/README.md for the choice; SimGrid-internal findings are suppressed, not fixed.
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=0:check_initialization_order=1:suppressions=$supp/asan.supp"
  export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp"
  cd "$build"
  if [ $# -gt 0 ]; then
    exec ctest --output-on-failure -j"$(nproc)" "$@"
  fi
  exec ctest --output-on-failure -j"$(nproc)" -LE "$default_exclude"
fi
"$repo/scripts/setup.sh"
cd "$repo/build"
if [ $# -gt 0 ]; then
  exec ctest --output-on-failure -j"$(nproc)" "$@"
fi
exec ctest --output-on-failure -j"$(nproc)" -LE "$default_exclude"
