#pragma once
/// @file
/// Runs a sweep: one `clustersim run` process per point of this shard (a SimGrid engine runs once per
/// process), up to `jobs` at a time, skipping points whose results file already exists; then, when every
/// point of the plan has its file, merges their summaries into `sweep.h5` (table `runs`, one row per point,
/// the swept keys as columns).

#include <string>
#include <vector>

#include "sim/config/experiment_loader.hpp"
#include "sim/sweep/sweep_plan.hpp"

namespace clustersim {

struct SweepOptions {
  std::string executable;          ///< path of the clustersim binary to run points with
  std::string experiment_path;
  std::vector<Override> base_overrides;
  std::string output_dir;          ///< "" = the experiment's sweep.output_dir
  int jobs = 1;
  Shard shard;
  bool merge_only = false;
};

/// Returns the process exit code: 0 when every point of this shard succeeded, 1 otherwise.
int run_sweep(const LoadedExperiment& experiment, const SweepOptions& options);

/// Merges the runs of `points` found under `output_dir` into `output_dir`/sweep.h5. Returns the number
/// of runs missing (0 when the merge was written).
int merge_sweep(const LoadedExperiment& experiment, const std::vector<SweepPoint>& points,
                const std::string& output_dir);

}  // namespace clustersim
