#include "models/inference/autoscaler.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace clustersim {

size_t ReplicaPlan::step_at(double t) const {
  const auto it = std::upper_bound(time_s.begin(), time_s.end(), t);
  return it == time_s.begin() ? 0 : static_cast<size_t>(it - time_s.begin()) - 1;
}

double ReplicaPlan::mean_allocated(double t0, double t1) const {
  if (!(t1 > t0)) return allocated_at(t0);
  double sum = 0;
  for (size_t i = step_at(t0); i < time_s.size() && time_s[i] < t1; ++i) {
    const double from = std::max(t0, time_s[i]);
    const double to = i + 1 < time_s.size() ? std::min(t1, time_s[i + 1]) : t1;
    if (to > from) sum += allocated[i] * (to - from);
  }
  return sum / (t1 - t0);
}

namespace {

void check(const AutoscalerParams& p) {
  if (p.min_replicas < 1 || p.max_replicas < p.min_replicas || p.replicas_per_server < 1 ||
      !(p.target_rate_per_replica > 0) || !(p.interval_s > 0) || !(p.startup_s >= 0) || p.startup_s >= p.interval_s)
    throw std::invalid_argument("autoscaler: inconsistent parameters");
}

size_t intervals(const AutoscalerParams& p) {
  const double span = std::max(0.0, p.end_s - p.start_s);
  return std::max<size_t>(static_cast<size_t>(std::ceil(span / p.interval_s - 1e-12)), 1);
}

}  // namespace

void count_requests(const AutoscalerParams& p, const std::vector<double>& arrival_s, double fleet_per_arrival,
                    std::vector<double>& counts) {
  check(p);
  counts.resize(intervals(p), 0);
  for (double t : arrival_s) {
    if (t < p.start_s || t >= p.end_s) continue;
    const size_t i = std::min(counts.size() - 1, static_cast<size_t>((t - p.start_s) / p.interval_s));
    counts[i] += fleet_per_arrival;
  }
}

ReplicaPlan plan_replicas(const AutoscalerParams& p, const std::vector<double>& arrival_s, double fleet_per_arrival) {
  std::vector<double> counts;
  count_requests(p, arrival_s, fleet_per_arrival, counts);
  return plan_from_counts(p, counts);
}

ReplicaPlan plan_from_counts(const AutoscalerParams& p, const std::vector<double>& count) {
  check(p);
  const int m = p.replicas_per_server;
  auto size_for = [&](double rate_per_s) {
    const double need = std::ceil(rate_per_s / p.target_rate_per_replica - 1e-9);
    const double servers = std::ceil(std::max(0.0, need) / m - 1e-9);
    const double replicas = std::min(static_cast<double>(p.max_replicas), servers * m);
    return std::max(p.min_replicas, static_cast<int>(replicas));
  };
  const size_t n = intervals(p);
  if (count.size() != n) throw std::invalid_argument("autoscaler: counts of another run");
  auto rate = [&](size_t i) {
    const double t0 = p.start_s + i * p.interval_s, t1 = std::min(p.end_s, t0 + p.interval_s);
    return t1 > t0 ? count[i] / (t1 - t0) : 0.0;
  };
  ReplicaPlan plan;
  auto push = [&](double t, int allocated, int active) {
    if (!plan.time_s.empty() && plan.time_s.back() == t) {
      plan.allocated.back() = allocated;
      plan.active.back() = active;
      return;
    }
    if (!plan.time_s.empty() && plan.allocated.back() == allocated && plan.active.back() == active) return;
    plan.time_s.push_back(t);
    plan.allocated.push_back(allocated);
    plan.active.push_back(active);
  };
  int allocated = size_for(rate(0));
  push(p.start_s, allocated, allocated);
  const double span = std::max(0.0, p.end_s - p.start_s);
  const size_t decisions = static_cast<size_t>(std::ceil(span / p.interval_s - 1e-12));
  for (size_t i = 1; i < decisions; ++i) {
    const double t = p.start_s + i * p.interval_s;
    const int want = size_for(rate(i - 1));
    if (want < allocated) {
      allocated = want;
      push(t, allocated, allocated);
    } else if (want > allocated) {
      const int before = allocated;
      allocated = want;
      push(t, allocated, before);
      if (t + p.startup_s < p.end_s) push(t + p.startup_s, allocated, allocated);
    }
  }
  return plan;
}

}  // namespace clustersim
