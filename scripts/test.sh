#!/usr/bin/env bash
# Sets everything up (packages, build), then runs the default test suite (unit + end-to-end, without the
# tests labelled slow). Extra arguments go to ctest, e.g. scripts/test.sh -L slow.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/scripts/setup.sh"
cd "$repo/build"
if [ $# -gt 0 ]; then
  exec ctest --output-on-failure -j"$(nproc)" "$@"
fi
exec ctest --output-on-failure -j"$(nproc)" -LE slow
