#include "sim/results/run_summary.hpp"

namespace clustersim {

const std::vector<ScalarField<RunSummary>>& summary_fields() {
  using S = RunSummary;
  static const std::vector<ScalarField<RunSummary>> fields{
      {"duration", "s", "simulated duration", &S::duration_s},
      {"servers", "1", "servers", &S::servers},
      {"gpus", "1", "GPUs", &S::gpus},
      {"it_power_mean", "W", "mean IT power", &S::it_power_mean_w},
      {"it_power_peak", "W", "peak IT power (highest instantaneous GPU activity)", &S::it_power_peak_w},
      {"facility_power_mean", "W", "mean facility power", &S::facility_power_mean_w},
      {"facility_power_peak", "W",
       "peak facility power: the facility power of the IT peak (with a varying facility model, in the worst sampled "
       "interval)",
       &S::facility_power_peak_w},
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
      {"design_it_power", "W", "IT capacity the facility is built for (default: every GPU at its power limit)",
       &S::design_it_power_w},
      {"facility_power_provisioned", "W",
       "facility power at the design IT power in the worst hour of the year: what the grid connection must carry",
       &S::facility_power_provisioned_w},
      {"cooling_energy", "J", "cooling energy: chillers, fans, pumps, heat rejection (NaN: constant-pue)",
       &S::cooling_energy_j},
      {"electrical_loss_energy", "J", "transformer, UPS and distribution losses (NaN: constant-pue)",
       &S::electrical_loss_energy_j},
      {"carbon", "kg", "grid emissions of the facility energy, kgCO2e (NaN: no carbon region)", &S::carbon_kg},
      {"water", "L", "water consumed by the heat rejection (NaN: constant-pue)", &S::water_l},
      {"wue", "L/kWh", "water usage effectiveness: water / IT energy (NaN: constant-pue)", &S::wue_l_per_kwh},
  };
  return fields;
}

}  // namespace clustersim
