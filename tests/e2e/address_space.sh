#!/usr/bin/env bash
# Actor stacks sized to need: h100-10k (1,250 server actors and 16 detailed serving replicas) runs in 2 GB of
# address space. With SimGrid's 8 MiB default stacks it needed ~10 GB and aborted under this limit (exit 134).
source "$(dirname "$0")/lib.sh"
asan_build && { echo "SKIP address_space: ASan's shadow memory needs an unlimited address space"; exit 0; }
( ulimit -v 2000000; expect_exit 0 "$BIN" run "$SRC/experiments/h100-10k.yaml" -o "$WORK/a.h5" -q --no-progress )
[ -s "$WORK/a.h5" ] || fail "no results file"
echo "PASS address_space"
