#pragma once
/// @file
/// Tracks the summed GPU activity of the cluster over simulated time and integrates it exactly
/// (activity is piecewise constant between calls). Jobs and replicas report their activity changes;
/// the sampler actor turns integrals into a power time series through ClusterPowerModel.
/// Changes may also be announced ahead of time (set_activity_at: a colocated inference service that runs its
/// events ahead of SimGrid's clock, sim/engine/inference_service.hpp), each on a timeline whose times never
/// decrease (one per service): they wait in the timeline's queue and take effect in time order across
/// timelines (ties: in the order announced) before anything the tracker does at or after their time, so the
/// integrals and the peak are those of calling set_activity at each change's time. A queue per timeline keeps
/// an announcement O(1) (a heap of all of them was a tenth of a day's run).
/// Invariants (xbt_assert, a broken one aborts: our bug, not the user's input): every call's time is at or
/// after the previous one's (per group for group_integral), activities are finite and >= 0, the summed
/// activity stays >= 0 (up to rounding), group ids exist.

#include <deque>
#include <memory>
#include <vector>

#include "models/power/power_waveform.hpp"

namespace clustersim {

class PowerTracker {
 public:
  /// Registers a group of `gpus` GPUs (a job, a replica) of accelerator pool `pool` at activity 0; returns its id.
  int add_group(int gpus, int pool = 0);

  /// The watts one unit of summed activity adds in each pool (ClusterPowerModel::watts_per_activity): the peak
  /// is then that of the site's power, not of the summed activity. Unset (or one pool): the summed activity's.
  void set_pool_weights(std::vector<double> watts_per_activity);
  /// Sets the activity (0..1) of every GPU of a group from now on.
  void set_activity(int group, double activity, double now_s);
  /// Sets a group's activity to `waveform`'s mean from now on (what energy integrates) and remembers its shape,
  /// period 0 at `now_s`, for the peak (the highest point of every swing, all jobs' swings aligned: an upper
  /// bound of the instantaneous peak) and the high-resolution trace; the next set_activity ends it.
  void set_waveform(int group, std::shared_ptr<const PowerWaveform> waveform, double now_s);

  /// A change of a group inside the recorded window (record_window), or its state at the window's start.
  struct WindowEvent {
    double at_s = 0;
    int group = 0;
    double activity = 0;
    std::shared_ptr<const PowerWaveform> waveform;  ///< null: constant activity
    double phase_start_s = 0;                       ///< the waveform's period 0
  };
  /// Keeps every change over [start_s, end_s) (call before the run). window_events() then starts with every
  /// group's state at start_s.
  void record_window(double start_s, double end_s);
  /// The recorded changes, in time order (after the run: the state at the window's start comes first).
  const std::vector<WindowEvent>& window_events();
  int group_gpus(int group) { return this->group(group).gpus; }
  int group_pool(int group) { return this->group(group).pool; }
  int groups() const { return static_cast<int>(groups_.size()); }
  /// A new timeline of announced changes; returns its id.
  int add_timeline();
  /// The same change, announced on `timeline` for `at_s` (at or after every time the tracker has seen and
  /// every earlier announcement of the timeline): it takes effect when the tracker is next used at or after
  /// `at_s`.
  void set_activity_at(int timeline, int group, double activity, double at_s);
  /// Integral of the summed activity from time 0 to `now_s`, GPU x s.
  double integral(double now_s);
  /// The same, per pool (index = pool; as many as the highest pool a group was added to, and the weights).
  std::vector<double> pool_integrals(double now_s);
  /// Integral of one group's activity from 0 to `now_s`, GPU x s.
  double group_integral(int group, double now_s);

  /// Highest summed activity seen so far (announced changes included); with pool weights, the summed activity at
  /// the moment of the highest weighted sum.
  double peak_activity_sum();
  /// The per-pool summed activities at that moment.
  std::vector<double> peak_activity_by_pool();
  /// Per pool, the summed activity now with every group at the top of its swing.
  std::vector<double> envelope_by_pool(double now_s);

 private:
  struct Group {
    int gpus = 0;
    int pool = 0;
    double activity = 0;
    double integral = 0;
    double last_s = 0;
    double swing = 0;  ///< waveform maximum - mean (0 without a waveform)
    std::shared_ptr<const PowerWaveform> waveform;
    double phase_start_s = 0;
  };

  struct Pending {
    double at_s;
    long long seq;
    int group;
    double activity;
  };

  /// Applies the announced changes due at or before `now_s`, in time order.
  void apply_due(double now_s);
  void apply(int group, double activity, double now_s, std::shared_ptr<const PowerWaveform> waveform = nullptr);
  void snapshot_window();
  void advance(double now_s);
  void advance(Group& g, double now_s);
  Group& group(int id);

  std::vector<std::deque<Pending>> timelines_;
  long long next_seq_ = 0;
  std::vector<Group> groups_;
  int gpus_ = 0;  ///< GPUs of all groups
  double sum_ = 0;
  double peak_ = 0;
  double integral_ = 0;
  std::vector<double> pool_sum_, pool_integral_, pool_weight_;
  std::vector<double> peak_by_pool_;  ///< pool_sum_ at the peak
  double peak_weighted_ = 0;
  double last_s_ = 0;
  std::vector<double> pool_swing_;  ///< per pool: sum over groups of gpus x swing
  double window_start_s_ = 0, window_end_s_ = -1;
  bool window_snapshot_ = false;
  std::vector<WindowEvent> window_;
};

}  // namespace clustersim
