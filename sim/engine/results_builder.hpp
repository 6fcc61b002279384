#pragma once
/// @file
/// Turns what a run measured into RunResults: provenance, summary scalars, and the tables
/// timeseries, jobs, services, fabric_switches and fabric_links.

#include <vector>

#include "models/power/cluster_power.hpp"
#include "models/power/network_power.hpp"
#include "sim/config/experiment_loader.hpp"
#include "sim/engine/inference_service.hpp"
#include "sim/engine/power_tracker.hpp"
#include "sim/engine/training_job.hpp"
#include "sim/results/results.hpp"
#include "topologies/fabric_components.hpp"
#include "topologies/fabric.hpp"

namespace clustersim {

/// Cluster power sampled at a fixed interval (mean over each interval).
struct TimeSeries {
  std::vector<double> time_s;             ///< interval starts
  std::vector<PowerBreakdown> power;      ///< mean power over each interval
  std::vector<double> activity_fraction;  ///< mean GPU activity (0..1) over each interval
};

struct ResultsInputs {
  const LoadedExperiment& experiment;
  const Fabric& fabric;
  const FabricComponents& components;
  const NetworkPower& network_power;
  const ClusterPowerModel& power;
  PowerTracker& tracker;
  const TimeSeries& timeseries;
  double end_s;
  std::vector<const TrainingJobRuntime*> jobs = {};
  std::vector<const InferenceServiceRuntime*> services = {};
};

RunResults build_results(const ResultsInputs& in);

}  // namespace clustersim
