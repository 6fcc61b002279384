#!/bin/bash
# Reruns every ASTRA-sim analytical-backend cross-check case from scratch
# (workload ETs, configs, runs, results CSV, markdown table), given the binaries
# already built in $ASTRA/build/astra_analytical/build/bin (README.md: how to build them).
# The clustersim side is tests/unit/sim/collectives/peer_crosscheck_test.cpp.
#
# Usage: XC=/scratch/dir ASTRA=/path/to/astra-sim bash run_astra.sh [--no-512] [--no-sens]
#   results in $XC/runs (results.csv, results_table.md, logs/)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
XC=${XC:-$PWD/astra-xcheck}
ASTRA=${ASTRA:-$XC/astra-sim}
BIN=$ASTRA/build/astra_analytical/build/bin
GEN=$ASTRA/examples/workload/microbenchmarks/generator_scripts
PY=/usr/bin/python3          # Debian python3 + python3-protobuf (3.21.12)
RUN=$XC/runs
DO512=1; DOSENS=1
for a in "$@"; do
  case $a in --no-512) DO512=0;; --no-sens) DOSENS=0;; esac
done

rm -rf "$RUN"; mkdir -p "$RUN"/{workloads,configs,logs}
cd "$RUN"

# ---------------------------------------------------------------- workloads
# One COMM_COLL_NODE per NPU, generated with ASTRA-sim's own chakra ET
# microbenchmark generators (size argument is in MiB: 1024 = 1 GiB).
gen() {  # gen all_reduce|all_to_all N MiB
  (cd workloads && PYTHONPATH=$ASTRA $PY $GEN/$1.py --npus-count $2 --coll-size $3) || exit 1
}
NS="8 64"; [ $DO512 = 1 ] && NS="8 64 512"
for n in $NS; do gen all_reduce $n 1024; gen all_reduce $n 64; done
gen all_to_all 64 256
gen all_to_all 8 256
gen all_to_all 16 256

# ---------------------------------------------------------------- configs
C=configs
echo '{"memory-type": "NO_MEMORY_EXPANSION"}' > $C/mem.json

# sysconf NAME IMPL_LIST SPLITS ACTIVE_CHUNKS LOCAL_MEM_BW
#   endpoint-delay 1 ns: the smallest that runs (0 trips an assertion
#   "event_time > current_time" in the analytical event queue).
#   local-reduction-delay 0.
#   local-mem-bw 1e9 GB/s: makes the per-reduction-step local memory cost
#   (3 x msg_size / local_mem_bw, PacketBundle.cc) round to 0 ns.
sysconf() {
  cat > $C/$1.json <<EOF
{
    "scheduling-policy": "LIFO",
    "endpoint-delay": 1,
    "local-reduction-delay": 0,
    "active-chunks-per-dimension": $4,
    "preferred-dataset-splits": $3,
    "all-reduce-implementation": $2,
    "all-gather-implementation": $2,
    "reduce-scatter-implementation": $2,
    "all-to-all-implementation": $2,
    "collective-optimization": "localBWAware",
    "local-mem-bw": $5,
    "boost-mode": 0
}
EOF
}
sysconf sys_ring      '["ring"]'          1 1 1000000000
sysconf sys_direct    '["direct"]'        1 1 1000000000
sysconf sys_ring2d    '["ring", "ring"]'  1 1 1000000000

# netconf NAME TOPOLOGY_LIST NPUS_LIST BW_LIST LAT_LIST
netconf() {
  cat > $C/$1.yml <<EOF
topology: [ $2 ]
npus_count: [ $3 ]
bandwidth: [ $4 ]  # GB/s (ASTRA-sim analytical: 1 GB = 2^30 B)
latency: [ $5 ]  # ns
EOF
}
for n in $NS; do netconf switch$n Switch $n 50.0 500.0; done
netconf ring8 Ring 8 50.0 500.0
netconf ring16 Ring 16 50.0 500.0
netconf 2d64  "Switch, Switch" "8, 8"  "450.0, 50.0" "500.0, 1000.0"
[ $DO512 = 1 ] && netconf 2d512 "Switch, Switch" "8, 64" "450.0, 50.0" "500.0, 1000.0"

# ---------------------------------------------------------------- runs
CSV=$RUN/results.csv
echo "case,topology,N,size_bytes,collective,algorithm,backend,sysconf,netconf,sim_ns_max,sim_ns_min,wall_s" > $CSV

