#pragma once
/// @file
/// The results of the inference services: the `services` table (requests, throughput, latency
/// percentiles, goodput under the service's SLO (requests meeting both TTFT and TPOT targets; attainment =
/// their share of the completed requests), the maximum-load throughput of offline benchmarks, KV use, energy)
/// and the `service_timeseries` table (queue length, running batch and KV-cache use sampled over time, one
/// row per service and sample: dimension `sample`, coordinates `time` and `service`). Sampled fleets
/// (detailed_replicas < replicas) scale counts and throughputs by replicas / detailed.

#include <vector>

#include "models/power/cluster_power.hpp"
#include "sim/engine/inference_service.hpp"
#include "sim/engine/power_tracker.hpp"
#include "sim/results/results.hpp"

namespace clustersim {

/// Per-request measures of one service over [0, end_s).
struct ServiceMeasures {
  long arrived = 0, completed = 0, good = 0;
  double input_tokens = 0, output_tokens = 0, good_output_tokens = 0;
  double first_arrival_s = -1, last_done_s = -1;
  double completed_output_tokens = 0;
  std::vector<double> ttft_s, tpot_s, e2e_s;
  /// The same counts in the whole fleet: each request weighted by what it stands for (fleet_weight).
  double fleet_arrived = 0, fleet_completed = 0, fleet_good = 0, fleet_input_tokens = 0, fleet_output_tokens = 0,
         fleet_good_output_tokens = 0, fleet_completed_output_tokens = 0;
};

/// Measures the requests of `service` that arrived before `end_s` (unscaled).
ServiceMeasures measure_service(const InferenceServiceRuntime& service, double end_s);

/// Appends one `services` row per service and its `service_timeseries` rows over [0, end_s), and adds the
/// services' generated tokens (fleet-scaled) to record.generated_tokens.
void append_service_rows(const std::vector<const InferenceServiceRuntime*>& services, PowerTracker& tracker,
                         const ClusterPowerModel& power, double end_s, RunRecord& record);

}  // namespace clustersim
