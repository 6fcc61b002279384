#pragma once
/// @file
/// The `/summary` of a run: one 0-D dataset per member, named and described by summary_fields().

#include <vector>

#include "sim/results/column_table.hpp"

namespace clustersim {

struct RunSummary {
  double duration_s = kMissing;  ///< simulated duration
  double servers = kMissing, gpus = kMissing;
  double it_power_mean_w = kMissing;
  double it_power_peak_w = kMissing;  ///< at the highest instantaneous GPU activity
  double facility_power_mean_w = kMissing, facility_power_peak_w = kMissing;
  double gpu_power_mean_w = kMissing;
  double network_power_w = kMissing;
  double it_energy_j = kMissing, facility_energy_j = kMissing;
  double pue = kMissing;                    ///< facility / IT energy over the run, as the facility model reports it
  double training_tokens_per_s = kMissing;  ///< all jobs
  double inference_output_tokens_per_s = kMissing;  ///< all services
  double energy_per_token_j = kMissing;             ///< facility energy per (training + generated) token
  double bisection_bandwidth_bps = kMissing;
};

/// The summary datasets in file order.
const std::vector<ScalarField<RunSummary>>& summary_fields();

}  // namespace clustersim
