#!/usr/bin/env bash
# Stores what a refactor must not change: every shipped experiment's results and summary, the sweep of
# sweep-link-pue, validate-models, describe and describe-fabric of each experiment, under OUTDIR.
# Compare two snapshots with scripts/compare_snapshots.py (every dataset, attribute and text line).
# Usage: scripts/snapshot.sh OUTDIR [BUILD_DIR]     (about 2 minutes on 2 cores)
set -u
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$1"; build="${2:-$repo/build}"; bin="$build/clustersim"
mkdir -p "$out"
cd "$repo"
for f in experiments/*.yaml; do
  n=$(basename "$f" .yaml)
  short=()  # the month's first two days: its long-run paths (daily arrival windows, streamed requests), not 9 min
  [ "$n" = "cluster-month-100k" ] && short=(--set duration=2d)
  "$bin" run "$f" -o "$out/$n.h5" --no-progress "${short[@]}" > "$out/$n.txt" 2>&1 || echo "run failed: $n"
  "$bin" describe-fabric "$f" > "$out/$n.fabric.txt" 2>&1
done
"$bin" sweep experiments/sweep-link-pue.yaml --output-dir "$out/sweep" > "$out/sweep.txt" 2>&1 || echo "sweep failed"
"$bin" validate-models -j2 > "$out/validate.txt" 2>&1 || echo "validate-models failed"
"$bin" describe > "$out/describe.txt" 2>&1
echo "snapshot: $out"
