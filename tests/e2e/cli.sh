#!/usr/bin/env bash
source "$(dirname "$0")/lib.sh"
expect_exit 0 "$BIN" --version; grep -q "clustersim 0" "$WORK/out.txt" || fail "--version"
expect_exit 0 "$BIN" --help; grep -q "run" "$WORK/out.txt" || fail "--help"
expect_exit 0 "$BIN" run --help
for t in gpus servers nics switches transceivers models calibration topologies keys; do
  expect_exit 0 "$BIN" describe "$t"
done
expect_exit 0 "$BIN" describe gpus; grep -q "H100-SXM" "$WORK/out.txt" || fail "describe gpus"
expect_exit 0 "$BIN" describe keys; grep -q "fabric.link" "$WORK/out.txt" || fail "describe keys"
expect_exit 2 "$BIN" describe gpu; grep -q "did you mean 'gpus'" "$WORK/err.txt" || fail "describe typo"
expect_exit 0 "$BIN" validate "$SMALL"; grep -q "OK" "$WORK/out.txt" || fail "validate"
expect_exit 2 "$BIN" run; expect_exit 2 "$BIN" frobnicate
expect_exit 2 "$BIN" run "$WORK/nope.yaml"; grep -q "nope.yaml" "$WORK/err.txt" || fail "missing file"
# --set reaches the resolved experiment stored in the results.
"$BIN" run "$SMALL" -o "$WORK/o.h5" -q --no-progress --set facility.pue=1.5 --set 'workload.training[0].gpus=32'
"$PY" -c "import h5py,sys; f=h5py.File(sys.argv[1]); assert abs(f['summary/pue'][()]-1.5)<1e-12; assert 'pue: 1.5' in f.attrs['config_yaml']" "$WORK/o.h5"
# describe keys PREFIX: only the keys under it; describe calibration: each constant's value.
expect_exit 0 "$BIN" describe keys fabric.dragonfly
[ "$(grep -vc '^fabric\.dragonfly' "$WORK/out.txt")" -eq 0 ] && grep -q "^fabric.dragonfly.groups " "$WORK/out.txt" || fail "describe keys PREFIX"
expect_exit 2 "$BIN" describe keys fbric
expect_exit 0 "$BIN" describe calibration
grep -Eq '^power_memory_activity +0\.[0-9]+ ' "$WORK/out.txt" || fail "describe calibration values"
echo "PASS cli"
