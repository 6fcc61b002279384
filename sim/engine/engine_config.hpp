#pragma once
/// @file
/// The SimGrid engine as every simulation (and test and benchmark) runs it. Settings measured in
/// ../shared/SIMGRID.md: CM02 without TCP window (RDMA-like), no cross-traffic coupling (280x faster under
/// contention), no guard pages (more than 30k actors), actor stacks sized to need (kActorStackKiB), SimGrid's
/// own logs silenced.
///
/// Logs: the simulator's own SimGrid log categories hang under one root, `clustersim` (defined in
/// engine_config.cpp), one subcategory per engine file (cs_simulation, cs_training_job, cs_inference_service,
/// cs_power_tracker, ...). They are silent like the rest; `clustersim run X.yaml
/// --log=clustersim.thres:debug` (or `:verbose`) prints the phase boundaries (platform built, workloads
/// launched, job steps done, services drained, results built) with the simulated time,
/// `--log=cs_training_job.thres:debug` one file's. Phase boundaries log at XBT_VERB (verbose): a Release
/// build (NDEBUG) compiles XBT_DEBUG out, so XBT_DEBUG is for finer detail seen in Debug builds only (e.g.
/// each power group).

#include <memory>
#include <simgrid/s4u.hpp>
#include <string>
#include <vector>

namespace clustersim {

/// Stack of each actor, KiB. Needed (measured: an LD_PRELOAD probe that, when a stack is freed, asks mincore which
/// of its pages were ever touched): 4-8 KiB for every actor of every shipped example (training servers, replicas,
/// routers, samplers, KV workers, with the unwinding of daemons killed at the end), 12 KiB with
/// `--log=root.thres:debug`; nothing recurses. 256 KiB leaves 20x.
/// Why not less: with guard-size 0 SimGrid calloc's each stack, and glibc serves a request from its heap (zeroed
/// in full, resident) when the top chunk or a free chunk fits it, else from a fresh mapping (zeroed lazily by the
/// kernel: only the touched pages become resident). The top chunk is trimmed back to about 128 KiB (plus pad), so
/// 256 KiB stacks are nearly always fresh mappings and smaller ones mostly heap. Peak RSS, MB, with stack-size
/// 64 / 128 / 256 / 8192 KiB: day-100k-mix-trace (20 min) 344 / 272 / 200 / 199, step-100k (12,500 actors)
/// 849 / 610 / 342 / 342, hour-10k-serving (10 min) 132 / 132 / 130 / 130; wall the same within the shared
/// machine's noise (actors are created at the start; KV transfers reuse their workers). SimGrid's default 8 MiB:
/// the same RSS for 32x the address space (12,500 server actors reserved 100 GB and a 100k-GPU run failed under an
/// 8 GB `ulimit -v`). A user overrides it with `--simgrid-cfg contexts/stack-size:N` (later settings win).
inline constexpr int kActorStackKiB = 256;

/// The --cfg/--log arguments of the engine.
const std::vector<std::string>& engine_config_args();

/// Checks one `--log` setting the way SimGrid parses it (SimGrid aborts the process on a malformed one):
/// space-separated `CATEGORY.KEY:VALUE` items, KEY a prefix of threshold, additivity, appender or fmt; a
/// threshold one of trace, debug, verbose, info, warning, error, critical; an appender file:, rollfile: or
/// splitfile:PATH; or `no_loc`. False with the reason in `error`. The category is not checked (SimGrid keeps
/// a setting for a category it does not know yet).
bool check_log_setting(const std::string& setting, std::string& error);

/// Creates the process's engine with engine_config_args() then `extra_args` (later settings win).
/// One engine per process: SimGrid cannot be reset.
std::unique_ptr<simgrid::s4u::Engine> create_engine(const std::string& program,
                                                    const std::vector<std::string>& extra_args = {});

}  // namespace clustersim
