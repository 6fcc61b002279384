#!/usr/bin/env bash
# The results file: a full disk is a clean error (exit 1, no crash, no file), an unwritable or dangerous -o is an
# input error (exit 2) found before simulating, folders created and files replaced are said, stale temporaries of
# dead writers are removed, and a bad --simgrid-cfg is an input error with a did-you-mean.
source "$(dirname "$0")/lib.sh"
no_tmp_left() { ! ls -a "$1" | grep -q '\.tmp$' || { ls -la "$1"; fail "temporary file left in $1"; }; }

# 1. Full disk: a 200 KiB tmpfs (needs root and mount; else this part is skipped, the file-size limit below
#    exercises the same path).
mkdir -p "$WORK/full"
if mount -t tmpfs -o size=200k tmpfs "$WORK/full" 2>/dev/null; then
  trap 'umount "$WORK/full" 2>/dev/null || true; rm -rf "$WORK"' EXIT
  expect_exit 1 "$BIN" run "$SMALL" -o "$WORK/full/r.h5" --no-progress -q
  grep -q "No space left on device" "$WORK/err.txt" || fail "no ENOSPC message"
  grep -q "problem of the machine" "$WORK/err.txt" || fail "the message does not say it is the machine's problem"
  [ ! -e "$WORK/full/r.h5" ] || fail "partial results file left on the full disk"
  no_tmp_left "$WORK/full"
  umount "$WORK/full"
  echo "full tmpfs: exit 1, clean"
else
  echo "SKIP (part): cannot mount a tmpfs here (not root?); the file-size limit case below still runs"
fi
# 2. File-size limit (ulimit -f, 20 KiB): write(2) gets EFBIG (the writer ignores SIGXFSZ).
set +e; ( ulimit -f 20; "$BIN" run "$SMALL" -o "$WORK/lim/r.h5" --no-progress -q ) >"$WORK/out.txt" 2>"$WORK/err.txt"
got=$?; set -e
[ "$got" -eq 1 ] || { cat "$WORK/err.txt"; fail "file-size limit: exit $got, expected 1"; }
grep -q "File too large" "$WORK/err.txt" || fail "no EFBIG message"
[ ! -e "$WORK/lim/r.h5" ] || fail "partial results file left"
no_tmp_left "$WORK/lim"

# 3. Unwritable places are input errors found before simulating.
touch "$WORK/afile"
expect_exit 2 "$BIN" run "$SMALL" -o "$WORK/afile/sub/r.h5" --no-progress -q
grep -q "is a file, not a folder" "$WORK/err.txt" || fail "no reason for the unwritable folder"
if [ "$(id -u)" -ne 0 ]; then
  mkdir "$WORK/locked"; chmod 555 "$WORK/locked"
  expect_exit 2 "$BIN" run "$SMALL" -o "$WORK/locked/r.h5" --no-progress -q
  grep -q "Permission denied" "$WORK/err.txt" || fail "no reason for the locked folder"
elif mkdir -p "$WORK/ro" && mount -t tmpfs -o ro,size=64k tmpfs "$WORK/ro" 2>/dev/null; then
  set +e; "$BIN" run "$SMALL" -o "$WORK/ro/r.h5" --no-progress -q >"$WORK/out.txt" 2>"$WORK/err.txt"; got=$?; set -e
  umount "$WORK/ro"
  [ "$got" -eq 2 ] || { cat "$WORK/err.txt"; fail "read-only folder: exit $got, expected 2"; }
  grep -q "Read-only file system" "$WORK/err.txt" || fail "no reason for the read-only folder"
fi
grep -q "nothing was run" "$WORK/err.txt" || fail "unwritable output not reported before the run"
expect_exit 2 "$BIN" sweep "$SMALL" -o "$WORK/afile/sw" -j 1
grep -q "is a file, not a folder" "$WORK/err.txt" || fail "sweep: unwritable output folder not reported"

# 4. -o must not overwrite an input (the experiment itself, through another spelling or a link).
cp "$SMALL" "$WORK/exp.yaml"; cp "$SMALL" "$WORK/exp.orig"; ln -s "$WORK/exp.yaml" "$WORK/link.h5"
for o in "$WORK/exp.yaml" "$WORK/../$(basename "$WORK")/exp.yaml" "$WORK/link.h5"; do
  expect_exit 2 "$BIN" run "$WORK/exp.yaml" -o "$o" --no-progress -q
  grep -q "is an input of this run" "$WORK/err.txt" || fail "-o $o: not refused as an input"
  cmp -s "$WORK/exp.yaml" "$WORK/exp.orig" || fail "-o $o overwrote the experiment"
done

# 5. A created folder and a replaced file are said.
expect_exit 0 "$BIN" run "$SMALL" -o "$WORK/new/deeper/r.h5" --no-progress
grep -q "created the folder '$WORK/new/deeper'" "$WORK/err.txt" || fail "folder creation not said"
expect_exit 0 "$BIN" run "$SMALL" -o "$WORK/new/deeper/r.h5" --no-progress
grep -q "replacing the existing file '$WORK/new/deeper/r.h5'" "$WORK/err.txt" || fail "replacement not said"

# 6. Stale temporaries of dead writers (killed during a write) go on the next write; live or foreign ones stay.
host="$(hostname)"; host="${host%%.*}"
sleep 0.01 & dead=$!; wait "$dead"
sleep 30 & live=$!
d="$WORK/new/deeper"
touch "$d/.r.h5.$host.$dead.tmp" "$d/.other.h5.$host.$dead.tmp" "$d/.r.h5.$dead.tmp" \
      "$d/.r.h5.$host.$live.tmp" "$d/.r.h5.elsewhere.$dead.tmp"
expect_exit 0 "$BIN" run "$SMALL" -o "$d/r.h5" --no-progress
kill "$live"
for f in ".r.h5.$host.$dead.tmp" ".other.h5.$host.$dead.tmp" ".r.h5.$dead.tmp"; do
  [ ! -e "$d/$f" ] || fail "stale $f not removed"
  grep -q "removed the stale temporary file '$d/$f'" "$WORK/err.txt" || fail "removal of $f not said"
done
[ -e "$d/.r.h5.$host.$live.tmp" ] || fail "a live writer's temporary file was removed"
[ -e "$d/.r.h5.elsewhere.$dead.tmp" ] || fail "another host's temporary file was removed"

# 7. --simgrid-cfg: an unknown key or a refused value is an input error (2), with no key dump, no abort.
expect_exit 2 "$BIN" run "$SMALL" -o "$WORK/s.h5" --no-progress -q --simgrid-cfg network/optimm:Full
grep -q "unknown SimGrid setting 'network/optimm'" "$WORK/err.txt" || fail "unknown key not named"
grep -q "did you mean 'network/optim'" "$WORK/err.txt" || fail "no did-you-mean"
grep -q "Existing config keys" "$WORK/err.txt" && fail "SimGrid's key list dumped"
expect_exit 2 "$BIN" run "$SMALL" -o "$WORK/s.h5" --no-progress -q --simgrid-cfg network/model:Foo
grep -q "Model 'Foo' is invalid" "$WORK/err.txt" || fail "refused value not explained"
expect_exit 2 "$BIN" run "$SMALL" -o "$WORK/s.h5" --no-progress -q --simgrid-cfg network/optim
expect_exit 0 "$BIN" run "$SMALL" -o "$WORK/s.h5" --no-progress -q --simgrid-cfg network/optim:Full
echo "PASS output_errors"
