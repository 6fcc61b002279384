#pragma once
/// @file
/// Tracks the summed GPU activity of the cluster over simulated time and integrates it exactly
/// (activity is piecewise constant between calls). Jobs and replicas report their activity changes;
/// the sampler actor turns integrals into a power time series through ClusterPowerModel.
/// Changes may also be announced ahead of time (set_activity_at: a colocated inference service that runs its
/// events ahead of SimGrid's clock, sim/engine/inference_service.hpp): they wait in a queue and take effect in
/// time order (ties: in the order announced) before anything the tracker does at or after their time, so the
/// integrals and the peak are those of calling set_activity at each change's time.
/// Invariants (xbt_assert, a broken one aborts: our bug, not the user's input): every call's time is at or
/// after the previous one's (per group for group_integral), activities are finite and >= 0, the summed
/// activity stays >= 0 (up to rounding), group ids exist.

#include <functional>
#include <queue>
#include <vector>

namespace clustersim {

class PowerTracker {
 public:
  /// Registers a group of `gpus` GPUs (a job, a replica) at activity 0; returns its id.
  int add_group(int gpus);
  /// Sets the activity (0..1) of every GPU of a group from now on.
  void set_activity(int group, double activity, double now_s);
  /// The same change, announced for `at_s` (at or after every time the tracker has seen): it takes effect when
  /// the tracker is next used at or after `at_s`.
  void set_activity_at(int group, double activity, double at_s);
  /// Integral of the summed activity from time 0 to `now_s`, GPU x s.
  double integral(double now_s);
  /// Integral of one group's activity from 0 to `now_s`, GPU x s.
  double group_integral(int group, double now_s);

  /// Highest summed activity seen so far (announced changes included).
  double peak_activity_sum();

 private:
  struct Group {
    int gpus = 0;
    double activity = 0;
    double integral = 0;
    double last_s = 0;
  };

  struct Pending {
    double at_s;
    long long seq;
    int group;
    double activity;
    bool operator>(const Pending& o) const { return at_s != o.at_s ? at_s > o.at_s : seq > o.seq; }
  };

  /// Applies the announced changes due at or before `now_s`, in time order.
  void apply_due(double now_s);
  void apply(int group, double activity, double now_s);
  void advance(double now_s);
  void advance(Group& g, double now_s);
  Group& group(int id);

  std::priority_queue<Pending, std::vector<Pending>, std::greater<>> pending_;
  long long next_seq_ = 0;
  std::vector<Group> groups_;
  int gpus_ = 0;  ///< GPUs of all groups
  double sum_ = 0;
  double peak_ = 0;
  double integral_ = 0;
  double last_s_ = 0;
};

}  // namespace clustersim
