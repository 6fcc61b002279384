#pragma once
/// @file
/// Turns what a run measured into RunResults: provenance, then a RunRecord of typed rows (jobs, services,
/// fabric tiers, power samples) and its summary. Each piece has its own entry point, so a workload appends
/// its own rows (append_job_rows here, append_service_rows in service_results.hpp) and build_results composes
/// them. Facility figures come from the power model's facility model only.

#include <vector>

#include "models/power/cluster_power.hpp"
#include "models/power/network_power.hpp"
#include "sim/config/experiment_loader.hpp"
#include "sim/engine/inference_service.hpp"
#include "sim/engine/power_tracker.hpp"
#include "sim/engine/training_job.hpp"
#include "sim/results/results.hpp"
#include "sim/results/schedule_sample_row.hpp"
#include "topologies/fabric.hpp"
#include "topologies/fabric_components.hpp"

namespace clustersim {

/// Cluster power sampled at a fixed interval (mean over each interval).
struct TimeSeries {
  std::vector<double> time_s;                      ///< interval starts
  std::vector<PowerBreakdown> power;               ///< mean power over each interval
  std::vector<double> activity_fraction;           ///< mean GPU activity (0..1) over each interval
  std::vector<std::vector<double>> pool_activity;  ///< per interval, per pool: the activity integral, GPU x s
};

struct ResultsInputs {
  const LoadedExperiment& experiment;
  const Fabric& fabric;
  const NetworkPower& network_power;
  const ClusterPowerModel& power;
  PowerTracker& tracker;
  const TimeSeries& timeseries;
  double end_s;
  std::vector<const TrainingJobRuntime*> jobs = {};
  std::vector<const InferenceServiceRuntime*> services = {};
  std::vector<ScheduleSampleRow> schedule_samples = {};  ///< the cluster scheduler's time series (if any)
  std::vector<std::vector<ScheduleSampleRow>> pool_schedule_samples = {};  ///< the same per pool (if any)
  std::vector<FailureRow> failures = {};                                   ///< the failure log (failures.*)
  const FabricComponents* components = nullptr;  ///< the fabric's parts (their prices: the network capital)
};

struct PowerTrace;
/// The power trace's rows and its summary figures (nothing when the trace is empty).
void append_power_trace(const PowerTrace& trace, RunRecord& record);

/// Provenance, the record (every table and the summary) of a finished run.
RunResults build_results(const ResultsInputs& in);

/// The provenance attributes of a run of `experiment` (tool version, commit, experiment, config, host, seed).
void add_provenance(const LoadedExperiment& experiment, RunResults& results);

/// Appends one `jobs` row per training job (their stats.activity_integral filled) over [0, end_s) and adds
/// their trained tokens to record.training_tokens. Throws when a job's figures break an invariant.
/// `scheduled`: a cluster scheduler ran the jobs (energy over the time each held its GPUs, not the whole run).
void append_job_rows(const std::vector<const TrainingJobRuntime*>& jobs, const ClusterPowerModel& power, double end_s,
                     bool scheduled, RunRecord& record);

/// Appends the `fabric_switches` and `fabric_links` rows: the inventory's tiers with their power.
void append_fabric_rows(const FabricInventory& inventory, const NetworkPower& network_power, RunRecord& record);

/// Appends the `timeseries` rows from the sampled power.
void append_power_samples(const TimeSeries& timeseries, RunRecord& record);

/// Fills record.summary over [0, end_s) from the tracker, the power model and the tallies the workloads left
/// in the record (call it after every append).
/// The `pools` table and the `pool_timeseries` rows from the tracker's per-pool integrals, the sampler's per-pool
/// activity and the scheduler's per-pool series.
void append_pool_rows(const ResultsInputs& in, RunRecord& record);

/// The costs of the summary (models/cost/tco.hpp): the pools' servers at their catalog price, the network and
/// facility capital and the TCO per hour and per million tokens; after finish_summary (it reads the power and
/// tokens).
void cost_summary(const LoadedExperiment& experiment, const FabricInventory& inventory,
                  const FabricComponents* components, RunRecord& record);

void finish_summary(const ExperimentSpec& spec, const FabricInventory& inventory, const NetworkPower& network_power,
                    const ClusterPowerModel& power, PowerTracker& tracker, double end_s, RunRecord& record);

}  // namespace clustersim
