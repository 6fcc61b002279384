#pragma once
/// @file
/// One row of the `timeseries` table: cluster power averaged over one sampling interval.

#include "sim/results/column_table.hpp"

namespace clustersim {

struct PowerSampleRow {
  double time_s = 0;            ///< start of the sampling interval (the dimension scale)
  double it_power_w = 0;        ///< mean over the interval, like every power here
  double facility_power_w = 0;  ///< from the facility model
  double gpu_power_w = 0;
  double server_power_w = 0;  ///< non-GPU server power
  double network_power_w = 0;
  double gpu_activity = 0;  ///< mean GPU activity, 0 idle .. 1 at the board power limit
  double pue = kMissing;    ///< facility / IT power of the interval
  // From the facility model where it knows them (facility.model: cooling), NaN otherwise.
  double cooling_power_w = kMissing;          ///< chillers, fans, pumps, heat rejection
  double electrical_loss_power_w = kMissing;  ///< transformers, UPS, distribution
  double outdoor_dry_bulb_c = kMissing;
  double outdoor_wet_bulb_c = kMissing;
  double carbon_rate_g_per_s = kMissing;  ///< gCO2e/s of the facility power
  double water_rate_l_per_s = kMissing;   ///< water consumed, L/s
};

/// The `timeseries` group: dimension `time` (the `time` column is its scale).
const RowTable<PowerSampleRow>& power_sample_table();

}  // namespace clustersim
