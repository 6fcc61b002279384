#!/usr/bin/env bash
# Formats every C++ source with the repository's .clang-format (clang-format 14), or checks it.
# Usage: scripts/format.sh           format in place
#        scripts/format.sh --check   exit 1 and name each file that is not formatted (the test format.check, CI)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
cf="$(command -v clang-format-14 || command -v clang-format || true)"
[[ -n "$cf" ]] || { echo "format.sh: clang-format not found (apt-get install clang-format)" >&2; exit 2; }
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' 2>/dev/null || find common spec models topologies sim tests -name '*.[ch]pp')
if [[ "${1:-}" == "--check" ]]; then
  bad=0
  for f in "${files[@]}"; do
    if ! "$cf" --dry-run -Werror "$f" >/dev/null 2>&1; then echo "not formatted: $f (run scripts/format.sh)"; bad=1; fi
  done
  [[ $bad == 0 ]] && echo "format.sh: ${#files[@]} files formatted"
  exit $bad
fi
"$cf" -i "${files[@]}"
