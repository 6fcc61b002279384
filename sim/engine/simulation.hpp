#pragma once
/// @file
/// Runs one experiment: builds the fabric (Boost.Graph, then SimGrid zones), places training jobs and
/// inference replicas on servers, launches their actors and the power sampler, runs the SimGrid engine to
/// the experiment's end and collects the results. One simulation per OS process (SimGrid's engine cannot be
/// reset).

#include <string>
#include <vector>

#include "sim/config/experiment_loader.hpp"
#include "sim/results/results.hpp"
#include "sim/setup/feasibility.hpp"

namespace clustersim {

/// Wall-clock seconds of each phase of one run (for benchmarks and --verbose; never stored with the results).
struct RunTimings {
  double placement_s = 0;   ///< workloads made and placed on servers
  double platform_s = 0;    ///< SimGrid engine and platform (zones, hosts, links)
  double launch_s = 0;      ///< workload set-up: arrivals, runtimes, actors
  double engine_s = 0;      ///< the SimGrid engine run
  double engine_cpu_s = 0;  ///< CPU seconds of this process during the engine run (less noisy on a busy machine)
  double results_s = 0;     ///< results built from what the run recorded
};

struct RunOptions {
  bool progress = true;                   ///< progress line when stderr is a terminal
  std::vector<std::string> simgrid_args;  ///< extra --cfg=... / --log=... passed to the engine
  std::string command_line;               ///< recorded in the results' provenance
  RunTimings* timings = nullptr;          ///< filled when not null
};

/// Runs the experiment. Throws ConfigError for input problems found only while building (for example a
/// fabric that cannot be built), std::runtime_error for simulation failures.
RunResults run_experiment(const LoadedExperiment& experiment, const RunOptions& options);

/// Runs a prepared experiment on the fabric its validation built (prepare_experiment).
RunResults run_experiment(const PreparedExperiment& prepared, const RunOptions& options);

}  // namespace clustersim
