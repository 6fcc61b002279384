#pragma once
/// @file
/// A training job as SimGrid actors: one actor per server of the job. Each detailed step runs the
/// compute of every server as a SimGrid execution (roofline time from models/training), then the
/// data-parallel gradient all-reduce as one phase of concurrent server-to-server flows across the fabric
/// (each server sends 2(dp-1)/dp of its gradient shards to the next server of its DP ring), so jobs that
/// share links slow each other down. After `detailed_steps` steps the job continues in steady state at the
/// measured mean step time (iterations are not events; see DESIGN.md "Scale").

#include <simgrid/s4u.hpp>
#include <string>
#include <vector>

#include "models/training/step_model.hpp"
#include "sim/config/experiment_spec.hpp"
#include "sim/engine/power_tracker.hpp"

namespace clustersim {

/// What a training job measured.
struct TrainingJobStats {
  double start_s = -1;
  double end_s = -1;
  double steps_done = 0;                 ///< whole steps completed (detailed + steady state)
  std::vector<double> step_times_s;      ///< detailed steps
  std::vector<double> dp_allreduce_s;    ///< simulated DP all-reduce time of each detailed step
  double mean_step_time_s = 0;
  double activity_integral = 0;          ///< GPU x s, filled at the end
};

struct TrainingJobRuntime {
  TrainingJobSpec spec;
  TrainingStepEstimate estimate;
  CalibrationSpec calibration;
  std::vector<simgrid::s4u::Host*> servers;
  int gpus_per_server_used = 8;          ///< GPUs of each server the job uses
  double core_speed_flops = 1;           ///< SimGrid core speed of the hosts
  int power_group = -1;
  TrainingJobStats stats;
};

/// Creates the job's actors. `end_s` is the end of the experiment.
void launch_training_job(TrainingJobRuntime& job, PowerTracker& tracker, double end_s);

}  // namespace clustersim
