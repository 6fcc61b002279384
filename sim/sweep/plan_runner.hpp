#pragma once
/// @file
/// `clustersim plan`: capacity planning by simulation. For every point of `plan.grid` (the discrete choices: an
/// accelerator, a link speed, a site), the smallest integer value of `plan.size` in [plan.min, plan.max] whose run
/// meets every condition of `plan.meet` (e.g. services.slo_attainment at least 0.99), the keys of `plan.scale` set
/// to ceil(size x factor) with it (the servers that hold the replicas). Each try is a real simulation (one
/// `clustersim run` process, as a sweep point). The search assumes the conditions are monotone in the size (more
/// replicas never serve worse): it doubles from plan.min until a size meets them, then bisects between the last
/// size that failed and the first that met: about 2 log2(answer / min) + 1 runs per choice, the choices in
/// parallel (`-j`). Then it prints each choice's answer (GPUs, facility MW mean and provisioned, J per token, runs
/// used) and marks the front: the answers no other answer beats on GPUs, provisioned facility MW and J per token at
/// once. Runs are kept (DIR/runs/) and reused when the experiment is unchanged (as sweep points); the answers go to
/// DIR/plan.h5 (table `candidates`).

#include <string>
#include <vector>

#include "sim/config/experiment_loader.hpp"
#include "sim/sweep/sweep_plan.hpp"

namespace clustersim {

struct PlanOptions {
  std::string executable;  ///< the clustersim binary that runs each try
  std::string experiment_path;
  std::vector<Override> base_overrides;  ///< --set values, applied to every run
  std::string output_dir;                ///< "" = plan.output_dir, else results/<name>-plan
  int jobs = 1;
};

/// One step of the search for one choice: the next size to try, or done (with the answer, or none).
struct SizeSearch {
  int lo_failed = 0;  ///< the largest size known to fail (min - 1 at first)
  int hi_met = -1;    ///< the smallest size known to meet (-1: none yet)
  int max_size = 0;
  int runs = 0;
  /// The size to run next; -1 when the search is over.
  int next() const;
  /// Records the outcome of running `size`.
  void record(int size, bool met);
  /// The answer: the smallest size that meets; -1 when none up to max_size does.
  int answer() const { return next() < 0 ? hi_met : -1; }
};
SizeSearch start_search(int min_size, int max_size);

/// The overrides of one try of `size` for choice `point`: the --set values, an empty sweep.grid and plan (a sweep in
/// the same file is not the plan's; a run stays reusable when only the plan's conditions or limits change), the
/// choice's values, the size and the keys of plan.scale at ceil(size x factor).
std::vector<Override> plan_try_overrides(const PlanSpec& plan, const std::vector<Override>& base,
                                         const SweepPoint& point, int size);

/// True when `a` is no worse than `b` in every objective and better in one (objectives are minimized).
bool dominates(const std::vector<double>& a, const std::vector<double>& b);

/// Runs the plan of `experiment`; returns 0 when every choice found an answer, 1 when one did not (or a run
/// failed), 2 when the experiment has no plan.
int run_plan(const LoadedExperiment& experiment, const PlanOptions& options);

}  // namespace clustersim
