#pragma once
/// @file
/// One row of the `jobs` table: a training job's layout, step-time breakdown, memory, throughput and
/// energy. Its column table (job_table) names each HDF5 dataset, its units and long_name.

#include <cstdint>
#include <string>

#include "sim/results/column_table.hpp"

namespace clustersim {

struct JobRow {
  std::string name;   ///< training job name
  std::string model;  ///< model catalog name
  int64_t gpus = 0, tp = 1, pp = 1, dp = 1, cp = 1, ep = 1;
  int64_t virtual_stages = 1;
  double step_time_s = kMissing;  ///< mean step time of the detailed steps (NaN: none finished); with a scheduler, of
                                  ///< its segments weighted by their steps
  double compute_time_s = kMissing;           ///< roofline compute per step
  double tp_comm_time_s = kMissing;           ///< exposed tensor-parallel communication per step
  double bubble_time_s = kMissing;            ///< pipeline bubble per step
  double dp_allreduce_time_s = kMissing;      ///< simulated DP reduction per step, before overlap
  double other_local_comm_time_s = kMissing;  ///< exposed CP exchange + intra-server PP transfers per step
  double optimizer_time_s = kMissing;
  double exposed_dp_time_s = kMissing, exposed_pp_time_s = kMissing, exposed_ep_time_s = kMissing;
  double hardware_flops_per_gpu = kMissing;  ///< FLOP/s, recomputation included
  double hfu = kMissing;
  double memory_per_gpu_bytes = kMissing;  ///< first pipeline stage, all terms
  double memory_weights_bytes = kMissing, memory_gradients_bytes = kMissing;
  double memory_optimizer_bytes = kMissing, memory_activations_bytes = kMissing;
  double tokens_per_step = kMissing;
  double tokens_per_step_requested = kMissing;  ///< NaN: global_batch given
  double tokens_per_s = kMissing;
  double model_flops_per_gpu = kMissing;  ///< FLOP/s
  double mfu = kMissing;
  double steps = kMissing;             ///< steps completed in the run
  double energy_j = kMissing;          ///< facility energy attributed to the job
  double gpu_power_mean_w = kMissing;  ///< board power per GPU, mean over the time it ran
  double energy_per_token_j = kMissing;
  // Through time (the cluster scheduler; without one a job is submitted and started at its start time).
  std::string state;              ///< done, running, preempted, queued, rejected
  double submit_s = kMissing;     ///< when the job asked for its servers
  double start_s = kMissing;      ///< first start (NaN: never started)
  double end_s = kMissing;        ///< end of its last run (NaN: still running or never started)
  double wait_s = kMissing;       ///< first start - submit (NaN: never started)
  double held_s = kMissing;       ///< time holding its servers, all runs
  double steps_total = kMissing;  ///< steps of work (NaN: until the end)
  int64_t servers = 0;            ///< servers of its last placement
  int64_t leaves = 0, pods = 0;   ///< fabric groups (leaves, scalable units, dragonfly groups) and pods spanned
  int64_t min_leaves = 0;         ///< the fewest groups that could hold it
  int64_t preemptions = 0;
  std::string pool;  ///< accelerator pool it ran on
  // Failures and checkpoints (failures.*, training[].checkpoint); NaN or 0 without them.
  int64_t interruptions = 0;        ///< failures that stopped it
  std::string interruption_causes;  ///< "class:count ..." in class order
  double lost_work_s = kMissing;    ///< training time lost (since the last checkpoint), partial steps included
  int64_t checkpoints = 0;
  double checkpoint_time_s = kMissing;      ///< stalled writing checkpoints
  double checkpoint_interval_s = kMissing;  ///< training time between checkpoints (NaN: none)
  double checkpoint_write_s = kMissing;     ///< one write
  double recovery_time_s = kMissing;        ///< detection + restart + restore, all failures
  int64_t spares = 0;                       ///< hot spares asked for
  int64_t spare_swaps = 0;                  ///< restarts on hot spares
  double mtbf_s = kMissing;                 ///< mean time between failures that stop a job of its size
  double productive_s = kMissing;           ///< training time of the steps it kept
  double ettr = kMissing;                   ///< productive time / (end - first start)
  double goodput_tokens_per_s = kMissing;   ///< tokens of the steps it kept / (end - first start)
  double ettr_expected = kMissing;          ///< first-order model (models/reliability/checkpoint.hpp expected_ettr)
  double step_time_uncertainty = kMissing;  ///< relative band of the step time (spec/uncertainty.hpp; NaN: none)
  std::string uncertainty_basis;            ///< the fit group it comes from, or "extrapolated from GROUP"
};

/// The `jobs` group: dimension `job`.
const RowTable<JobRow>& job_table();

}  // namespace clustersim
