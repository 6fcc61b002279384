#!/usr/bin/env bash
# Stores what a refactor must not change: every shipped experiment's results and summary, the sweep of
# sweep-link-pue, validate-models, describe and describe-fabric of each experiment, under OUTDIR.
# Compare two snapshots with scripts/compare_snapshots.py (every dataset, attribute and text line).
# Usage: scripts/snapshot.sh OUTDIR [BUILD_DIR]     (about 1 minute on 2 cores)
set -u
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$1"; build="${2:-$repo/build}"; bin="$build/clustersim"
mkdir -p "$out"
cd "$repo"
for f in experiments/*.yaml; do
  n=$(basename "$f" .yaml)
  "$bin" run "$f" -o "$out/$n.h5" --no-progress > "$out/$n.txt" 2>&1 || echo "run failed: $n"
  "$bin" describe-fabric "$f" > "$out/$n.fabric.txt" 2>&1
done
"$bin" sweep experiments/sweep-link-pue.yaml --output-dir "$out/sweep" > "$out/sweep.txt" 2>&1 || echo "sweep failed"
"$bin" validate-models -j2 > "$out/validate.txt" 2>&1 || echo "validate-models failed"
"$bin" describe > "$out/describe.txt" 2>&1
echo "snapshot: $out"
