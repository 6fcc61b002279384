#!/usr/bin/env bash
# Stopping a sweep (SIGTERM, SIGHUP; even SIGKILL) stops its worker processes too, and writes no merged file.
# (SIGINT is not sent here: a background job of a non-interactive shell ignores it. Ctrl-C in a terminal reaches
# the whole foreground process group, workers included.)
source "$(dirname "$0")/lib.sh"
workers() { pgrep -f -- "-o $WORK/sw/runs/" || true; }
cleanup() { local p; for p in $(workers); do kill -KILL "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
for sig in TERM HUP KILL; do
  rm -rf "$WORK/sw"
  # 4 points of a simulated day each (about 25 s apiece), two at a time.
  "$BIN" sweep "$SMALL" -o "$WORK/sw" -j 2 --set duration=24h >"$WORK/out.txt" 2>"$WORK/err.txt" &
  sweep=$!
  for _ in $(seq 100); do [ "$(workers | wc -l)" -ge 2 ] && break; sleep 0.1; done
  [ "$(workers | wc -l)" -ge 2 ] || fail "the sweep's workers did not start"
  kill -"$sig" "$sweep"
  set +e; wait "$sweep"; rc=$?; set -e
  [ "$rc" -ne 0 ] || fail "SIG$sig: the sweep exited 0"
  sleep 1.5
  left="$(workers)"
  [ -z "$left" ] || { ps -o pid,ppid,etime,args -p $left >&2 || true; fail "SIG$sig: workers survived: $left"; }
  [ ! -e "$WORK/sw/sweep.h5" ] || fail "SIG$sig: a merged file was written"
  [ "$sig" = KILL ] || grep -q "stopped by" "$WORK/err.txt" || { cat "$WORK/err.txt"; fail "SIG$sig: the stop is not said"; }
  echo "SIG$sig: sweep exit $rc, no worker left"
done
echo "PASS sweep_stop"
