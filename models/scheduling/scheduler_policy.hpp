#pragma once
/// @file
/// Which waiting training jobs start now, and which running ones must stop for them: the cluster
/// scheduler's decision, apart from where the servers are (ServerPool) and from SimGrid (the engine's
/// scheduler actor, sim/engine/job_scheduler, asks at every submit, end and stop). Jobs are gang scheduled:
/// a job starts with all its servers or waits.
///
/// - fifo: the queue in submit order; a job that does not fit blocks every job behind it.
/// - backfill (EASY): the same order; the first job that does not fit gets a reservation at the earliest time
///   enough servers free up (from the running jobs' expected ends); a later job starts now if it ends before that
///   time or leaves the reserved job its servers.
/// - priority: the queue by priority (high first), then submit time, with the same reservation and backfill;
///   with preemption the first job that does not fit first stops running jobs of lower priority (lowest first,
///   latest started first) when that makes it fit.
///
/// Jobs smaller than a server share servers (SchedulerState::gpus_per_server): one fits when a partly used
/// server or a whole free one holds it; placed on a partly used server it takes nothing from a reservation.
///
/// Tenant quotas apply under every policy: a job that would take its tenant past its quota of GPUs is set aside
/// before the policy looks at the queue (it waits without holding up the others, as a Slurm group limit).

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
  int tenant = -1;  ///< index into SchedulerState::quota_gpus; -1: no quota
  double gpus = 0;  ///< what counts against the tenant's quota
};

struct RunningJob {
  int id = 0;
  int servers = 0;
  int priority = 0;
  double start_s = 0;
  double end_estimate_s = std::numeric_limits<double>::infinity();  ///< expected end
  int tenant = -1;
  double gpus = 0;
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
  /// Per tenant: the most GPUs its running jobs may hold together. A job that would pass its tenant's quota waits
  /// without holding up the others (as a Slurm group limit): it is neither started nor the head of the queue.
  std::vector<double> quota_gpus;
  /// Jobs smaller than a server (gpus < gpus_per_server; 0: none are) share servers: they take GPUs of a partly
  /// used server (best fit) or else one whole free server. Their `servers` is 1 in the queue and 0 when running
  /// (a shared server frees only with its last job, so the reservation does not count on it).
  int gpus_per_server = 0;
  std::vector<int> partial_free_gpus;  ///< free GPUs of each partly used server
};

/// The queue in the policy's order (fifo, backfill: submit time then id; priority: priority first).
std::vector<QueuedJob> policy_order(SchedulerKind policy, std::vector<QueuedJob> queue);

/// The decision of `policy` (not kNone: its jobs never queue) in `state`. Pure: the same state gives the same
/// decision. The started jobs fit in free_servers together.
ScheduleDecision decide(SchedulerKind policy, const SchedulerState& state);

}  // namespace clustersim
