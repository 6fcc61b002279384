#pragma once
/// @file
/// The accelerator pools of a site (cluster.pools): the `pools` table (one row per pool: what it is and what it
/// drew and held over the run) and the `pool_timeseries` table (one row per pool and sampling interval). Written
/// for every run; a single-pool site has one row per table and interval.

#include <string>

#include "sim/results/column_table.hpp"

namespace clustersim {

struct PoolRow {
  std::string name;
  std::string gpu;     ///< accelerator catalog name
  std::string server;  ///< server catalog name
  int64_t servers = 0;
  int64_t first_server = 0;
  int64_t gpus = 0;
  double serving_gpus = 0;        ///< GPUs of the inference replicas placed in the pool
  double training_gpu_hours = 0;  ///< GPU-hours held by training jobs, h
  double gpu_activity = 0;        ///< mean GPU activity (0..1) over the run
  double it_power_mean_w = 0;     ///< GPU and server power of the pool (network and facility are the site's), W
  double it_energy_j = 0;         ///< the same over the run, J
};

struct PoolSampleRow {
  double time_s = 0;
  std::string pool;
  double it_power_w = 0;     ///< GPU and server power, mean over the interval
  double gpu_activity = 0;   ///< mean GPU activity (0..1)
  double training_gpus = 0;  ///< GPUs held by training jobs (mean; with a scheduler, else those placed)
  double queued_jobs = 0;    ///< training jobs waiting (mean; 0 without a scheduler)
  double training_tokens_per_s = 0;
  double serving_gpus = 0;  ///< GPUs held by inference replicas (mean; autoscaled services follow their plan)
};

/// The `pools` group: dimension `pool`.
const RowTable<PoolRow>& pool_table();

/// The `pool_timeseries` group: dimension `sample`.
const RowTable<PoolSampleRow>& pool_sample_table();

}  // namespace clustersim
