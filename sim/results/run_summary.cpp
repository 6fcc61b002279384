#include "sim/results/run_summary.hpp"

namespace clustersim {

const std::vector<ScalarField<RunSummary>>& summary_fields() {
  using S = RunSummary;
  static const std::vector<ScalarField<RunSummary>> fields{
      {"duration", "s", "simulated duration", &S::duration_s},
      {"servers", "1", "servers", &S::servers},
      {"gpus", "1", "GPUs", &S::gpus},
      {"it_power_mean", "W", "mean IT power", &S::it_power_mean_w},
      {"it_power_peak", "W", "peak IT power: every job at the top of its step's power swing", &S::it_power_peak_w},
      {"facility_power_mean", "W", "mean facility power", &S::facility_power_mean_w},
      {"facility_power_peak", "W", "peak facility power", &S::facility_power_peak_w},
      {"gpu_power_mean", "W", "mean GPU power", &S::gpu_power_mean_w},
      {"network_power", "W", "network power (switches, transceivers, NICs)", &S::network_power_w},
      {"it_energy", "J", "IT energy", &S::it_energy_j},
      {"facility_energy", "J", "facility energy", &S::facility_energy_j},
      {"pue", "1", "power usage effectiveness", &S::pue},
      {"training_tokens_per_s", "token/s", "training tokens per second (all jobs)", &S::training_tokens_per_s},
      {"inference_output_tokens_per_s", "token/s", "generated tokens per second (all services)",
       &S::inference_output_tokens_per_s},
      {"energy_per_token", "J/token", "facility energy per token (training tokens + generated tokens)",
       &S::energy_per_token_j},
      {"bisection_bandwidth", "bit/s", "fabric bisection bandwidth", &S::bisection_bandwidth_bps},
      {"jobs_submitted", "1", "training jobs submitted", &S::jobs_submitted},
      {"jobs_started", "1", "training jobs that started", &S::jobs_started},
      {"jobs_completed", "1", "training jobs that finished their steps", &S::jobs_completed},
      {"job_wait_p50", "s", "median queue wait of the jobs that started", &S::job_wait_p50_s},
      {"job_wait_p99", "s", "99th percentile queue wait of the jobs that started", &S::job_wait_p99_s},
      {"training_gpu_allocation", "1", "GPU time held by training jobs / (cluster GPUs x duration)",
       &S::training_gpu_allocation},
      {"facility_power_budget", "W", "the site's facility power budget (NaN: none)", &S::facility_power_budget_w},
      {"power_budget_exceeded", "s",
       "time whose facility power (mean over each sampling interval) is above the budget (NaN: no budget)",
       &S::power_budget_exceeded_s},
      {"trace_power_peak", "W", "highest facility power of the power trace's bins (NaN: no trace)",
       &S::trace_power_peak_w},
      {"trace_power_min", "W", "lowest facility power of the power trace's bins", &S::trace_power_min_w},
      {"trace_ramp_max", "W/s", "fastest facility power change between two bins of the trace",
       &S::trace_ramp_max_w_per_s},
      {"trace_swing", "W", "facility power swing over the trace (peak - min)", &S::trace_swing_w},
      {"trace_swing_frequency", "Hz", "main frequency of the trace's swings (largest Fourier component)",
       &S::trace_swing_frequency_hz},
      {"grid_power_peak", "W", "highest power drawn from the grid over the trace (after storage)",
       &S::grid_power_peak_w},
      {"grid_swing", "W", "swing of the grid's power over the trace (after storage)", &S::grid_swing_w},
      {"grid_ramp_max", "W/s", "fastest change of the grid's power over the trace (after storage)",
       &S::grid_ramp_max_w_per_s},
      {"storage_loss_energy", "J", "energy lost in the battery over the trace (0: no storage)",
       &S::storage_loss_energy_j},
      {"budget_cap_fraction", "1",
       "facility.budget_policy cap: every GPU's power cap / its board limit (1: the budget needs none; NaN: not "
       "that policy)",
       &S::budget_cap_fraction},
      {"node_power_mean", "W", "mean power per server: its GPUs and its non-GPU overhead (no network)",
       &S::node_power_mean_w},
  };
  return fields;
}

}  // namespace clustersim
