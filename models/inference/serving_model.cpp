#include "models/inference/serving_model.hpp"

#include <algorithm>

#include "models/compute/roofline.hpp"

namespace clustersim {

namespace {
// Fraction of HBM kept for activations, CUDA graphs and fragmentation (vLLM's default
// gpu_memory_utilization = 0.9 leaves 10%).
constexpr double kActivationReserveFraction = 0.10;
}  // namespace

ServingModel::ServingModel(const ServingParams& p) : params_(p) {
  const double bytes_per_param = precision_bytes_x2(p.precision) / 2.0;
  weight_bytes_per_gpu_ = p.model.params() * bytes_per_param / p.tp;
  // KV cache stored in the serving precision's activation type: FP8 KV with FP8/FP4 weights, else BF16.
  const double kv_element = p.precision == Precision::kBf16 ? 2.0 : 1.0;
  kv_bytes_per_token_ = p.model.kv_bytes_per_token(kv_element);
  const double free_per_gpu = p.gpu.hbm_bytes * (1.0 - kActivationReserveFraction) - weight_bytes_per_gpu_;
  kv_capacity_tokens_ = std::max(0.0, free_per_gpu * p.tp / kv_bytes_per_token_);
}

double ServingModel::flops(const IterationWork& w) const {
  const double tokens = w.prefill_tokens + w.decode_tokens;
  const double dense = 2.0 * params_.model.active_params() * tokens;
  const double attention = 4.0 * params_.model.layers * params_.model.hidden *
                           (w.prefill_attention_ctx + w.decode_context_tokens);
  return dense + attention;
}

double ServingModel::bytes_per_gpu(const IterationWork& w) const {
  const double kv_read = w.decode_context_tokens * kv_bytes_per_token_;
  const double kv_write = (w.prefill_tokens + w.decode_tokens) * kv_bytes_per_token_;
  return weight_bytes_per_gpu_ + (kv_read + kv_write) / params_.tp;
}

double ServingModel::iteration_time_s(const IterationWork& w) const {
  const RooflineParams roof{params_.gpu.peak_flops(params_.precision), params_.gpu.hbm_bandwidth_Bps,
                            params_.calibration.matmul_efficiency, params_.calibration.memory_efficiency};
  double t = roofline_time_s(flops(w) / params_.tp, bytes_per_gpu(w), roof);
  if (params_.tp > 1) {
    const double tokens = w.prefill_tokens + w.decode_tokens;
    const double act_bytes = tokens * params_.model.hidden * 2.0;
    t += 2.0 * params_.model.layers *
         ring_allreduce_time_s(act_bytes, params_.tp, params_.gpu.scaleup_bandwidth_Bps,
                               params_.calibration.kernel_launch_s);
  }
  return t + params_.calibration.kernel_launch_s * params_.model.layers;
}

bool ServingModel::memory_bound(const IterationWork& w) const {
  const RooflineParams roof{params_.gpu.peak_flops(params_.precision), params_.gpu.hbm_bandwidth_Bps,
                            params_.calibration.matmul_efficiency, params_.calibration.memory_efficiency};
  return roofline_memory_bound(flops(w) / params_.tp, bytes_per_gpu(w), roof);
}

}  // namespace clustersim