# runcase CASE TOPO_DESC N SIZE_MiB COLL ALGO SYSCONF NETCONF
runcase() {
  local case=$1 topo=$2 n=$3 mib=$4 coll=$5 algo=$6 sc=$7 nc=$8
  local wl=$RUN/workloads/$coll/${n}npus_${mib}MB/$coll
  for be in Aware Unaware; do
    local log=$RUN/logs/${case}_${be}.log
    local t0=$(date +%s.%N)
    timeout 900 $BIN/AstraSim_Analytical_Congestion_$be \
      --workload-configuration=$wl \
      --system-configuration=$RUN/$C/$sc.json \
      --remote-memory-configuration=$RUN/$C/mem.json \
      --network-configuration=$RUN/$C/$nc.yml > $log 2>&1
    local rc=$?
    local t1=$(date +%s.%N)
    local cyc=$(grep "finished," $log | sed 's/.*finished, \([0-9]*\) cycles.*/\1/' | sort -n)
    local cnt=$(echo "$cyc" | grep -c .)
    local mx=$(echo "$cyc" | tail -1) mn=$(echo "$cyc" | head -1)
    if [ $rc != 0 ] || [ "$cnt" != "$n" ]; then
      echo "!! $case $be rc=$rc finished_ranks=$cnt (see $log)"; mx=NA; mn=NA
    fi
    local w=$(echo "$t1 - $t0" | bc)
    echo "$case,$topo,$n,$((mib*1024*1024)),$coll,$algo,congestion_$(echo $be | tr A-Z a-z),$sc,$nc,$mx,$mn,$w" >> $CSV
    echo "$case $be: $mx ns (min over ranks $mn), wall ${w}s"
  done
}

# 1. 1-D Switch, 50 GB/s, 500 ns
for n in $NS; do
  for mib in 1024 64; do
    runcase "1-switch-N$n-${mib}MiB-ring"   "Switch" $n $mib all_reduce ring   sys_ring   switch$n
    runcase "1-switch-N$n-${mib}MiB-direct" "Switch" $n $mib all_reduce direct sys_direct switch$n
  done
done
runcase "1-switch-N64-256MiB-a2a-direct" "Switch" 64 256 all_to_all direct sys_direct switch64
# 2. 1-D Ring N=8
runcase "2-ring-N8-1024MiB-ring" "Ring" 8 1024 all_reduce ring sys_ring ring8
# all-to-all on a bidirectional ring: messages share the ring's links (congestion)
runcase "2-ring-N8-256MiB-a2a-direct" "Ring" 8 256 all_to_all direct sys_direct ring8
runcase "2-ring-N16-256MiB-a2a-direct" "Ring" 16 256 all_to_all direct sys_direct ring16
# 3. 2-D Switch(8 @450GB/s, 500ns) x Switch(N/8 @50GB/s, 1000ns)
runcase "3-2d-N64-1024MiB-ring" "Switch8x Switch8" 64 1024 all_reduce ring sys_ring2d 2d64
[ $DO512 = 1 ] && runcase "3-2d-N512-1024MiB-ring" "Switch8x Switch64" 512 1024 all_reduce ring sys_ring2d 2d512

# ---------------------------------------------------------------- sensitivity
if [ $DOSENS = 1 ]; then
  # (a) chunking: preferred-dataset-splits / active-chunks-per-dimension
  for s in 4 16 64; do
    sysconf sys_ring_s${s}_a1  '["ring"]' $s 1  1000000000
    sysconf sys_ring_s${s}_a$s '["ring"]' $s $s 1000000000
    for n in 8 64; do
      runcase "S-switch-N$n-1024MiB-ring-splits$s-active1"   "Switch" $n 1024 all_reduce ring sys_ring_s${s}_a1  switch$n
      runcase "S-switch-N$n-1024MiB-ring-splits$s-active$s"  "Switch" $n 1024 all_reduce ring sys_ring_s${s}_a$s switch$n
    done
  done
  sysconf sys_ring2d_s16_a16 '["ring", "ring"]' 16 16 1000000000
  runcase "S-2d-N64-1024MiB-ring-splits16-active16" "Switch8x Switch8" 64 1024 all_reduce ring sys_ring2d_s16_a16 2d64
  # (b) local reduction cost on (local-mem-bw 1600 GB/s as in ASTRA-sim's example config)
  sysconf sys_ring_mem1600 '["ring"]' 1 1 1600
  runcase "S-switch-N8-1024MiB-ring-localmembw1600" "Switch" 8 1024 all_reduce ring sys_ring_mem1600 switch8
fi

$PY $HERE/make_table.py $CSV > $RUN/results_table.md
cat $RUN/results_table.md
