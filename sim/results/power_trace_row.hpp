#pragma once
/// @file
/// One row of the `power_trace` table: the site's power over one bin of the high-resolution window
/// (output.power_trace), phase-resolved (the synchronous swings of training steps).

#include "sim/results/column_table.hpp"

namespace clustersim {

struct PowerTraceRow {
  double time_s = 0;            ///< start of the bin (the dimension scale)
  double it_power_w = 0;        ///< mean over the bin
  double facility_power_w = 0;  ///< from the facility model
  double grid_power_w = 0;      ///< what the grid sees: facility power less the battery's (facility.storage)
};

/// The `power_trace` group: dimension `time`.
const RowTable<PowerTraceRow>& power_trace_table();

}  // namespace clustersim
