#pragma once
/// @file
/// A training job as SimGrid actors: one actor per server of the job. Each detailed step runs the
/// local part of the step (compute, TP/CP collectives inside the scale-up domain, bubble, optimizer; roofline
/// and alpha-beta times from models/training) as a SimGrid execution on every server, then each
/// communication phase that crosses the fabric (DP gradient all-reduce, PP sends, EP all-to-all) as one call
/// of collectives over its servers (sim/engine/fabric_collective.hpp, sim/collectives), so jobs that share
/// links slow each other down. A phase's time per
/// step = calls x the simulated call + latency terms; what the overlappable compute does not hide is exposed
/// and adds to the step. After `detailed_steps` steps the job continues in steady state at the mean step
/// time (iterations are not events; see DESIGN.md "Scale").

#include <functional>
#include <map>
#include <simgrid/s4u.hpp>
#include <string>
#include <vector>

#include "models/training/step_model.hpp"
#include "models/training/step_power.hpp"
#include "sim/collectives/point_to_point.hpp"  // kMaxAllToAllPeers
#include "sim/engine/power_tracker.hpp"
#include "spec/experiment_spec.hpp"

namespace clustersim {

/// What a training job measured.
struct TrainingJobStats {
  double start_s = -1;
  double end_s = -1;
  double steps_done = 0;               ///< whole steps completed (detailed + steady state)
  std::vector<double> step_times_s;    ///< detailed steps (local time + exposed fabric communication)
  std::vector<double> dp_allreduce_s;  ///< simulated DP reduction time of each detailed step (calls x call)
  /// Per detailed step, exposed fabric communication by kind (index: CommKind as int).
  std::vector<std::vector<double>> exposed_s;
  double mean_step_time_s = 0;
  double activity_integral = 0;  ///< GPU x s, filled at the end
  /// Mean over the detailed steps of the exposed communication of `kind`.
  double mean_exposed_s(CommKind kind) const;
};

/// What failures cost a job and what it does about them (failures.*, training[].checkpoint; set up by the
/// training workload from sim/setup/failure_plan). Inactive: the job never checkpoints nor fails.
struct JobReliability {
  bool active = false;
  double checkpoint_interval_s = 0;  ///< training time between two checkpoints; infinity = none
  double write_s = 0;                ///< one checkpoint write (the job stalls)
  double restore_s = 0;              ///< one checkpoint read after a restart
  double detection_s = 0;            ///< failure to stop: the job holds its servers, its collectives hung
  double restart_s = 0;              ///< stop to running again, before the restore
  double mtbf_s = 0;                 ///< mean time between failures that stop the job (its size's exposure)
  int spares = 0;                    ///< hot spares it asked for
};

/// What failures and checkpoints did to a job.
struct JobFailureStats {
  int interruptions = 0;              ///< failures that stopped it
  std::map<std::string, int> causes;  ///< failure class -> interruptions
  double lost_steps = 0;              ///< steps done and lost (since the last checkpoint), partial steps included
  double lost_s = 0;                  ///< their training time
  int checkpoints = 0;                ///< checkpoints written
  double checkpoint_s = 0;            ///< time stalled writing them
  double recovery_s = 0;              ///< detection + restart + restore, all failures together
  int spare_swaps = 0;                ///< restarts on a hot spare (no queueing)
  double checkpointed_steps = 0;      ///< steps saved by the last checkpoint (what a failure rolls back to)
  double trained_s = 0;               ///< training time of the steps it kept (productive time)
};

/// One run of a job at one step time: from a start (or a re-measure) to the next stop or re-measure.
struct JobSegment {
  double start_s = 0, end_s = 0;
  double steps = 0;           ///< steps done in the segment
  double step_time_s = 0;     ///< its step time: measured by its detailed steps, or looked up
  double dp_allreduce_s = 0;  ///< mean simulated DP reduction per detailed step (calls x call); 0 when looked up
  bool looked_up = false;     ///< the same job with the same neighbours ran before: no detailed step
  int neighbours = 0;         ///< running jobs that share fabric links with it at the segment's start
};

/// What the cluster scheduler (sim/engine/job_scheduler) knows of a job, and the hooks it runs it with.
/// Without a scheduler (scheduler.policy none) only `state` and the spread are filled.
struct JobScheduleState {
  double submit_s = 0;
  int preemptions = 0;
  double held_s = 0;                         ///< seconds the job held its servers, all runs together
  int groups = 0, pods = 0, min_groups = 0;  ///< placement spread of the last run (ServerPool::spread)
  /// queued (never started), running (at the end of the run), done (all its steps), preempted (waiting to resume
  /// at the end), rejected (larger than the scheduler's servers)
  std::string state = "queued";
  /// Called by the job's leader actor when a run ends (done, stopped, or the experiment's end reached).
  std::function<void()> on_stop;
  /// Released by the scheduler to stop the job (stop_requested set first); the leader waits on it in steady state.
  simgrid::s4u::SemaphorePtr stop_signal;
  bool stop_requested = false;
  /// The scheduler asks for new detailed steps (what shares the job's links changed): the run ends without
  /// losing progress and starts again at once on the same servers.
  bool remeasure_requested = false;
  double known_step_s = 0;  ///< > 0: this situation's step time is known: the run skips its detailed steps
  int neighbours = 0;       ///< set by the scheduler at each start (JobSegment::neighbours)
  double partial_step = 0;  ///< fraction of a step done when re-measured, carried to the next run
  double run_start_s = -1;  ///< start of the current run
  std::vector<JobSegment> segments;
  /// A failure stopped the job (set by the scheduler with stop_requested): when, and of which class.
  bool failure_requested = false;
  double failure_s = 0;
  std::string failure_cause;
  double recover_s = 0;  ///< the run starts with this much restart and restore (after a failure)
  double slowdown = 1;   ///< its slowest server's straggler slowdown on the local part of each step
};

/// A job as it would run in one accelerator pool: a job with fallback pools has one per pool it may start in.
struct TrainingPoolVariant {
  int pool = 0;  ///< an index of site_pools
  TrainingLayout layout;
  TrainingStepEstimate estimate;
  CalibrationSpec calibration;
  double core_speed_flops = 1;
  int power_group = -1;
};

struct TrainingJobRuntime {
  TrainingJobSpec spec;
  TrainingLayout layout;  ///< the model's inputs (step_figures() checks the results against it)
  TrainingStepEstimate estimate;
  CalibrationSpec calibration;
  std::vector<simgrid::s4u::Host*> servers;
  int gpus_per_server_used = 8;  ///< GPUs of each server the job uses
  int pool = 0;                  ///< its accelerator pool (an index of site_pools)
  double core_speed_flops = 1;   ///< SimGrid core speed of the hosts
  int power_group = -1;
  /// GPU power floor while the job runs, a fraction of the board limit (cluster.gpu_power_floor); 0 = none
  double power_floor = 0;
  TrainingJobStats stats;
  JobScheduleState schedule;
  JobReliability reliability;
  JobFailureStats failures;
  /// Steps the job runs in all (spec.steps, or run_time_s at the estimated step time); 0: until the end.
  int steps_total = 0;
  /// Pools it may start in, in order of preference (the first is `pool` until it starts); one: no choice.
  std::vector<TrainingPoolVariant> variants;
  bool pinned = false;  ///< started once: it stays in its pool (a preempted job resumes there)
  /// Takes the layout, estimate, calibration, host speed and power group of variant `i`.
  void use_variant(size_t i) {
    const TrainingPoolVariant& v = variants.at(i);
    pool = v.pool;
    layout = v.layout;
    estimate = v.estimate;
    calibration = v.calibration;
    core_speed_flops = v.core_speed_flops;
    power_group = v.power_group;
  }
};

/// The highest GPU activity of job `job`'s step in the variant of pool `pool` (its own if it has no variants there):
/// the top of its step waveform, its power floor included.
double peak_step_activity(const TrainingJobRuntime& job, int pool);

/// Creates the job's actors (its servers set). They start at spec.start_s or now, whichever is later. A job
/// started again after a stop resumes its remaining steps (steps_total - stats.steps_done), detailed steps
/// first. `end_s` is the end of the experiment.
void launch_training_job(TrainingJobRuntime& job, PowerTracker& tracker, double end_s);

}  // namespace clustersim
