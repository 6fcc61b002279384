#!/usr/bin/env bash
# Sets everything up (packages, build), then runs an experiment and prints its summary.
# Usage: scripts/run.sh [experiment.yaml] [clustersim run options...]
#        default experiment: experiments/quickstart.yaml
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$repo/scripts/setup.sh"
exp="${1:-$repo/experiments/quickstart.yaml}"
[ $# -gt 0 ] && shift
exec "$repo/build/clustersim" run "$exp" "$@"
