#pragma once
/// @file
/// Tracks the summed GPU activity of the cluster over simulated time and integrates it exactly
/// (activity is piecewise constant between calls). Jobs and replicas report their activity changes;
/// the sampler actor turns integrals into a power time series through ClusterPowerModel.
/// Invariants (xbt_assert, a broken one aborts: our bug, not the user's input): every call's time is at or
/// after the previous one's (per group for group_integral), activities are finite and >= 0, the summed
/// activity stays >= 0 (up to rounding), group ids exist.

#include <vector>

namespace clustersim {

class PowerTracker {
 public:
  /// Registers a group of `gpus` GPUs (a job, a replica) at activity 0; returns its id.
  int add_group(int gpus);
  /// Sets the activity (0..1) of every GPU of a group from now on.
  void set_activity(int group, double activity, double now_s);
  /// Integral of the summed activity from time 0 to `now_s`, GPU x s.
  double integral(double now_s);
  /// Integral of one group's activity from 0 to `now_s`, GPU x s.
  double group_integral(int group, double now_s);

  /// Highest summed activity seen so far.
  double peak_activity_sum() const { return peak_; }

 private:
  struct Group {
    int gpus = 0;
    double activity = 0;
    double integral = 0;
    double last_s = 0;
  };

  void advance(double now_s);
  void advance(Group& g, double now_s);
  Group& group(int id);

  std::vector<Group> groups_;
  int gpus_ = 0;  ///< GPUs of all groups
  double sum_ = 0;
  double peak_ = 0;
  double integral_ = 0;
  double last_s_ = 0;
};

}  // namespace clustersim
