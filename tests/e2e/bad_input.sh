#!/usr/bin/env bash
# Each case: a YAML body, the expected "line:col: error" prefix fragment and message fragment.
source "$(dirname "$0")/lib.sh"
check() {  # check NAME EXPECTED_POSITION EXPECTED_TEXT (YAML on stdin)
  local f="$WORK/$1.yaml"; cat >"$f"
  expect_exit 2 "$BIN" run "$f" -o "$WORK/$1.h5" --no-progress
  grep -q -- "$f:$2: error" "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; fail "$1: no error at $2"; }
  grep -q -- "$3" "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; fail "$1: message lacks '$3'"; }
  [ ! -e "$WORK/$1.h5" ] || fail "$1: a results file was written"
  ls -a "$WORK" | grep -q "$1.h5.tmp" && fail "$1: temporary left"
  expect_exit 2 "$BIN" validate "$f"
}
base() { sed -n '1,/^workload:/p' "$SMALL" | sed '$d'; }
{ base; echo "worklaod: {}"; } | check typo_top "1[0-9]:1" "did you mean 'workload'"
sed 's/link: 400Gbps/link: 400Gbs/' "$SMALL" | check bad_unit "1[0-9]:9" "Gbps"
sed 's/pue: 1.3/pue: 0.9/' "$SMALL" | check pue_range "1[0-9]:8" "pue"
sed 's/gpu: H100-SXM/gpu: H100-SMX/' "$SMALL" | check unknown_gpu "6:[0-9]*" "H100-SXM"
sed 's/tp: 8, pp: 1, dp: 4/tp: 8, pp: 1, dp: 2/' "$SMALL" | check tp_pp_dp "18:[0-9]*" "gpus"
printf 'name: x\nduration: 10s\ncluster: {gpu: H100-SXM, servers: [1]}\n' | check wrong_type "3:[0-9]*" "servers"
printf 'name: x\nname: y\nduration: 10s\ncluster: {gpu: H100-SXM, servers: 1}\n' | check duplicate "2:1" "duplicate"
printf 'name: x\nduration: 10s\ncluster: {gpu: H100-SXM, servers: 1\n' | check syntax "[0-9]*:[0-9]*" "error"
# --set with an unknown key: reported against the override, exit 2.
expect_exit 2 "$BIN" run "$SMALL" -o "$WORK/s.h5" --set fabric.lnk=800Gbps
grep -q "did you mean 'link'" "$WORK/err.txt" || { cat "$WORK/err.txt" >&2; fail "--set typo"; }
[ ! -e "$WORK/s.h5" ] || fail "--set typo wrote a file"
# A fabric that cannot be built is input too.
expect_exit 2 "$BIN" run "$SMALL" -o "$WORK/f.h5" --set cluster.servers=5000 --set fabric.tiers=2
[ ! -e "$WORK/f.h5" ] || fail "impossible fabric wrote a file"
# An output path that is a directory is input too, found before simulating.
expect_exit 2 "$BIN" run "$SMALL" -o "$WORK" --no-progress
grep -q "is a directory" "$WORK/err.txt" || fail "directory as output"
echo "PASS bad_input"
