#include "sim/results/service_rows.hpp"

namespace clustersim {

const RowTable<ServiceRow>& service_table() {
  using R = ServiceRow;
  static const RowTable<ServiceRow> table{
      "services",
      "service",
      {text("name", "inference service name", &R::name),
       text("model", "model catalog name", &R::model),
       count("replicas", "replicas", &R::replicas),
       count("detailed_replicas", "replicas simulated request by request (the others mirror them)",
             &R::detailed_replicas),
       count("tp", "tensor-parallel size per replica", &R::tp),
       count("requests", "requests arrived", &R::requests),
       count("completed", "requests completed", &R::completed),
       number("input_tokens_per_s", "token/s", "prompt tokens processed per second", &R::input_tokens_per_s),
       number("output_tokens_per_s", "token/s", "tokens generated per second", &R::output_tokens_per_s),
       number("benchmark_output_tokens_per_s", "token/s",
              "output tokens of completed requests / (last completion - first arrival), as trtllm-bench reports",
              &R::benchmark_output_tokens_per_s),
       number("ttft_p50", "s", "time to first token, median", &R::ttft_p50_s),
       number("ttft_p90", "s", "time to first token, 90th percentile", &R::ttft_p90_s),
       number("ttft_p99", "s", "time to first token, 99th percentile", &R::ttft_p99_s),
       number("tpot_p50", "s", "time per output token, median", &R::tpot_p50_s),
       number("tpot_p90", "s", "time per output token, 90th percentile", &R::tpot_p90_s),
       number("tpot_p99", "s", "time per output token, 99th percentile", &R::tpot_p99_s),
       number("e2e_p50", "s", "end-to-end latency, median", &R::e2e_p50_s),
       number("e2e_p90", "s", "end-to-end latency, 90th percentile", &R::e2e_p90_s),
       number("e2e_p99", "s", "end-to-end latency, 99th percentile", &R::e2e_p99_s),
       number("goodput_requests_per_s", "1/s", "completed requests meeting the TTFT and TPOT SLOs per second",
              &R::goodput_requests_per_s),
       number("goodput_tokens_per_s", "token/s", "output tokens of the requests meeting the SLOs per second",
              &R::goodput_tokens_per_s),
       number("slo_attainment", "1", "share of the completed requests that met the SLOs", &R::slo_attainment),
       number("kv_peak", "1", "peak KV-cache use / capacity (max over replicas)", &R::kv_peak),
       number("prefix_cache_hit", "1", "share of prompt tokens served from the prefix cache", &R::prefix_cache_hit),
       count("preemptions", "preemptions (paged KV cache full)", &R::preemptions),
       number("utilization", "1", "fraction of time replicas run iterations", &R::utilization),
       number("iterations", "1", "batch iterations simulated (detailed replicas)", &R::iterations),
       number("simulated_steps", "1", "simulated waits of the detailed replicas (a decode stretch is one)",
              &R::simulated_steps),
       count("prefill_replicas", "replicas of the prefill pool (0 = colocated)", &R::prefill_replicas),
       count("decode_replicas", "replicas of the decode pool (0 = colocated)", &R::decode_replicas),
       count("kv_transfers", "KV-cache transfers from prefill to decode replicas completed", &R::kv_transfers),
       number("kv_transfer_bytes", "B", "KV-cache bytes moved from prefill to decode replicas", &R::kv_transfer_bytes),
       number("kv_transfer_mean", "s", "KV-cache transfer time (prefill end to arrival), mean", &R::kv_transfer_mean_s),
       number("kv_transfer_p99", "s", "KV-cache transfer time, 99th percentile", &R::kv_transfer_p99_s),
       number("energy", "J", "facility energy attributed to the service", &R::energy_j),
       number("gpu_power_mean", "W", "board power per GPU of the service, mean over the time it serves",
              &R::gpu_power_mean_w),
       number("energy_per_output_token", "J/token", "facility energy per generated token",
              &R::energy_per_output_token_j),
       text("pool", "accelerator pool its replicas ran on (cluster.pools)", &R::pool),
       number("gpu_energy_per_output_token", "J/token",
              "GPU board energy per generated token (no server, network or facility: what NVML-based serving "
              "benchmarks report)",
              &R::gpu_energy_per_output_token_j),
       number("batch_occupancy", "1",
              "running sequences per replica / max_batch, mean over the samples (utilization only says a replica ran)",
              &R::batch_occupancy),
       number("power_mean", "W", "facility power attributed to the service, mean over its serving time",
              &R::power_mean_w),
       number("output_tokens_per_s_uncertainty", "1",
              "relative uncertainty of output_tokens_per_s: RMS out-of-sample error of the serving anchors of its "
              "class (GPU, precision, engine; data/validation/bands.yaml); NaN: no band",
              &R::output_tokens_per_s_uncertainty),
       number("gpu_power_uncertainty", "1",
              "relative uncertainty of gpu_power_mean (and of the service's power): RMS out-of-sample error of "
              "the serving power anchors of its class; NaN: no band",
              &R::gpu_power_uncertainty),
       text("uncertainty_basis",
            "the fit groups of the bands; 'extrapolated from GROUP' when no anchor covers the "
            "service's GPU, precision or engine",
            &R::uncertainty_basis)},
      "name"};
  return table;
}

const RowTable<ServiceSampleRow>& service_sample_table() {
  using R = ServiceSampleRow;
  static const RowTable<ServiceSampleRow> table{
      "service_timeseries",
      "sample",
      {number("time", "s", "sample time", &R::time_s), text("service", "inference service name", &R::service),
       number("waiting", "1", "requests queued (routed, not admitted)", &R::waiting),
       number("running", "1", "requests admitted (prefilling or decoding)", &R::running),
       number("kv_use", "1", "KV-cache use / capacity (mean over replicas)", &R::kv_use),
       number("output_tokens_per_s", "token/s",
              "output tokens per second since the previous sample (fleet-scaled; a request's tokens counted at the "
              "midpoint of its decode)",
              &R::output_tokens_per_s),
       number("replicas", "1", "replicas serving at the sample (the autoscaler's; else the service's)", &R::replicas)},
      "time service"};
  return table;
}

}  // namespace clustersim
