#pragma once
/// @file
/// One row of the `segments` table: a stretch of one training job at one step time, from a start (or a
/// re-measure, when what shares its links changed) to its next stop or re-measure (sim/engine/job_scheduler).
/// Without a scheduler each job has one segment.

#include <cstdint>
#include <string>

#include "sim/results/column_table.hpp"

namespace clustersim {

struct SegmentRow {
  std::string job;            ///< training job name
  double start_s = 0;         ///< start of the segment
  double end_s = 0;           ///< end of the segment
  double steps = 0;           ///< steps done in it
  double step_time_s = 0;     ///< its step time (measured by its detailed steps, or looked up)
  double dp_allreduce_s = 0;  ///< simulated DP reduction per step in its detailed steps (0: looked up)
  int64_t looked_up = 0;      ///< 1: the same job with the same neighbours ran before, its step time reused
  int64_t neighbours = 0;     ///< running jobs sharing fabric links with it at the segment's start
};

/// The `segments` group: dimension `segment`.
const RowTable<SegmentRow>& segment_table();

}  // namespace clustersim
