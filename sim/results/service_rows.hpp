#pragma once
/// @file
/// Rows of the `services` table (one per inference service: requests, throughput, latency percentiles,
/// goodput under the SLO, KV use and transfers, energy) and of the `service_timeseries` table (queue, batch
/// and KV use sampled over time, one row per service and sample). Counts and throughputs of sampled fleets
/// are already scaled to the whole fleet.

#include <cstdint>
#include <string>

#include "sim/results/column_table.hpp"

namespace clustersim {

struct ServiceRow {
  std::string name;   ///< inference service name
  std::string model;  ///< model catalog name
  int64_t replicas = 0;
  int64_t detailed_replicas = 0;  ///< simulated request by request (the others mirror them)
  int64_t tp = 1;
  int64_t requests = 0, completed = 0;
  double input_tokens_per_s = kMissing, output_tokens_per_s = kMissing;
  double benchmark_output_tokens_per_s = kMissing;  ///< completed output / (last completion - first arrival)
  double ttft_p50_s = kMissing, ttft_p90_s = kMissing, ttft_p99_s = kMissing;
  double tpot_p50_s = kMissing, tpot_p90_s = kMissing, tpot_p99_s = kMissing;
  double e2e_p50_s = kMissing, e2e_p90_s = kMissing, e2e_p99_s = kMissing;
  double goodput_requests_per_s = kMissing, goodput_tokens_per_s = kMissing;
  double slo_attainment = kMissing;  ///< share of the completed requests that met the SLOs
  double kv_peak = kMissing;         ///< peak KV-cache use / capacity
  double prefix_cache_hit = kMissing;
  int64_t preemptions = 0;
  double utilization = kMissing;
  double iterations = kMissing, simulated_steps = kMissing;
  int64_t prefill_replicas = 0, decode_replicas = 0;  ///< 0 = colocated
  int64_t kv_transfers = 0;
  double kv_transfer_bytes = kMissing;
  double kv_transfer_mean_s = kMissing, kv_transfer_p99_s = kMissing;
  double energy_j = kMissing;          ///< facility energy attributed to the service
  double gpu_power_mean_w = kMissing;  ///< board power per GPU, mean over the time it serves
  double energy_per_output_token_j = kMissing;
  double gpu_energy_per_output_token_j = kMissing;
  double batch_occupancy = kMissing;  ///< running sequences per replica / max_batch, mean over the samples
  double power_mean_w = kMissing;  ///< facility power attributed to the service, mean over its serving time  ///< GPU
                                   ///< boards only (what NVML-based benchmarks report)
  std::string pool;                ///< accelerator pool its replicas ran on
  double output_tokens_per_s_uncertainty = kMissing;  ///< relative band (spec/uncertainty.hpp; NaN: none)
  double gpu_power_uncertainty = kMissing;            ///< relative band of gpu_power_mean (NaN: none)
  std::string uncertainty_basis;  ///< the fit groups of the bands ("extrapolated from GROUP" when no anchor covers it)
};

/// One sample of one service's queues.
struct ServiceSampleRow {
  double time_s = 0;
  std::string service;
  double waiting = 0;  ///< requests routed, not admitted
  double running = 0;  ///< requests admitted
  double kv_use = 0;   ///< KV-cache use / capacity, mean over replicas
  /// Output tokens per second since the previous sample (fleet-scaled): each request's tokens counted at the
  /// midpoint of its decode (first to last token; the run's end for an unfinished one).
  double output_tokens_per_s = 0;
  double replicas = 0;  ///< replicas serving (autoscaling; else the service's replicas)
};

/// The `services` group: dimension `service`.
const RowTable<ServiceRow>& service_table();
/// The `service_timeseries` group: dimension `sample`, coordinates `time` and `service`.
const RowTable<ServiceSampleRow>& service_sample_table();

}  // namespace clustersim
