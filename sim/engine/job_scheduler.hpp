#pragma once
/// @file
/// The cluster scheduler of the training jobs as one SimGrid actor (scheduler.policy fifo, backfill or
/// priority). Jobs are submitted at their start time (spec.start_s) and queue until the policy
/// (models/scheduling/scheduler_policy) starts them; a started job gets whole servers from the ServerPool
/// (packed under few leaves and pods, or linear) and runs its actors (training_job.hpp) until its steps are
/// done, the run ends, or the scheduler stops it (preemption: it resumes its remaining steps when started again,
/// the step under way lost). The actor wakes at each submit, each job's stop and each sampling instant, and
/// records the `schedule` time series (time-weighted means per interval).
///
/// Contention that lives: when a job starts or stops, every running job that shares fabric links with it is asked
/// to re-measure (JobScheduleState::remeasure_requested): its run ends without losing progress and starts again
/// at once on the same servers, so its detailed steps run under the new traffic, and it goes on at that step time
/// until the next change (a JobSegment each). Two jobs share links when both span several fabric groups (leaves,
/// scalable units, dragonfly groups) and have a group in common (its uplinks), or both span several pods and have
/// a pod in common (its links to the core); a job inside one group keeps its traffic under its own leaf. A job
/// whose set of neighbours was seen before (the same jobs) takes the step time measured then: the situation is
/// looked up, not simulated again.

#include <map>
#include <simgrid/s4u.hpp>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "models/power/cluster_power.hpp"
#include "models/scheduling/scheduler_policy.hpp"
#include "models/scheduling/server_pool.hpp"
#include "sim/engine/server_lending.hpp"
#include "sim/engine/training_job.hpp"
#include "sim/results/failure_row.hpp"
#include "sim/results/schedule_sample_row.hpp"
#include "sim/setup/failure_plan.hpp"
#include "spec/experiment_spec.hpp"

namespace clustersim {

struct JobSchedulerParams {
  SchedulerSpec spec;
  std::vector<simgrid::s4u::Host*> hosts;  ///< by server id (the platform's servers)
  std::vector<int> group_of, pod_of;       ///< by server id: its fabric group and pod
  double end_s = 0;                        ///< end of the run
  double sample_interval_s = 1;
  const ServerLending* lending = nullptr;  ///< servers lent and taken back over time (read when the run starts)
  std::vector<std::string> pool_names;     ///< by pool index (a job that starts in a fallback pool is renamed)
  /// facility.budget_policy hold: a job whose start would take the site's facility power (every running job at
  /// the top of its step, services as they are) above this budget waits; 0 = no hold. Needs `power`.
  double hold_budget_w = 0;
  const ClusterPowerModel* power = nullptr;
  /// Component failures to replay (sim/setup/failure_plan); null or inactive = none.
  const FailurePlan* failures = nullptr;
};

class JobScheduler {
 public:
  /// `jobs` (owned by the caller, outliving the run) have their runtimes built, servers empty, stop signals
  /// set, and name their accelerator pool (TrainingJobRuntime::pool, an index of `pools`); `pools` holds, per
  /// accelerator pool, the servers the scheduler may hand out there. Each pool is scheduled on its own, by the
  /// same policy; tenant quotas count a tenant's jobs in every pool.
  JobScheduler(JobSchedulerParams params, std::vector<TrainingJobRuntime*> jobs, std::vector<ServerPool> pools,
               PowerTracker& tracker);

  /// Creates the scheduler's actor on `host`.
  void launch(simgrid::s4u::Host* host);

  /// After the run: closes the time series at the end of the run and fills each job's held time and state.
  void finish();

  /// The site's time series: the pools' rows added up.
  std::vector<ScheduleSampleRow> samples() const;
  int pools() const { return static_cast<int>(pools_.size()); }
  /// The time series of pool `p` alone.
  const std::vector<ScheduleSampleRow>& pool_samples(int p) const { return samples_[p]; }
  /// Every failure of the run, in time order, and what it did.
  const std::vector<FailureRow>& failure_log() const { return failure_log_; }

