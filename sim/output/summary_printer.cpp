#include "sim/output/summary_printer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "common/units.hpp"

namespace clustersim {

namespace {

std::string power(double w) { return format_quantity(w, Quantity::kPower); }

std::string energy(double j) { return format_quantity(j, Quantity::kEnergy); }

std::string ms(double s) { return std::isnan(s) ? "-" : fmt::format("{:.1f} ms", s * 1e3); }

std::string rate(double x) {
  if (std::isnan(x)) return "-";
  if (x >= 1e12) return fmt::format("{:.2f}T", x / 1e12);
  if (x >= 1e9) return fmt::format("{:.2f}B", x / 1e9);
  if (x >= 1e6) return fmt::format("{:.2f}M", x / 1e6);
  if (x >= 1e3) return fmt::format("{:.1f}k", x / 1e3);
  return fmt::format("{:.1f}", x);
}

/// "±8%" for a relative band, "±14%*" when it is extrapolated (no anchor of the class), "" when there is none.
std::string band(double relative, const std::string& basis = "") {
  if (std::isnan(relative)) return "";
  return fmt::format("±{:.0f}%{}", 100 * relative, basis.rfind("extrapolated", 0) == 0 ? "*" : "");
}

}  // namespace

std::string format_run_summary(const RunResults& r) {
  std::string out;
  const auto attr = [&](const std::string& k) {
    auto it = r.string_attrs.find(k);
    return it == r.string_attrs.end() ? std::string() : it->second;
  };
  out += fmt::format("clustersim {} — experiment '{}'\n", attr("tool_version"), attr("experiment"));
  if (!r.record) return out;
  const RunSummary& s = r.record->summary;
  out += fmt::format("  cluster   {:.0f} GPUs on {:.0f} servers, simulated {}\n", s.gpus, s.servers,
                     format_quantity(s.duration_s, Quantity::kTime));
  const std::string routing = attr("fabric_routing");
  out += fmt::format("  fabric    bisection {}, network power {}{}\n",
                     format_quantity(s.bisection_bandwidth_bps, Quantity::kBandwidth), power(s.network_power_w),
                     routing.empty() || routing == "ideal" ? std::string() : "; routing " + routing);
  const double link_bps = r.record->link_tiers.empty() ? 0 : r.record->link_tiers.front().link_bandwidth_bps;
  if (s.nic_bandwidth_bps < link_bps * (1 - 1e-9))
    out += fmt::format("  host      each NIC moves {} of its {} link: its host slot (PCIe) carries no more\n",
                       format_quantity(s.nic_bandwidth_bps, Quantity::kBandwidth),
                       format_quantity(link_bps, Quantity::kBandwidth));
  out += fmt::format("  power     IT mean {}{} (peak {}), facility mean {} (peak {}) at PUE {:.2f}\n",
                     power(s.it_power_mean_w),
                     std::isnan(s.it_power_uncertainty) ? std::string() : " " + band(s.it_power_uncertainty),
                     power(s.it_power_peak_w), power(s.facility_power_mean_w), power(s.facility_power_peak_w), s.pue);
  out += fmt::format(
      "  energy    IT {}, facility {}; {:.3g} J of facility energy per token trained or generated (prompt tokens "
      "not counted)\n",
      energy(s.it_energy_j), energy(s.facility_energy_j), s.energy_per_token_j);
  if (!std::isnan(s.tco_usd_per_hour))
    out += fmt::format(
        "  cost      capital ${:.4g}M (servers {:.4g}M, network {:.4g}M, facility {:.4g}M); TCO ${:.4g} per hour{}\n",
        (s.capital_servers_usd + s.capital_network_usd + s.capital_facility_usd) / 1e6, s.capital_servers_usd / 1e6,
        s.capital_network_usd / 1e6, s.capital_facility_usd / 1e6, s.tco_usd_per_hour,
        std::isnan(s.cost_per_million_tokens_usd)
            ? std::string()
            : fmt::format(", ${:.3g} per million tokens trained or generated", s.cost_per_million_tokens_usd));
  if (!std::isnan(s.cooling_energy_j))
    out += fmt::format(
        "  facility  cooling {}, electrical losses {}; provisioned {} for {} of design IT; carbon {:.4g} t CO2e, "
        "water {:.4g} m3 (WUE {:.2f} L/kWh)\n",
        energy(s.cooling_energy_j), energy(s.electrical_loss_energy_j), power(s.facility_power_provisioned_w),
        power(s.design_it_power_w), s.carbon_kg / 1000, s.water_l / 1000, s.wue_l_per_kwh);
  if (!std::isnan(s.facility_power_budget_w))
    out += fmt::format("  budget    facility {}: peak at {:.1f}%{}\n", power(s.facility_power_budget_w),
                       100 * s.facility_power_peak_w / s.facility_power_budget_w,
                       s.power_budget_exceeded_s > 0
                           ? ", above it for " + format_quantity(s.power_budget_exceeded_s, Quantity::kTime)
                           : std::string(", never above it"));
  if (!r.record->schedule_samples.empty()) {
    double peak_queue = 0;
    for (const auto& x : r.record->schedule_samples) peak_queue = std::max(peak_queue, x.queued_jobs);
    out += fmt::format(
        "  schedule  {:.0f} jobs submitted, {:.0f} started, {:.0f} finished; wait p50 {} p99 {}; training held "
        "{:.1f}% of GPU time; queue up to {:.1f} jobs\n",
        s.jobs_submitted, s.jobs_started, s.jobs_completed, format_quantity(s.job_wait_p50_s, Quantity::kTime),
        format_quantity(s.job_wait_p99_s, Quantity::kTime), 100 * s.training_gpu_allocation, peak_queue);
  }
  if (s.training_tokens_per_s + s.inference_output_tokens_per_s > 0) {
    double prompt_per_s = 0;
    for (const auto& v : r.record->services)
      prompt_per_s += std::isnan(v.input_tokens_per_s) ? 0 : v.input_tokens_per_s;
    out += fmt::format("  tokens    per day: training {}, serving {} generated{}\n",
                       rate(s.training_tokens_per_s * 86400), rate(s.inference_output_tokens_per_s * 86400),
                       prompt_per_s > 0 ? " + " + rate(prompt_per_s * 86400) + " prompt" : std::string());
  }
  if (!std::isnan(s.failures)) {  // failures.*: what they cost the training jobs
    double lost = 0, recovery = 0;
    for (const JobRow& j : r.record->jobs) {
      if (!std::isnan(j.lost_work_s)) lost += j.gpus * j.lost_work_s;
      if (!std::isnan(j.recovery_time_s)) recovery += j.gpus * j.recovery_time_s;
    }
    out += fmt::format(
        "  failures  {:.0f} component failures, {:.0f} job interruptions; training ETTR {}; lost work {:.0f} GPU-h, "
        "recovery {:.0f} GPU-h\n",
        s.failures, s.interruptions,
        std::isnan(s.training_ettr) ? std::string("n/a") : fmt::format("{:.3f}", s.training_ettr), lost / 3600,
        recovery / 3600);
  }
  if (const auto& pools = r.record->pools; pools.size() > 1) {
    out += fmt::format("\n  {:<12} {:<12} {:>7} {:>12} {:>12} {:>9} {:>10}\n", "pool", "accelerator", "GPUs",
                       "training GPU", "serving GPUs", "activity", "IT power");
    for (const PoolRow& p : pools)
      out += fmt::format(
          "  {:<12} {:<12} {:>7} {:>11.1f}% {:>12.0f} {:>8.1f}% {:>10}\n", p.name, p.gpu, p.gpus,
          p.gpus > 0 && s.duration_s > 0 ? 100 * p.training_gpu_hours * 3600 / (p.gpus * s.duration_s) : 0.0,
          p.serving_gpus, 100 * p.gpu_activity, power(p.it_power_mean_w));
  }

  if (const auto& jobs = r.record->jobs; !jobs.empty()) {
    out += fmt::format("\n  {:<20} {:>7} {:>10} {:<6} {:>10} {:>10} {:>8} {:>10} {:>6} {:>8} {:>8}\n", "training job",
                       "GPUs", "step", "", "exp. comm", "bubble", "mem/GPU", "tokens/s", "MFU", "TFLOP/s", "J/token");
    constexpr size_t kMaxJobLines = 20;
    size_t shown = 0;
    for (const JobRow& j : jobs) {
      if (++shown > kMaxJobLines) {
        out += fmt::format("  ... and {} more jobs (the results file's `jobs` table has them all)\n",
                           jobs.size() - kMaxJobLines);
        break;
      }
      // Exposed communication: tensor-parallel plus what overlap leaves of the DP, PP and EP phases.
      double comm = j.tp_comm_time_s;
      for (double x : {j.exposed_dp_time_s, j.exposed_pp_time_s, j.exposed_ep_time_s})
        if (!std::isnan(x)) comm += x;
      out += fmt::format("  {:<20} {:>7} {:>10} {:<6} {:>10} {:>10} {:>5.1f} GB {:>10} {:>5.1f}% {:>8.0f} {:>8.3g}\n",
                         j.name, j.gpus, ms(j.step_time_s), band(j.step_time_uncertainty, j.uncertainty_basis),
                         ms(comm), ms(j.bubble_time_s), j.memory_per_gpu_bytes / 1e9, rate(j.tokens_per_s), 100 * j.mfu,
                         j.model_flops_per_gpu / 1e12, j.energy_per_token_j);
    }
    for (const JobRow& j : jobs) {
      if (!std::isnan(j.tokens_per_step_requested) && j.tokens_per_step_requested != j.tokens_per_step)
        out += fmt::format(
            "  note: {} trains {} tokens per step: tokens_per_step {} rounded to whole micro-batches "
            "per data-parallel replica\n",
            j.name, rate(j.tokens_per_step), rate(j.tokens_per_step_requested));
    }
  }
  if (const auto& services = r.record->services; !services.empty()) {
    out += fmt::format("\n  {:<20} {:>8} {:>9} {:>10} {:<6} {:>10} {:>10} {:>9} {:>9} {:>6} {:>9} {:<6} {:>9}\n",
                       "inference service", "replicas", "requests", "out tok/s", "", "TTFT p50", "TTFT p99", "TPOT p50",
                       "TPOT p99", "batch", "power", "", "J/out tok");
    for (const ServiceRow& v : services) {
      // The basis lists the throughput band's group, then the power band's ("; "-separated).
      const std::string& basis = v.uncertainty_basis;
      const size_t split = basis.find("; ");
      const std::string power_basis = split == std::string::npos ? basis : basis.substr(split + 2);
      out += fmt::format("  {:<20} {:>8} {:>9} {:>10} {:<6} {:>10} {:>10} {:>9} {:>9} {:>5.0f}% {:>9} {:<6} {:>9.3g}\n",
                         v.name, v.replicas, v.completed, rate(v.output_tokens_per_s),
                         band(v.output_tokens_per_s_uncertainty, basis), ms(v.ttft_p50_s), ms(v.ttft_p99_s),
                         ms(v.tpot_p50_s), ms(v.tpot_p99_s), 100 * v.batch_occupancy, power(v.power_mean_w),
                         band(v.gpu_power_uncertainty, power_basis), v.energy_per_output_token_j);
    }
    out += "  (batch: running sequences / max_batch; power and J per generated token: facility, the service's share)\n";
  }
  bool banded = !std::isnan(s.it_power_uncertainty);
  for (const JobRow& j : r.record->jobs) banded = banded || !std::isnan(j.step_time_uncertainty);
  for (const ServiceRow& v : r.record->services) banded = banded || !std::isnan(v.output_tokens_per_s_uncertainty);
  if (banded)
    out +=
        "  (±: root mean square of the out-of-sample errors of the validation anchors of the same class, "
        "data/validation/bands.yaml; *: no anchor of this GPU, precision or engine, the widest band of its kind)\n";
  return out;
}

}  // namespace clustersim
