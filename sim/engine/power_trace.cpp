#include "sim/engine/power_trace.hpp"

#include <algorithm>
#include <cmath>

namespace clustersim {

namespace {

/// Adds `gpus` x the activity of one group's state over [t0, t1) into the bins.
void add_state(const PowerTracker::WindowEvent& e, int gpus, double t0, double t1, double start_s, double res_s,
               std::vector<double>& bins) {
  if (t1 <= t0) return;
  const size_t first = static_cast<size_t>(std::max(0.0, std::floor((t0 - start_s) / res_s)));
  for (size_t b = first; b < bins.size(); ++b) {
    const double lo = std::max(t0, start_s + b * res_s), hi = std::min(t1, start_s + (b + 1) * res_s);
    if (hi <= lo) {
      if (start_s + b * res_s >= t1) break;
      continue;
    }
    const double integral = e.waveform != nullptr ? e.waveform->integral_to(hi - e.phase_start_s) -
                                                        e.waveform->integral_to(lo - e.phase_start_s)
                                                  : e.activity * (hi - lo);
    bins[b] += gpus * integral;
  }
}

}  // namespace

std::vector<std::vector<double>> window_activity(PowerTracker& tracker, double start_s, double end_s,
                                                 double resolution_s, int pools) {
  const size_t n = static_cast<size_t>(std::ceil((end_s - start_s) / resolution_s - 1e-9));
  std::vector<std::vector<double>> by_pool(std::max(1, pools), std::vector<double>(n, 0.0));
  const std::vector<PowerTracker::WindowEvent>& events = tracker.window_events();
  // Each group's state since its last change.
  std::vector<PowerTracker::WindowEvent> state(tracker.groups());
  std::vector<double> since(tracker.groups(), start_s);
  std::vector<bool> known(tracker.groups(), false);
  const auto flush = [&](int g, double until) {
    if (!known[g]) return;
    const int pool = std::min(tracker.group_pool(g), static_cast<int>(by_pool.size()) - 1);
    add_state(state[g], tracker.group_gpus(g), since[g], std::min(until, end_s), start_s, resolution_s, by_pool[pool]);
  };
  for (const PowerTracker::WindowEvent& e : events) {
    if (e.at_s >= end_s) break;
    flush(e.group, e.at_s);
    state[e.group] = e;
    since[e.group] = std::max(start_s, e.at_s);
    known[e.group] = true;
  }
  for (int g = 0; g < tracker.groups(); ++g) flush(g, end_s);
  for (auto& bins : by_pool)
    for (size_t b = 0; b < bins.size(); ++b)  // the last bin may end at end_s, before a whole resolution
      bins[b] /= std::min(resolution_s, end_s - (start_s + static_cast<double>(b) * resolution_s));
  return by_pool;
}

PowerTrace build_power_trace(PowerTracker& tracker, const ClusterPowerModel& power, const ExperimentSpec& spec,
                             double end_s) {
  PowerTrace t;
  const OutputSpec& o = spec.output;
  const double start = o.power_trace_start_s, end = std::min(end_s, o.power_trace_start_s + o.power_trace_duration_s);
  if (o.power_trace_duration_s <= 0 || end <= start) return t;
  t.start_s = start;
  t.resolution_s = o.power_trace_resolution_s;
  const int pools = static_cast<int>(power.params().pools.size());
  const std::vector<std::vector<double>> activity = window_activity(tracker, start, end, t.resolution_s, pools);
  const size_t n = activity.front().size();
  std::vector<double> sums(pools, 0.0);
  for (size_t b = 0; b < n; ++b) {
    for (int p = 0; p < pools; ++p) sums[p] = activity[p][b];
    const PowerBreakdown pb = power.at(sums, start + (b + 0.5) * t.resolution_s);
    t.it_w.push_back(pb.it_w);
    t.facility_w.push_back(pb.facility_w);
  }
  const FacilitySpec& f = spec.facility;
  const StorageResult grid =
      smooth_with_storage(t.facility_w, t.resolution_s,
                          {f.storage_energy_j, f.storage_power_w, f.storage_efficiency, f.storage_smoothing_s});
  t.grid_w = grid.grid_w;
  t.storage_loss_j = grid.loss_j;
  t.site = power_swing_stats(t.facility_w, t.resolution_s);
  t.grid = power_swing_stats(t.grid_w, t.resolution_s);
  return t;
}

}  // namespace clustersim
