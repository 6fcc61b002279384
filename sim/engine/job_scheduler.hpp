#pragma once
/// @file
/// The cluster scheduler of the training jobs as one SimGrid actor (scheduler.policy fifo, backfill or
/// priority). Jobs are submitted at their start time (spec.start_s) and queue until the policy
/// (models/scheduling/scheduler_policy) starts them; a started job gets whole servers from the ServerPool
/// (packed under few leaves and pods, or linear) and runs its actors (training_job.hpp) until its steps are
/// done, the run ends, or the scheduler stops it (preemption: it resumes its remaining steps when started again,
/// the step under way lost). The actor wakes at each submit, each job's stop and each sampling instant, and
/// records the `schedule` time series (time-weighted means per interval).

#include <simgrid/s4u.hpp>
#include <vector>

#include "models/scheduling/scheduler_policy.hpp"
#include "models/scheduling/server_pool.hpp"
#include "sim/engine/training_job.hpp"
#include "sim/results/schedule_sample_row.hpp"
#include "spec/experiment_spec.hpp"

namespace clustersim {

struct JobSchedulerParams {
  SchedulerSpec spec;
  std::vector<simgrid::s4u::Host*> hosts;  ///< by server id (the platform's servers)
  double end_s = 0;                        ///< end of the run
  double sample_interval_s = 1;
};

class JobScheduler {
 public:
  /// `jobs` (owned by the caller, outliving the run) have their runtimes built, servers empty, stop signals
  /// set; `pool` holds the servers the scheduler may hand out.
  JobScheduler(JobSchedulerParams params, std::vector<TrainingJobRuntime*> jobs, ServerPool pool,
               PowerTracker& tracker);

  /// Creates the scheduler's actor on `host`.
  void launch(simgrid::s4u::Host* host);

  /// After the run: closes the time series at the end of the run and fills each job's held time and state.
  void finish();

  const std::vector<ScheduleSampleRow>& samples() const { return samples_; }

 private:
  void run();
  void collect_stopped(double now);
  void schedule(double now);
  void start_job(int j, double now);
  /// Integrates the state up to `t`, closing the sampling intervals that end before it.
  void advance(double t);
  /// Training tokens per second of job j at its measured step time (the analytic one before any).
  double tokens_rate(int j) const;
  double run_estimate_s(int j) const;

  JobSchedulerParams p_;
  std::vector<TrainingJobRuntime*> jobs_;
  ServerPool pool_;
  PowerTracker& tracker_;
  simgrid::s4u::SemaphorePtr wake_;
  std::vector<int> by_submit_;  ///< job indices in submit order
  size_t next_submit_ = 0;
  std::vector<int> queue_;    ///< waiting jobs (submitted, not running)
  std::vector<int> running_;  ///< holding servers
  std::vector<int> stopped_;  ///< reported by their leaders, not yet collected
  std::vector<std::vector<int>> servers_of_;
  std::vector<double> step_estimate_s_;  ///< analytic step time per job (before a measured one exists)
  int stopping_servers_ = 0;
  // Time series.
  std::vector<ScheduleSampleRow> samples_;
  double last_t_ = 0, sample_start_s_ = 0;
  double acc_queued_ = 0, acc_running_ = 0, acc_gpus_ = 0, acc_tokens_ = 0;
  double allocated_gpus_ = 0;
};

/// The analytic time of one step of `job` on an idle fabric (local part + each fabric phase at the servers'
/// injection bandwidth, what overlap leaves exposed): the scheduler's estimate before a step is measured, and
/// what run_time converts to steps with.
double analytic_step_time_s(const TrainingJobRuntime& job);

}  // namespace clustersim
