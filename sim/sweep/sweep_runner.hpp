#pragma once
/// @file
/// Runs a sweep: one `clustersim run` process per point of this shard (a SimGrid engine runs once per
/// process), up to `jobs` at a time, skipping points that are complete; then, when every point of the plan
/// is complete, merges their summaries into `sweep.h5` (table `runs`, one row per point,
/// the swept keys as columns).

#include <string>
#include <vector>

#include "sim/config/experiment_loader.hpp"
#include "sim/sweep/sweep_plan.hpp"

namespace clustersim {

struct SweepOptions {
  std::string executable;  ///< path of the clustersim binary to run points with
  std::string experiment_path;
  std::vector<Override> base_overrides;
  std::string output_dir;  ///< "" = the experiment's sweep.output_dir
  int jobs = 1;
  Shard shard;
  bool merge_only = false;
};

/// A point is complete only when its results file exists and its `config_yaml` attribute (the resolved
/// experiment it ran) equals the one the point would run now; a file from an edited experiment is stale
/// and the point runs again (one line each on stderr).
enum class PointState { kMissing, kStale, kComplete };
PointState point_state(const std::string& file, const std::string& expected_config_yaml);

/// The `clustersim run` command of one point: the experiment with `overrides` (in order), results to `file`.
std::vector<std::string> run_command(const std::string& executable, const std::string& experiment_path,
                                     const std::vector<Override>& overrides, const std::string& file);

/// The resolved experiment a point runs with `overrides` (what its results file must carry as `config_yaml`); ""
/// when it no longer loads (its run then reports why).
std::string resolved_config(const LoadedExperiment& experiment, const std::vector<Override>& overrides);

/// Returns the process exit code: 0 when every point of this shard succeeded, 1 otherwise.
int run_sweep(const LoadedExperiment& experiment, const SweepOptions& options);

/// Merges the runs of `points` found under `output_dir` into `output_dir`/sweep.h5. Returns the number
/// of runs missing or stale (0 when the merge was written). `base_overrides` are the sweep's --set values.
int merge_sweep(const LoadedExperiment& experiment, const std::vector<SweepPoint>& points,
                const std::string& output_dir, const std::vector<Override>& base_overrides = {});

}  // namespace clustersim
