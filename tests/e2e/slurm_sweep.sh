#!/usr/bin/env bash
# The SLURM recipe scripts/slurm/sweep.sbatch on a real single-node SLURM (slow label, not in the default run).
# Starts munged + slurmctld + slurmd with a temporary localhost-only slurm.conf, submits the recipe as written
# (from a directory without logs/, without CLUSTERSIM_BIN when the binary is the repository's build/clustersim),
# checks the merged results, then deletes some run files and resubmits only those array ids, checks again. The
# daemons it started are always stopped (trap, by pid).
# Needs root and Debian's slurm-wlm and munge: apt-get install -y slurm-wlm munge (scripts/slurm/setup-slurm.sh);
# it installs nothing itself and skips (exit 77) when they are missing.
source "$(dirname "$0")/lib.sh"
for c in slurmctld slurmd munged mungekey sbatch sinfo scontrol squeue; do
  command -v "$c" >/dev/null || { echo "SKIP: $c not found (apt-get install -y slurm-wlm munge)"; exit 77; }
done
[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root (SlurmUser=root in the temporary cluster)"; exit 77; }

S="$WORK/slurm"; mkdir -p "$S"/{state,spool,log} && mkdir -m 0700 "$S/munge"
stop_daemons() {
  local f p
  for f in "$S/slurmd.pid" "$S/slurmctld.pid" "$S/munge/munged.pid"; do
    p="$(cat "$f" 2>/dev/null || true)"; [ -n "$p" ] && kill "$p" 2>/dev/null || true
  done
  for f in "$S/slurmd.pid" "$S/slurmctld.pid" "$S/munge/munged.pid"; do
    p="$(cat "$f" 2>/dev/null || true)"
    for _ in $(seq 50); do [ -n "$p" ] && kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    [ -n "$p" ] && kill -KILL "$p" 2>/dev/null || true
  done
}
trap 'stop_daemons; rm -rf "$WORK"' EXIT

mungekey -c -k "$S/munge/munge.key"
munged --key-file="$S/munge/munge.key" --socket="$S/munge/munge.sock" --pid-file="$S/munge/munged.pid" \
       --log-file="$S/munge/munged.log" --seed-file="$S/munge/munged.seed" --force
host="$(hostname -s)"; port=$(( 20000 + ($$ % 5000) * 2 ))
export SLURM_CONF="$S/slurm.conf"
cat >"$SLURM_CONF" <<CONF
ClusterName=clustersimtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/munge
AuthInfo=socket=$S/munge/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/log/slurmctld.log
SlurmdLogFile=$S/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=1000 State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -f "$SLURM_CONF" -i
slurmd -f "$SLURM_CONF"
for _ in $(seq 100); do [ "$(sinfo -h -o %T 2>/dev/null)" = idle ] && break; sleep 0.3; done
[ "$(sinfo -h -o %T)" = idle ] || { tail -n 20 "$S"/log/*.log; fail "the node did not become idle"; }
echo "slurm up: $(sinfo -h -o '%P %T %c')"

# The recipe as written, submitted from a fresh directory (no logs/ folder there).
if [ "$(readlink -f "$SRC/build/clustersim")" != "$(readlink -f "$BIN")" ]; then export CLUSTERSIM_BIN="$BIN"; fi
mkdir "$WORK/submit"; cd "$WORK/submit"
cp "$SMALL" exp.yaml
recipe="$(realpath --relative-to=. "$SRC/scripts/slurm/sweep.sbatch")"  # as a user types it: a relative path
submit() {  # submit ARRAY: waits for the array, prints its job id
  sbatch --parsable --wait --array="$1" "$recipe" exp.yaml out >"$WORK/jid.txt" ||
    { cat "$WORK/jid.txt" clustersim-sweep-*.log >&2 || true; fail "sbatch --array=$1 failed"; }
  cat "$WORK/jid.txt"
}
check_merged() {
  "$PY" - out/sweep.h5 <<'PY'
import sys, xarray as xr
runs = xr.open_dataset(sys.argv[1], group="runs", engine="h5netcdf")
assert runs.sizes["run"] == 4, runs.sizes
assert list(runs["fabric.link"].values) == [4e11, 4e11, 8e11, 8e11]
print("merged OK:", list(runs["pue"].values))
PY
}
jid="$(submit 0-3)"
for i in 0 1 2 3; do
  [ -f "out/runs/run-00000$i.h5" ] || { cat clustersim-sweep-*.log; fail "run $i missing"; }
  [ -f "clustersim-sweep-${jid}_$i.log" ] || fail "log of task $i missing in the submit directory"
done
check_merged
grep -q "task 3 of 4 shards" "clustersim-sweep-${jid}_3.log" || { cat "clustersim-sweep-${jid}_3.log"; fail "shards"; }

# Resubmit only ids 1 and 3 after deleting their run files: same shard count (4), same points.
rm out/runs/run-000001.h5 out/runs/run-000003.h5 out/sweep.h5
jid2="$(submit 1,3)"
for i in 1 3; do
  log="clustersim-sweep-${jid2}_$i.log"
  grep -q "task $i of 4 shards" "$log" || { cat "$log"; fail "resubmitted task $i: wrong shard count"; }
  grep -q "1 run, 0 already complete, 0 failed" "$log" || { cat "$log"; fail "resubmitted task $i did not run its point"; }
done
check_merged
echo "--- log of resubmitted task 3:"; cat "clustersim-sweep-${jid2}_3.log"
echo "PASS slurm_sweep"
