#pragma once
/// @file
/// One row of the `schedule` table: the cluster scheduler's state averaged over one sampling interval
/// (output.sample_interval), written when a scheduler runs the training jobs (scheduler.policy not none).

#include "sim/results/column_table.hpp"

namespace clustersim {

struct ScheduleSampleRow {
  double time_s = 0;                 ///< start of the sampling interval (the dimension scale)
  double queued_jobs = 0;            ///< waiting jobs (mean over the interval)
  double running_jobs = 0;           ///< jobs holding servers (mean)
  double allocated_gpus = 0;         ///< GPUs held by training jobs (mean)
  double training_tokens_per_s = 0;  ///< training tokens per second at the jobs' step times (mean)
};

/// The `schedule` group: dimension `time`.
const RowTable<ScheduleSampleRow>& schedule_sample_table();

}  // namespace clustersim
