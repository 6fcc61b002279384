#include "models/training/step_model.hpp"

#include <algorithm>

#include "models/compute/roofline.hpp"

namespace clustersim {

namespace {
double attention_flops_per_token(const LlmSpec& m, int seq_len) {
  return 4.0 * m.layers * static_cast<double>(seq_len) * m.hidden;
}
}  // namespace

double forward_flops_per_token(const LlmSpec& m, int seq_len) {
  const double embeddings = 2.0 * m.vocab * m.hidden;
  const double dense_params = m.active_params() - embeddings;
  return 2.0 * dense_params + 2.0 * m.hidden * static_cast<double>(m.vocab) +
         attention_flops_per_token(m, seq_len);
}

TrainingStepEstimate estimate_training_step(const TrainingLayout& l) {
  TrainingStepEstimate e;
  const double tokens = static_cast<double>(l.global_batch) * l.seq_len;
  e.tokens_per_step = tokens;
  e.microbatches = std::max(1, l.global_batch / (l.dp * l.micro_batch));

  const double fwd = forward_flops_per_token(l.model, l.seq_len);
  e.model_flops_per_step = 3.0 * fwd * tokens;
  double recompute = 0;
  if (l.recompute == Recompute::kFull) recompute = fwd;
  if (l.recompute == Recompute::kSelective) recompute = attention_flops_per_token(l.model, l.seq_len);
  const int gpus = l.tp * l.pp * l.dp;
  e.hardware_flops_per_gpu = (3.0 * fwd + recompute) * tokens / gpus;

  // Per GPU HBM traffic per micro-batch is dominated by weights (read fwd, bwd, and written by the optimizer
  // once per step); for training GEMMs this stays far below the compute time, so the roofline is compute-bound.
  const double bytes_per_param = precision_bytes_x2(l.precision) / 2.0;
  const double params_per_gpu = l.model.params() / (l.tp * l.pp);
  const double weight_bytes = params_per_gpu * bytes_per_param * 3.0 * e.microbatches;
  const RooflineParams roof{l.gpu.peak_flops(l.precision), l.gpu.hbm_bandwidth_Bps,
                            l.calibration.matmul_efficiency, l.calibration.memory_efficiency};
  e.compute_time_s = roofline_time_s(e.hardware_flops_per_gpu, weight_bytes, roof);

  // Tensor parallelism: 4 all-reduces of the activations per layer and micro-batch (2 forward, 2 backward;
  // Megatron-LM), over the scale-up domain; BF16 activations.
  if (l.tp > 1) {
    const double act_bytes = static_cast<double>(l.micro_batch) * l.seq_len * l.model.hidden * 2.0;
    const double layers_per_stage = static_cast<double>(l.model.layers) / l.pp;
    const double per_allreduce = ring_allreduce_time_s(act_bytes, l.tp, l.gpu.scaleup_bandwidth_Bps,
                                                       l.calibration.kernel_launch_s);
    e.tp_comm_time_s = 4.0 * layers_per_stage * e.microbatches * per_allreduce;
  }
  if (l.pp > 1) {
    e.bubble_time_s = (l.pp - 1.0) / e.microbatches * (e.compute_time_s + e.tp_comm_time_s);
  }

  // Data parallelism: BF16 gradients of this GPU's parameter shard; one ring per (tp, pp) coordinate, so a
  // server carries min(gpus_per_server, tp x pp) rings, each sending 2(dp-1)/dp of the shard to the next server.
  e.grad_bytes_per_gpu = params_per_gpu * 2.0;
  if (l.dp > 1) {
    e.dp_rings_per_server = std::min(l.gpus_per_server, l.tp * l.pp);
    e.dp_bytes_per_server = e.dp_rings_per_server * 2.0 * (l.dp - 1.0) / l.dp * e.grad_bytes_per_gpu;
    e.dp_latency_s = 2.0 * (l.dp - 1.0) * l.calibration.network_alpha_s;
  }
  return e;
}

}  // namespace clustersim
