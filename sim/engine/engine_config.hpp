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

/// Stack of each actor, KiB (SimGrid's default is 8 MiB: 12,500 server actors reserved 100 GB of address space
/// and a 100k-GPU run failed under an 8 GB `ulimit -v`). Every shipped example runs with 16 KiB: 256 leaves 16x
/// (with 128 KiB stacks a 100k run was 80% more resident, 624 vs 345 MB: measured, not understood).
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
