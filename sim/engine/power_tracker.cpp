#include "sim/engine/power_tracker.hpp"

#include <xbt/asserts.h>
#include <xbt/log.h>

#include <algorithm>
#include <cmath>
#include <limits>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(cs_power_tracker, clustersim, "GPU activity integrals of the power groups");

namespace clustersim {

namespace {

/// Rounding allowed below zero, per GPU: activities are sums and differences of doubles.
constexpr double kActivityRounding = 1e-9;

}  // namespace

int PowerTracker::add_group(int gpus, int pool) {
  xbt_assert(gpus >= 0 && pool >= 0, "internal error: a power group of %d GPUs in pool %d", gpus, pool);
  groups_.push_back({gpus, pool, 0, 0, last_s_});
  if (static_cast<size_t>(pool) >= pool_sum_.size()) {
    pool_sum_.resize(pool + 1, 0);
    pool_integral_.resize(pool + 1, 0);
    peak_by_pool_.resize(pool + 1, 0);
    pool_swing_.resize(pool + 1, 0);
  }
  gpus_ += gpus;
  XBT_DEBUG("power group %zu: %d GPUs", groups_.size() - 1, gpus);
  return static_cast<int>(groups_.size()) - 1;
}

void PowerTracker::advance(double now_s) {
  xbt_assert(now_s >= last_s_, "internal error: power tracker asked at %.17g s after %.17g s (time runs backwards)",
             now_s, last_s_);
  integral_ += sum_ * (now_s - last_s_);
  for (size_t p = 0; p < pool_sum_.size(); ++p) pool_integral_[p] += pool_sum_[p] * (now_s - last_s_);
  last_s_ = now_s;
}

void PowerTracker::advance(Group& g, double now_s) {
  xbt_assert(now_s >= g.last_s, "internal error: power group asked at %.17g s after %.17g s (time runs backwards)",
             now_s, g.last_s);
  g.integral += g.gpus * g.activity * (now_s - g.last_s);
  g.last_s = now_s;
}

PowerTracker::Group& PowerTracker::group(int id) {
  xbt_assert(id >= 0 && static_cast<size_t>(id) < groups_.size(), "internal error: power group %d of %zu", id,
             groups_.size());
  return groups_[id];
}

void PowerTracker::apply_due(double now_s) {
  for (;;) {
    std::deque<Pending>* next = nullptr;  // the timeline whose first change comes first (then: announced first)
    for (auto& t : timelines_)
      if (!t.empty() && t.front().at_s <= now_s &&
          (next == nullptr || t.front().at_s < next->front().at_s ||
           (t.front().at_s == next->front().at_s && t.front().seq < next->front().seq)))
        next = &t;
    if (next == nullptr) return;
    const Pending p = next->front();
    next->pop_front();
    apply(p.group, p.activity, p.at_s);
  }
}

int PowerTracker::add_timeline() {
  timelines_.emplace_back();
  return static_cast<int>(timelines_.size()) - 1;
}

void PowerTracker::set_activity_at(int timeline, int id, double activity, double at_s) {
  xbt_assert(timeline >= 0 && static_cast<size_t>(timeline) < timelines_.size(), "internal error: timeline %d of %zu",
             timeline, timelines_.size());
  std::deque<Pending>& t = timelines_[timeline];
  xbt_assert(at_s >= last_s_ && (t.empty() || at_s >= t.back().at_s),
             "internal error: power group %d announced for %.17g s after %.17g s (time runs backwards)", id, at_s,
             t.empty() ? last_s_ : std::max(last_s_, t.back().at_s));
  t.push_back({at_s, next_seq_++, id, activity});
}

void PowerTracker::set_activity(int id, double activity, double now_s) {
  apply_due(now_s);
  apply(id, activity, now_s);
}

double PowerTracker::peak_activity_sum() {
  apply_due(std::numeric_limits<double>::infinity());
  return peak_;
}

void PowerTracker::apply(int id, double activity, double now_s, std::shared_ptr<const PowerWaveform> waveform) {
  Group& g = group(id);
  xbt_assert(std::isfinite(activity) && activity >= -kActivityRounding,
             "internal error: power group %d set to activity %g (not >= 0) at %g s", id, activity, now_s);
  if (window_end_s_ > window_start_s_ && now_s >= window_start_s_) {
    if (!window_snapshot_) snapshot_window();  // the state at the window's start: no change since
    if (now_s < window_end_s_) window_.push_back({now_s, id, activity, waveform, now_s});
  }
  advance(now_s);
  advance(g, now_s);
  sum_ += g.gpus * (activity - g.activity);
  pool_sum_[g.pool] += g.gpus * (activity - g.activity);
  g.activity = activity;
  const double swing = waveform != nullptr ? std::max(0.0, waveform->max_activity() - activity) : 0.0;
  pool_swing_[g.pool] += g.gpus * (swing - g.swing);
  g.swing = swing;
  g.waveform = std::move(waveform);
  g.phase_start_s = now_s;
  xbt_assert(sum_ >= -kActivityRounding * std::max(1, gpus_),
             "internal error: summed GPU activity %g < 0 after group %d set to %g at %g s", sum_, id, activity, now_s);
  // The peak: every group at the top of its swing.
  double envelope = sum_, weighted = 0;
  for (size_t p = 0; p < pool_sum_.size(); ++p) {
    envelope += pool_swing_[p];
    if (pool_weight_.size() >= 2) weighted += (pool_sum_[p] + pool_swing_[p]) * pool_weight_.at(p);
  }
  if (pool_weight_.size() < 2) weighted = envelope;
  if (weighted > peak_weighted_) {
    peak_weighted_ = weighted;
    peak_ = envelope;
    peak_by_pool_ = pool_sum_;
    for (size_t p = 0; p < pool_sum_.size(); ++p) peak_by_pool_[p] += pool_swing_[p];
  }
}

void PowerTracker::set_pool_weights(std::vector<double> watts_per_activity) {
  pool_weight_ = std::move(watts_per_activity);
  if (pool_sum_.size() < pool_weight_.size()) {
    pool_sum_.resize(pool_weight_.size(), 0);
    pool_integral_.resize(pool_weight_.size(), 0);
    peak_by_pool_.resize(pool_weight_.size(), 0);
    pool_swing_.resize(pool_weight_.size(), 0);
  }
}

void PowerTracker::set_waveform(int id, std::shared_ptr<const PowerWaveform> waveform, double now_s) {
  xbt_assert(waveform != nullptr, "internal error: power group %d given no waveform", id);
  apply_due(now_s);
  const double mean = waveform->mean_activity();
  apply(id, mean, now_s, std::move(waveform));
}

void PowerTracker::record_window(double start_s, double end_s) {
  xbt_assert(end_s > start_s && start_s >= last_s_, "internal error: power window %g..%g s", start_s, end_s);
  window_start_s_ = start_s;
  window_end_s_ = end_s;
}

void PowerTracker::snapshot_window() {
  window_snapshot_ = true;
  std::vector<WindowEvent> state;
  for (size_t i = 0; i < groups_.size(); ++i) {
    const Group& g = groups_[i];
    state.push_back({window_start_s_, static_cast<int>(i), g.activity, g.waveform, g.phase_start_s});
  }
  window_.insert(window_.begin(), state.begin(), state.end());
}

const std::vector<PowerTracker::WindowEvent>& PowerTracker::window_events() {
  apply_due(std::numeric_limits<double>::infinity());
  if (window_end_s_ > window_start_s_ && !window_snapshot_) snapshot_window();
  return window_;
}

std::vector<double> PowerTracker::pool_integrals(double now_s) {
  integral(now_s);
  return pool_integral_;
}

std::vector<double> PowerTracker::peak_activity_by_pool() {
  apply_due(std::numeric_limits<double>::infinity());
  return peak_by_pool_;
}

std::vector<double> PowerTracker::envelope_by_pool(double now_s) {
  apply_due(now_s);
  std::vector<double> out = pool_sum_;
  for (size_t p = 0; p < out.size(); ++p) out[p] += pool_swing_[p];
  return out;
}

double PowerTracker::integral(double now_s) {
  apply_due(now_s);
  advance(now_s);
  return integral_;
}

double PowerTracker::group_integral(int id, double now_s) {
  apply_due(now_s);
  Group& g = group(id);
  advance(g, now_s);
  return g.integral;
}

}  // namespace clustersim
