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
#include "sim/engine/service_measures.hpp"
#include "sim/results/results.hpp"

namespace clustersim {

/// Measures the requests of `service` that arrived before `end_s`: those folded in during the run and the rest.
ServiceMeasures measure_service(const InferenceServiceRuntime& service, double end_s);

/// Appends one `services` row per service and its `service_timeseries` rows over [0, end_s), and adds the
/// services' generated tokens (fleet-scaled) to record.generated_tokens.
void append_service_rows(const std::vector<const InferenceServiceRuntime*>& services, PowerTracker& tracker,
                         const ClusterPowerModel& power, double end_s, RunRecord& record);

}  // namespace clustersim
