#pragma once
/// @file
/// The `/summary` of a run: one 0-D dataset per member, named and described by summary_fields().

#include <vector>

#include "sim/results/column_table.hpp"

namespace clustersim {

struct RunSummary {
  double duration_s = kMissing;  ///< simulated duration
  /// Costs (models/cost/tco.hpp; NaN when a server has no price in the catalog)
  double capital_servers_usd = kMissing, capital_network_usd = kMissing, capital_facility_usd = kMissing;
  double tco_usd_per_hour = kMissing, cost_per_million_tokens_usd = kMissing;
  double servers = kMissing, gpus = kMissing;
  double it_power_mean_w = kMissing;
  double it_power_peak_w = kMissing;  ///< every job at the top of its step swing (swings aligned: an upper bound)
  double facility_power_mean_w = kMissing, facility_power_peak_w = kMissing;
  double gpu_power_mean_w = kMissing;
  double network_power_w = kMissing;
  double it_energy_j = kMissing, facility_energy_j = kMissing;
  double pue = kMissing;  ///< facility / IT energy over the run, (a varying facility model: of the sampled intervals)
  double training_tokens_per_s = kMissing;          ///< all jobs
  double inference_output_tokens_per_s = kMissing;  ///< all services
  double energy_per_token_j = kMissing;             ///< facility energy per (training + generated) token
  double bisection_bandwidth_bps = kMissing;
  double jobs_submitted = kMissing, jobs_started = kMissing, jobs_completed = kMissing;  ///< training jobs
  double job_wait_p50_s = kMissing, job_wait_p99_s = kMissing;  ///< queue wait of the jobs that started
  double training_gpu_allocation = kMissing;       ///< GPU time held by training jobs / (cluster GPUs x duration)
  double facility_power_budget_w = kMissing;       ///< facility.power_budget (NaN: none)
  double power_budget_exceeded_s = kMissing;       ///< time whose interval-mean facility power is above the budget
  double design_it_power_w = kMissing;             ///< facility.design_it_power (default: the cluster at full load)
  double facility_power_provisioned_w = kMissing;  ///< design IT x PUE at full load in the worst hour
  double cooling_energy_j = kMissing, electrical_loss_energy_j = kMissing;  ///< NaN: constant-pue
  double carbon_kg = kMissing;      ///< grid emissions of the facility energy, kgCO2e
  double water_l = kMissing;        ///< water consumed, L
  double wue_l_per_kwh = kMissing;  ///< water / IT energy, L/kWh
  /// Of the power trace (output.power_trace; NaN without one): the site's facility power, bin by bin.
  double trace_power_peak_w = kMissing, trace_power_min_w = kMissing;
  double trace_ramp_max_w_per_s = kMissing;    ///< fastest change between bins
  double trace_swing_w = kMissing;             ///< peak - min
  double trace_swing_frequency_hz = kMissing;  ///< main frequency of the swings
  double grid_power_peak_w = kMissing, grid_swing_w = kMissing, grid_ramp_max_w_per_s = kMissing;  ///< with storage
  double storage_loss_energy_j = kMissing;  ///< lost in the battery over the window (0 without storage)
  double budget_cap_fraction = kMissing;    ///< facility.budget_policy cap: the GPUs' cap / board limit
  double node_power_mean_w = kMissing;      ///< per server: its GPUs and its overhead, no network
  double node_power_peak_w = kMissing;      ///< the same at the site's peak (it_power_peak)
  double failures = kMissing;               ///< component failures of the run (NaN: failures off)
  double interruptions = kMissing;          ///< training jobs they stopped, all jobs together
  double training_ettr = kMissing;          ///< the jobs' effective training time ratio, weighted by GPUs x wall
  double nic_bandwidth_bps = kMissing;      ///< one NIC of the main pool: min(link, its host slot), bit/s
  double it_power_uncertainty = kMissing;   ///< relative band of the IT power (data/validation/bands.yaml; NaN: none)
};

/// The summary datasets in file order.
const std::vector<ScalarField<RunSummary>>& summary_fields();

}  // namespace clustersim
