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

/// With sweep.repeats > 1, appends the axis `seed` = seed, seed + 1, ... (the fastest: the repeats of a grid
/// point are consecutive runs). Returns false with an error when `seed` is already an axis.
bool add_repeat_axis(SweepSpec& sweep, unsigned long long seed, std::string& error);

/// "runs/run-000007.h5" for index 7 (relative to the sweep's output directory).
std::string run_file_name(int index);

/// "fabric.link=800Gbps facility.pue=1.1": a point's swept values, for progress lines.
std::string point_label(const SweepPoint& point);

/// A swept axis as numbers: every value of `values` read in SI units of one quantity family (800Gbps ->
/// 8e11 bit/s, 30min -> 1800 s, 1.1 -> 1.1), tried in the order bandwidth, power, energy, time, compute, data,
/// then plain numbers (with k/M/G multipliers); `numeric` false when some value is not a number in any
/// family (gen5, fat-tree): the axis stays text.
struct NumericAxis {
  bool numeric = false;
  std::vector<double> values;  ///< SI (the family's canonical unit)
  std::string units;           ///< "bit/s", "W", "J", "s", "FLOP/s", "B" or "1"
};
NumericAxis numeric_axis(const std::vector<std::string>& values);

/// Applies one `--sweep KEY=V1,V2,...` to `sweep`: replaces the axis of KEY (keeping its place) or appends
/// one. Returns false with an error on bad syntax (no '=', an empty key or value).
bool apply_sweep_override(const std::string& text, SweepSpec& sweep, std::string& error);

struct Shard {
  int index = 0;
  int count = 1;
  bool owns(int run_index) const { return run_index % count == index; }
};

/// Parses "i/N" or "auto": under a SLURM array, i = SLURM_ARRAY_TASK_ID and N = $CLUSTERSIM_SHARDS, else
/// SLURM_ARRAY_TASK_MAX + 1 (never SLURM_ARRAY_TASK_COUNT: resubmitting only ids 1,4 of 0-49 must keep N = 50,
/// which only CLUSTERSIM_SHARDS guarantees); then SLURM_PROCID / SLURM_NTASKS (srun); else 0/1. Returns false
/// with an error on bad syntax or i >= N.
bool parse_shard(const std::string& text, Shard& shard, std::string& error);

}  // namespace clustersim
