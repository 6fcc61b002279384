#!/usr/bin/env bash
# describe-fabric: inventory, power and bisection of each topology without simulating (no results file).
source "$(dirname "$0")/lib.sh"
expect_line() {  # expect_line REGEX: a line of the last output matches
  grep -Eq -- "$1" "$WORK/out.txt" || { cat "$WORK/out.txt" >&2; fail "no line matching '$1'"; }
}
# small.yaml: 8 servers x 8 NICs at 400G; the largest 400G switch in the catalog has radix 128 (64 down at
# 1:1), so all 64 NICs fit on one leaf: 1 leaf, no spines, 64 server cables, diameter 1.
expect_exit 0 "$BIN" describe-fabric "$SMALL"
expect_line "^topology +fat-tree"
expect_line "^servers +8 x 8 GPUs .* = 64 GPUs"
expect_line "^  leaf +1 +64 +128 "
expect_line "^  server-leaf +64 "
expect_line "^bisection "
expect_line "^hops +diameter 1 switches"
# Rail-optimized, SUs of 4: 2 SUs x 8 rails = 16 rail leaves of 4 down + 64 up ports; spines =
# ceil(16 x 64 / 128) = 8; leaf-spine cables 16 x 64 = 1,024; same SU 1 hop, else 3: diameter 3.
expect_exit 0 "$BIN" describe-fabric "$SMALL" --set fabric.topology=rail-optimized --set fabric.su_servers=4
expect_line "^topology +rail-optimized: 2 tiers.*2 scalable units of 4 servers on 8 rails"
expect_line "^  leaf +16 +1088 "
expect_line "^  spine +8 +1024 "
expect_line "^  leaf-spine +1024 "
expect_line "^hops +diameter 3 switches"
# Dragonfly on radix 64: 2 servers per router, a = 32: one group; the 8 servers on 4 routers.
expect_exit 0 "$BIN" describe-fabric "$SMALL" --set fabric.topology=dragonfly --set fabric.radix=64
expect_line "^topology +dragonfly: 1 groups x 32 routers x 2 servers"
expect_line "^  router +32 "
expect_line "^  local +496 "
expect_line "^power .* per GPU"
[ -z "$(ls "$WORK"/*.h5 2>/dev/null)" ] || fail "describe-fabric wrote a results file"
# An impossible fabric is an input error reported at its key.
expect_exit 2 "$BIN" describe-fabric "$SMALL" --set fabric.topology=dragonfly --set fabric.radix=16
grep -q "fabric.radix" "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; fail "dragonfly radix error"; }
# The example dragonfly: 2,048 servers, radix 64: 32 groups x 32 routers, 16 cables per group pair.
expect_exit 0 "$BIN" describe-fabric "$SRC/experiments/dragonfly-16k.yaml"
expect_line "^topology +dragonfly: 32 groups x 32 routers x 2 servers, 16 global links per router, 16 global cables"
expect_line "^  router +1024 +64000 "
# `describe topologies` lists the registry: every topology with its keys.
expect_exit 0 "$BIN" describe topologies
for t in fat-tree rail-optimized dragonfly; do expect_line "^$t +[a-z0-9]"; done
expect_line "keys: fabric.dragonfly.routers_per_group"
echo "PASS describe_fabric"