 private:
  void run();
  /// Asks the running neighbours of `changed` (jobs started or stopped) to re-measure.
  void remeasure_neighbours_of(const std::vector<int>& changed);
  /// Ends job k's run now so that it starts again at once, measuring its step time anew.
  void trigger_remeasure(int k);
  /// Stops job j (preempted: it resumes later); `frees_servers` of its servers free up for the others.
  void stop_job(int j, int frees_servers);
  /// Asks job k to re-measure now, or at the end of its remeasure_interval.
  void request_remeasure(int k);
  /// The deferred re-measures due at `now`; returns the next one's time (infinity: none).
  double remeasure_due(double now);
  bool neighbours(int a, int b) const;
  /// Running jobs (not stopping) that share links with job j, sorted.
  std::vector<int> neighbour_set(int j) const;
  /// Starts a run of job j on its servers (first start, restart or re-measure), its step time looked up when known.
  void launch_run(int j);
  void collect_stopped(double now);
  void schedule(double now);
  /// Decides for pool `pool` among the waiting jobs whose choice rank there is at most `rank`.
  void schedule_pool(int pool, double now, int rank);
  /// Where pool `pool` stands in job j's list (0: its first choice; its own pool once it started), -1: not in
  /// it, or too large for it.
  int choice_rank(int j, int pool) const;
  /// Applies the lending changes due at `now`: lent servers join their pool; servers taken back leave it, and
  /// the jobs on them are preempted (they resume later, elsewhere).
  void apply_lending(double now);
  void start_job(int j, double now, int in_pool);
  /// Sets job j's servers (running ones, spares apart): its hosts, its groups and pods.
  void set_servers(int j);
  /// Replays the failures due at `now`: their servers go to repair, the jobs on them stop.
  void apply_failures(double now);
  /// Servers back from repair at `now`; returns the next repair's time (infinity: none).
  double apply_repairs(double now);
  /// Job j stopped after a failure: restarts at once on its servers (a failure a restart clears, or enough hot
  /// spares to swap in; returns true), or gives them back and queues for servers (false; the caller does that).
  bool restart_failed(int j, double now);
  /// The pool whose universe holds `server`, -1: none (an inference service's).
  int pool_of_server(int server) const;
  /// `delta` more failed spines in spine plane `plane` (-1: one repaired): its links keep the working spines'
  /// share of their bandwidth, and the running jobs whose traffic crosses the plane re-measure.
  void degrade(int plane, int delta);
  /// Spines back from repair at `now`; returns the next one's time (infinity: none).
  double apply_spine_repairs(double now);
  /// facility.budget_policy hold: whether job j may start in `pool` now without the site's facility power going
  /// over the budget.
  bool within_budget(int j, int pool, double now);
  /// Integrates the state up to `t`, closing the sampling intervals that end before it.
  void advance(double t);
  /// Training tokens per second of job j at its measured step time (the analytic one before any).
  double tokens_rate(int j) const;
  double run_estimate_s(int j) const;

  JobSchedulerParams p_;
  std::vector<TrainingJobRuntime*> jobs_;
  std::vector<ServerPool> pools_;
  PowerTracker& tracker_;
  simgrid::s4u::SemaphorePtr wake_;
  std::vector<int> by_submit_;  ///< job indices in submit order
  size_t next_submit_ = 0;
  std::vector<int> queue_;    ///< waiting jobs (submitted, not running)
  std::vector<int> running_;  ///< holding servers
  std::vector<int> stopped_;  ///< reported by their leaders, not yet collected
  std::vector<std::vector<int>> servers_of_;
  std::vector<double> step_estimate_s_;                ///< analytic step time per job (before a measured one exists)
  std::vector<std::vector<int>> groups_of_, pods_of_;  ///< per job: groups / pods it spans (empty: one only)
  /// (job, neighbours, straggler slowdown, failed spines per plane) -> measured step time
  std::map<std::tuple<int, std::vector<int>, double, std::vector<int>>, double> known_steps_;
  std::vector<std::vector<int>> run_neighbours_;  ///< per job: its neighbours at the start of its current run
  std::vector<std::vector<int>> run_spines_;      ///< per job: the failed spines per plane at its run's start
  std::vector<double> launched_at_;               ///< per job: when its current run was launched
  std::vector<double> remeasure_at_;              ///< per job: a deferred re-measure (remeasure_interval), -1: none
  std::vector<int> tenant_of_;                    ///< per job: its tenant's index in quota_gpus_, -1: no quota
  std::vector<double> quota_gpus_;
  std::vector<int> stopping_servers_;  ///< per pool
  std::vector<int> pool_servers_;      ///< per pool: its servers without the services' (lent ones excepted)
  std::vector<int> stopping_of_;       ///< per job asked to stop: the servers it frees for the others
  std::vector<LendingEvent> lending_;  ///< in time order
  size_t next_lending_ = 0;
  // Time series, per pool.
  std::vector<std::vector<ScheduleSampleRow>> samples_;
  double last_t_ = 0, sample_start_s_ = 0;
  std::vector<ScheduleSampleRow> acc_;  ///< per pool: integrals over the open interval
  std::vector<double> allocated_gpus_;
  // Failures.
  size_t next_failure_ = 0;
  std::vector<double> down_until_;           ///< by server id: in repair until then
  std::multimap<double, int> repairs_;       ///< repair end -> server
  std::vector<char> in_repair_;              ///< by server id: reclaimed from its pool by a failure
  std::vector<std::vector<int>> spares_of_;  ///< per job: the idle hot spares it holds
  std::vector<FailureRow> failure_log_;
  std::vector<int> failed_spines_;  ///< per spine plane
  /// A SimGrid link that spine or core failures degrade: its bandwidth with every switch working and the planes it
  /// belongs to (a pod uplink: its pod's spines and the cores).
  struct DegradableLink {
    simgrid::s4u::Link* link = nullptr;
    double bandwidth_Bps = 0;
    std::vector<int> planes;
  };
  std::vector<DegradableLink> degradable_;
  std::vector<std::vector<size_t>> plane_links_;  ///< per plane: indices into degradable_
  std::multimap<double, int> spine_repairs_;      ///< repair end -> plane
};

/// The analytic time of one step of `job` on an idle fabric (local part + each fabric phase at the servers'
/// injection bandwidth, what overlap leaves exposed): the scheduler's estimate before a step is measured, and
/// what run_time converts to steps with.
double analytic_step_time_s(const TrainingJobRuntime& job);

}  // namespace clustersim
