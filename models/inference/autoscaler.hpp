#pragma once
/// @file
/// How many replicas an autoscaled inference service runs over time: every `interval` it counts the requests of
/// the last interval, sizes the fleet at `target_rate` requests per second per replica (rounded up to whole
/// servers), clamped to [min_replicas, max_replicas]. A scale-down takes effect at the decision (the replicas
/// drain into the others: requests are routed among the remaining ones from then on); a scale-up takes the new
/// servers at the decision and serves from `startup` later (weights loaded, CUDA graphs captured). The fleet of
/// the first interval is sized from that interval's own rate (provisioned ahead, as a planner would).
/// Demand is open loop (arrivals do not depend on the service), so the whole plan is known before the run.

#include <cstddef>
#include <vector>

namespace clustersim {

struct AutoscalerParams {
  int min_replicas = 1;
  int max_replicas = 1;
  int replicas_per_server = 1;  ///< the granularity: whole servers are added and removed
  double target_rate_per_replica = 1;
  double interval_s = 300;
  double startup_s = 120;  ///< < interval_s
  double start_s = 0;      ///< the service's start
  double end_s = 0;        ///< the run's end
};

/// Step functions over [start_s, end_s): from time_s[i] on, `allocated[i]` replicas hold servers and
/// `active[i]` serve (active <= allocated; they differ during a start-up).
struct ReplicaPlan {
  std::vector<double> time_s;
  std::vector<int> allocated;
  std::vector<int> active;
  /// The index of the step holding time `t` (the last with time_s <= t; 0 before the first).
  size_t step_at(double t) const;
  int active_at(double t) const { return active[step_at(t)]; }
  int allocated_at(double t) const { return allocated[step_at(t)]; }
  /// Mean allocated replicas over [t0, t1).
  double mean_allocated(double t0, double t1) const;
};

/// The plan for the fleet's arrival times `arrival_s` (sorted; each stands for `fleet_per_arrival` requests of the
/// whole fleet: a thinned sample counts up). Throws std::invalid_argument on inconsistent parameters.
ReplicaPlan plan_replicas(const AutoscalerParams& p, const std::vector<double>& arrival_s, double fleet_per_arrival);

/// The fleet's requests per decision interval from `start_s` (as many intervals as the run holds), adding
/// `arrival_s` (sorted) to `counts`: a run's arrivals may come in several pieces, in time order.
void count_requests(const AutoscalerParams& p, const std::vector<double>& arrival_s, double fleet_per_arrival,
                    std::vector<double>& counts);

/// The plan from the counts of count_requests.
ReplicaPlan plan_from_counts(const AutoscalerParams& p, const std::vector<double>& counts);

}  // namespace clustersim
