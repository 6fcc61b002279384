#include "models/power/gpu_power.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace clustersim {

GpuPowerParams gpu_power_params(const AcceleratorSpec& gpu, const CalibrationSpec& c, double cap_w) {
  GpuPowerParams p;
  p.idle_w = gpu.idle_w;
  p.tdp_w = gpu.tdp_w;
  p.cap_w = cap_w;
  p.busy_activity = c.power_busy_activity;
  p.compute_activity = c.power_compute_activity;
  p.memory_activity = c.power_memory_activity;
  p.communication_activity = c.activity_communication;
  p.dvfs_exponent = c.power_dvfs_exponent;
  p.min_clock_ratio = c.power_min_clock_ratio;
  return p;
}

GpuPowerModel::GpuPowerModel(const GpuPowerParams& params) : p_(params) {
  const auto bad = [](double v) { return !std::isfinite(v) || v < 0; };
  if (bad(p_.idle_w) || bad(p_.tdp_w) || p_.tdp_w <= p_.idle_w)
    throw std::invalid_argument("GPU power: TDP " + std::to_string(p_.tdp_w) + " W must exceed idle " +
                                std::to_string(p_.idle_w) + " W");
  if (bad(p_.busy_activity) || bad(p_.compute_activity) || bad(p_.memory_activity) || bad(p_.communication_activity) ||
      bad(p_.cap_w))
    throw std::invalid_argument("GPU power: activities and the cap must be finite and >= 0");
  if (!std::isfinite(p_.dvfs_exponent) || p_.dvfs_exponent < 1)
    throw std::invalid_argument("GPU power: the DVFS exponent must be >= 1");
  if (!(p_.min_clock_ratio > 0 && p_.min_clock_ratio <= 1))
    throw std::invalid_argument("GPU power: the minimum clock ratio must be in (0, 1]");
  if (p_.cap_w > 0 && p_.cap_w < p_.tdp_w) {
    if (p_.cap_w <= p_.idle_w)
      throw std::invalid_argument("GPU power: a cap of " + std::to_string(p_.cap_w) + " W is not above idle (" +
                                  std::to_string(p_.idle_w) + " W)");
    cap_activity_ = (p_.cap_w - p_.idle_w) / (p_.tdp_w - p_.idle_w);
  }
}

double GpuPowerModel::demand(const GpuLoad& load) const {
  const PowerDemand d = split_demand(load);
  return d.scalable + d.fixed;
}

PowerDemand GpuPowerModel::split_demand(const GpuLoad& load) const {
  return {p_.busy_activity + p_.compute_activity * load.compute_utilization,
          p_.memory_activity * load.memory_utilization};
}

double GpuPowerModel::at_tdp(const PowerDemand& d) {
  // The scale the board already applies at its own limit (a power-limited GEMM); the cap's comes on top.
  return d.scalable > 0 ? std::min(1.0, std::max(0.0, 1.0 - d.fixed) / d.scalable) : 1.0;
}

double GpuPowerModel::demand_clock_ratio(const PowerDemand& d) const {
  if (d.scalable <= 0 || d.scalable + d.fixed <= cap_activity_) return 1;
  const double scale = at_tdp(d);
  if (scale <= 0) return p_.min_clock_ratio;
  const double room = std::max(0.0, cap_activity_ - d.fixed);
  const double r = std::pow(room / (d.scalable * scale), 1.0 / p_.dvfs_exponent);
  return std::clamp(r, p_.min_clock_ratio, 1.0);
}

double GpuPowerModel::demand_activity(const PowerDemand& d) const {
  if (d.scalable + d.fixed <= cap_activity_) return d.scalable + d.fixed;
  const double r = demand_clock_ratio(d);
  if (r > p_.min_clock_ratio) return cap_activity_;
  // At the lowest clock: what the scaled phase still draws (may stay above the cap).
  return std::min(1.0, d.scalable * at_tdp(d) * std::pow(r, p_.dvfs_exponent) + d.fixed);
}

double GpuPowerModel::communication_activity() const { return std::min(p_.communication_activity, cap_activity_); }

}  // namespace clustersim
