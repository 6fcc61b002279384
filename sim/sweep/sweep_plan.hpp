#pragma once
/// @file
/// Sweep plans: the cartesian product of the experiment's `sweep.grid` axes (last axis varies fastest),
/// numbered deterministically, and sharding of that numbering across processes or SLURM array tasks
/// (run i belongs to shard i mod N).

#include <string>
#include <vector>

#include "sim/config/experiment_loader.hpp"

namespace clustersim {

struct SweepPoint {
  int index = 0;
  std::vector<Override> overrides;  ///< one per axis, in axis order
};

/// All points of the grid; an empty grid is one point without overrides.
std::vector<SweepPoint> plan_sweep(const SweepSpec& sweep);

/// "runs/run-000007.h5" for index 7 (relative to the sweep's output directory).
std::string run_file_name(int index);

struct Shard {
  int index = 0;
  int count = 1;
  bool owns(int run_index) const { return run_index % count == index; }
};

/// Parses "i/N" or "auto" (SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT, then SLURM_PROCID / SLURM_NTASKS,
/// else 0/1). Returns false with an error on bad syntax.
bool parse_shard(const std::string& text, Shard& shard, std::string& error);

}  // namespace clustersim
