#pragma once
/// @file
/// The high-resolution power trace of a window (output.power_trace): the GPU activity the tracker recorded over
/// the window (PowerTracker::record_window), each training job's step waveform included, integrated bin by
/// bin and turned into IT and facility power; then what the grid sees behind the site's battery
/// (facility.storage) and the swing statistics (models/power/power_swings.hpp).

#include <vector>

#include "models/power/cluster_power.hpp"
#include "models/power/power_swings.hpp"
#include "sim/engine/power_tracker.hpp"
#include "spec/experiment_spec.hpp"

namespace clustersim {

struct PowerTrace {
  double start_s = 0, resolution_s = 0;
  std::vector<double> it_w, facility_w, grid_w;  ///< per bin
  PowerSwingStats site, grid;                    ///< of facility_w and grid_w
  double storage_loss_j = 0;
};

/// Pool activity sums of the window's bins (index: bin, then pool) from the tracker's recorded events.
std::vector<std::vector<double>> window_activity(PowerTracker& tracker, double start_s, double end_s,
                                                 double resolution_s, int pools);

/// The trace of `spec.output`'s window (clipped to the run's `end_s`); empty when there is none.
PowerTrace build_power_trace(PowerTracker& tracker, const ClusterPowerModel& power, const ExperimentSpec& spec,
                             double end_s);

}  // namespace clustersim
