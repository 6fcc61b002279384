#include "sim/output/summary_printer.hpp"

#include <fmt/format.h>

#include <cmath>

#include "common/units.hpp"

namespace clustersim {

namespace {

double summary_value(const RunResults& r, const std::string& name) {
  for (const auto& s : r.summary)
    if (s.name == name) return s.value;
  return std::nan("");
}

const TableResult* table(const RunResults& r, const std::string& group) {
  for (const auto& t : r.tables)
    if (t.group == group) return &t;
  return nullptr;
}

/// Element `i` of a numeric column, NaN when the column is absent.
double value_at(const std::vector<double>& v, size_t i) { return i < v.size() ? v[i] : std::nan(""); }

template <typename T>
const std::vector<T>& column(const TableResult& t, const std::string& name) {
  for (const auto& c : t.columns)
    if (c.name == name) return std::get<std::vector<T>>(c.values);
  static const std::vector<T> empty;
  return empty;
}

std::string power(double w) { return format_quantity(w, Quantity::kPower); }
std::string energy(double j) { return format_quantity(j, Quantity::kEnergy); }
std::string ms(double s) { return std::isnan(s) ? "-" : fmt::format("{:.1f} ms", s * 1e3); }
std::string rate(double x) {
  if (std::isnan(x)) return "-";
  if (x >= 1e6) return fmt::format("{:.2f}M", x / 1e6);
  if (x >= 1e3) return fmt::format("{:.1f}k", x / 1e3);
  return fmt::format("{:.1f}", x);
}

}  // namespace

std::string format_run_summary(const RunResults& r) {
  std::string out;
  const auto attr = [&](const std::string& k) {
    auto it = r.string_attrs.find(k);
    return it == r.string_attrs.end() ? std::string() : it->second;
  };
  out += fmt::format("clustersim {} — experiment '{}'\n", attr("tool_version"), attr("experiment"));
  out += fmt::format("  cluster   {:.0f} GPUs on {:.0f} servers, simulated {}\n", summary_value(r, "gpus"),
                     summary_value(r, "servers"), format_quantity(summary_value(r, "duration"), Quantity::kTime));
  out += fmt::format("  fabric    bisection {}, network power {}\n",
                     format_quantity(summary_value(r, "bisection_bandwidth"), Quantity::kBandwidth),
                     power(summary_value(r, "network_power")));
  out += fmt::format("  power     IT mean {} (peak {}), facility mean {} (peak {}) at PUE {:.2f}\n",
                     power(summary_value(r, "it_power_mean")), power(summary_value(r, "it_power_peak")),
                     power(summary_value(r, "facility_power_mean")), power(summary_value(r, "facility_power_peak")),
                     summary_value(r, "pue"));
  out += fmt::format("  energy    IT {}, facility {}, {:.3g} J per token\n", energy(summary_value(r, "it_energy")),
                     energy(summary_value(r, "facility_energy")), summary_value(r, "energy_per_token"));

  if (const TableResult* jobs = table(r, "jobs"); jobs && !column<std::string>(*jobs, "name").empty()) {
    const auto& name = column<std::string>(*jobs, "name");
    const auto& gpus = column<int64_t>(*jobs, "gpus");
    const auto num = [&](const char* c, size_t i) { return value_at(column<double>(*jobs, c), i); };
    out += fmt::format("\n  {:<20} {:>7} {:>10} {:>10} {:>10} {:>8} {:>10} {:>6} {:>8} {:>8}\n", "training job", "GPUs",
                       "step", "exp. comm", "bubble", "mem/GPU", "tokens/s", "MFU", "TFLOP/s", "J/token");
    for (size_t i = 0; i < name.size(); ++i) {
      // Exposed communication: tensor-parallel plus what overlap leaves of the DP, PP and EP phases.
      double comm = num("tp_comm_time", i);
      for (const char* c : {"exposed_dp_time", "exposed_pp_time", "exposed_ep_time"})
        if (!std::isnan(num(c, i))) comm += num(c, i);
      out += fmt::format("  {:<20} {:>7} {:>10} {:>10} {:>10} {:>5.1f} GB {:>10} {:>5.1f}% {:>8.0f} {:>8.3g}\n",
                         name[i], gpus[i], ms(num("step_time", i)), ms(comm), ms(num("bubble_time", i)),
                         num("memory_per_gpu", i) / 1e9, rate(num("tokens_per_s", i)), 100 * num("mfu", i),
                         num("model_flops_per_gpu", i) / 1e12, num("energy_per_token", i));
    }
    for (size_t i = 0; i < name.size(); ++i) {
      const double asked = num("tokens_per_step_requested", i), trained = num("tokens_per_step", i);
      if (!std::isnan(asked) && asked != trained)
        out += fmt::format("  note: {} trains {} tokens per step: tokens_per_step {} rounded to whole micro-batches "
                           "per data-parallel replica\n",
                           name[i], rate(trained), rate(asked));
    }
  }
  if (const TableResult* svc = table(r, "services"); svc && !column<std::string>(*svc, "name").empty()) {
    const auto& name = column<std::string>(*svc, "name");
    const auto& reps = column<int64_t>(*svc, "replicas");
    const auto& done = column<int64_t>(*svc, "completed");
    const auto& out_tps = column<double>(*svc, "output_tokens_per_s");
    const auto& t50 = column<double>(*svc, "ttft_p50");
    const auto& t99 = column<double>(*svc, "ttft_p99");
    const auto& p50 = column<double>(*svc, "tpot_p50");
    const auto& p99 = column<double>(*svc, "tpot_p99");
    const auto& ept = column<double>(*svc, "energy_per_output_token");
    out += fmt::format("\n  {:<20} {:>8} {:>9} {:>10} {:>10} {:>10} {:>9} {:>9} {:>9}\n", "inference service",
                       "replicas", "requests", "out tok/s", "TTFT p50", "TTFT p99", "TPOT p50", "TPOT p99",
                       "J/token");
    for (size_t i = 0; i < name.size(); ++i)
      out += fmt::format("  {:<20} {:>8} {:>9} {:>10} {:>10} {:>10} {:>9} {:>9} {:>9.3g}\n", name[i], reps[i],
                         done[i], rate(out_tps[i]), ms(t50[i]), ms(t99[i]), ms(p50[i]), ms(p99[i]), ept[i]);
  }
  return out;
}

}  // namespace clustersim
