#include "sim/engine/power_tracker.hpp"

#include <algorithm>

namespace clustersim {

int PowerTracker::add_group(int gpus) {
  groups_.push_back({gpus, 0, 0, last_s_});
  return static_cast<int>(groups_.size()) - 1;
}

void PowerTracker::advance(double now_s) {
  integral_ += sum_ * (now_s - last_s_);
  last_s_ = now_s;
}

void PowerTracker::advance(Group& g, double now_s) {
  g.integral += g.gpus * g.activity * (now_s - g.last_s);
  g.last_s = now_s;
}

void PowerTracker::set_activity(int group, double activity, double now_s) {
  Group& g = groups_.at(group);
  advance(now_s);
  advance(g, now_s);
  sum_ += g.gpus * (activity - g.activity);
  g.activity = activity;
  peak_ = std::max(peak_, sum_);
}

double PowerTracker::integral(double now_s) {
  advance(now_s);
  return integral_;
}

double PowerTracker::group_integral(int group, double now_s) {
  Group& g = groups_.at(group);
  advance(g, now_s);
  return g.integral;
}

}  // namespace clustersim
