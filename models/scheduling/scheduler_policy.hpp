#pragma once
/// @file
/// Which waiting training jobs start now, and which running ones must stop for them: the cluster
/// scheduler's decision, apart from where the servers are (ServerPool) and from SimGrid (the engine's
/// scheduler actor, sim/engine/job_scheduler, asks at every submit, end and stop). Jobs are gang scheduled:
/// a job starts with all its servers or waits.
///
/// | policy | order of the queue | a job that does not fit |
/// |---|---|---|
/// | fifo | submit time | blocks every job behind it |
/// | backfill | submit time | gets a reservation at the earliest time enough servers free up (from the running jobs'
/// expected ends); later jobs start now if they end before it or leave it its servers (EASY) | | priority | priority
/// (high first), then submit time | the same reservation and backfill; with preemption it first stops running jobs of
/// lower priority (lowest first, latest started first) when that makes it fit |

#include <limits>
#include <vector>

#include "spec/kinds.hpp"

namespace clustersim {

struct QueuedJob {
  int id = 0;
  int servers = 0;
  int priority = 0;
  double submit_s = 0;
  /// Expected run time once started (its remaining work at the estimated step time); infinity: until the end.
  double run_estimate_s = std::numeric_limits<double>::infinity();
};

struct RunningJob {
  int id = 0;
  int servers = 0;
  int priority = 0;
  double start_s = 0;
  double end_estimate_s = std::numeric_limits<double>::infinity();  ///< expected end
};

struct ScheduleDecision {
  std::vector<int> start;    ///< job ids to start now, in this order
  std::vector<int> preempt;  ///< running job ids to stop; their servers free up when they have stopped
};

struct SchedulerState {
  double now_s = 0;
  std::vector<QueuedJob> queue;     ///< waiting jobs, any order
  std::vector<RunningJob> running;  ///< running jobs not already asked to stop
  int free_servers = 0;             ///< free now
  int stopping_servers = 0;         ///< held by jobs asked to stop that have not yet (they free up soon)
  bool preemption = false;          ///< priority policy: may stop lower-priority jobs
};

/// The queue in the policy's order (fifo, backfill: submit time then id; priority: priority first).
std::vector<QueuedJob> policy_order(SchedulerKind policy, std::vector<QueuedJob> queue);

/// The decision of `policy` (not kNone: its jobs never queue) in `state`. Pure: the same state gives the same
/// decision. The started jobs fit in free_servers together.
ScheduleDecision decide(SchedulerKind policy, const SchedulerState& state);

}  // namespace clustersim
