#include "sim/results/job_row.hpp"

namespace clustersim {

const RowTable<JobRow>& job_table() {
  using R = JobRow;
  static const RowTable<JobRow> table{
      "jobs",
      "job",
      {text("name", "training job name", &R::name),
       text("model", "model catalog name", &R::model),
       count("gpus", "GPUs", &R::gpus),
       count("tp", "tensor-parallel size", &R::tp),
       count("pp", "pipeline-parallel size", &R::pp),
       count("dp", "data-parallel size", &R::dp),
       number("step_time", "s", "mean step time (detailed steps)", &R::step_time_s),
       number("compute_time", "s", "compute time per step (roofline)", &R::compute_time_s),
       number("tp_comm_time", "s", "exposed tensor-parallel communication per step", &R::tp_comm_time_s),
       number("bubble_time", "s", "pipeline bubble per step", &R::bubble_time_s),
       number("dp_allreduce_time", "s", "data-parallel reduction per step (simulated flows + latency), before overlap",
              &R::dp_allreduce_time_s),
       count("cp", "context-parallel size", &R::cp),
       count("ep", "expert-parallel size", &R::ep),
       count("virtual_stages", "interleaved pipeline chunks per GPU", &R::virtual_stages),
       number("other_local_comm_time", "s", "exposed CP exchange and intra-server PP transfers per step",
              &R::other_local_comm_time_s),
       number("optimizer_time", "s", "optimizer step (memory-bound)", &R::optimizer_time_s),
       number("exposed_dp_time", "s", "exposed data-parallel communication per step (simulated)",
              &R::exposed_dp_time_s),
       number("exposed_pp_time", "s", "exposed pipeline sends across servers per step (simulated)",
              &R::exposed_pp_time_s),
       number("exposed_ep_time", "s", "exposed expert-parallel all-to-all across servers per step (simulated)",
              &R::exposed_ep_time_s),
       number("hardware_flops_per_gpu", "FLOP/s", "achieved FLOP/s per GPU including recomputation",
              &R::hardware_flops_per_gpu),
       number("hfu", "1", "hardware FLOPs utilisation (recomputation included)", &R::hfu),
       number("memory_per_gpu", "B", "HBM needed per GPU, first pipeline stage", &R::memory_per_gpu_bytes),
       number("memory_weights", "B", "weights per GPU", &R::memory_weights_bytes),
       number("memory_gradients", "B", "gradients per GPU", &R::memory_gradients_bytes),
       number("memory_optimizer", "B", "optimizer states per GPU", &R::memory_optimizer_bytes),
       number("memory_activations", "B", "activations per GPU (micro-batches in flight)", &R::memory_activations_bytes),
       number("tokens_per_step", "token", "tokens trained per step (global_batch x seq_len)", &R::tokens_per_step),
       number("tokens_per_step_requested", "token",
              "tokens_per_step as given, before rounding to whole micro-batches per replica (NaN: "
              "global_batch given)",
              &R::tokens_per_step_requested),
       number("tokens_per_s", "token/s", "training throughput", &R::tokens_per_s),
       number("model_flops_per_gpu", "FLOP/s", "achieved model FLOP/s per GPU", &R::model_flops_per_gpu),
       number("mfu", "1", "model FLOPs utilisation at the job's precision", &R::mfu),
       number("steps", "1", "steps completed in the run", &R::steps),
       number("energy", "J", "facility energy attributed to the job", &R::energy_j),
       number("energy_per_token", "J/token", "facility energy per training token", &R::energy_per_token_j)}};
  return table;
}

}  // namespace clustersim
