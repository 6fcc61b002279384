#include "models/training/memory.hpp"

#include <algorithm>
#include <cmath>

#include "models/training/schedule.hpp"

namespace clustersim {

ModelStateBytes zero_bytes_per_param(int zero_stage, int dp, double grad_bytes) {
  const double n = std::max(1, dp);
  ModelStateBytes b{2.0, grad_bytes, 12.0};
  if (zero_stage >= 1) b.optimizer /= n;
  if (zero_stage >= 2) b.gradients /= n;
  if (zero_stage >= 3) b.weights /= n;
  return b;
}

double params_per_gpu(const MemoryLayout& l, double* expert_params) {
  const LlmSpec& m = l.model;
  const double layers = std::ceil(static_cast<double>(m.layers) / l.pp);
  // Per layer, averaged over the layers (a stage holding DeepSeek-V3's dense first layers is not singled out).
  const double routed = m.routed_expert_params() / m.layers;
  const double dense = (m.params() - 2.0 * m.vocab * static_cast<double>(m.hidden)) / m.layers - routed;
  const double experts = layers * routed / (l.tp * std::max(1, l.ep));
  if (expert_params != nullptr) *expert_params = experts;
  const double embeddings = (l.pp == 1 ? 2.0 : 1.0) * m.vocab * static_cast<double>(m.hidden);  // + output layer
  return (layers * dense + embeddings) / l.tp + experts;
}

double activation_bytes_per_layer(const MemoryLayout& l) {
  const LlmSpec& m = l.model;
  const double h = m.hidden;
  const double tokens = static_cast<double>(l.micro_batch) * l.seq_len / l.cp;
  const double t = l.tp;
  if (l.recompute == Recompute::kFull) return 2.0 * h * tokens / (l.sequence_parallel ? t : 1.0);
  const double active = m.experts > 0 ? m.active_experts + m.shared_experts : 1;
  // Selective recomputation on a flash-attention stack (whose core attention stores nothing anyway) means
  // Megatron-core's recompute modules: the layer norms and the FFN activation function are recomputed, so
  // their outputs (4h, and 2f per active expert) are not kept.
  const bool modules = l.recompute == Recompute::kSelective && l.flash_attention;
  // The attention block (Korthikanti et al. eq. 1 with GQA and MLA widths): its input (2h), Q, K and V, the
  // output projection's input and the dropout mask (h); MHA: 7h + 4kv. MLA keeps its Q and KV latents; with the
  // recompute modules it recomputes its up-projections (Q, K, V) from them in the backward pass, as DeepSeek-V3
  // does (technical report, arXiv 2412.19437, section 3.2.3) and Megatron-core's mla_up_proj module.
  const double qkv = 2.0 * (m.query_width() + m.key_value_width());
  const double attention =
      3.0 * h + 2.0 * m.attention_output_width() +
      (m.mla() ? 2.0 * (m.q_lora_rank + m.kv_lora_rank + m.rope_dim) + (modules ? 0.0 : qkv) : qkv);
  const double ffn = 3.0 * h + ((m.gated_ffn ? 6.0 : 4.0) - (modules ? 2.0 : 0.0)) * m.ffn_hidden * active;
  const double per_token = attention + ffn + (modules ? 0.0 : 4.0 * h);
  // Korthikanti eq. 2: without sequence parallelism 10h of the 34h (layer norms, dropouts, inputs) is replicated.
  double bytes = l.sequence_parallel ? per_token * tokens / t : (10.0 * h + (per_token - 10.0 * h) / t) * tokens;
  if (!l.flash_attention && l.recompute == Recompute::kNone)
    bytes += 5.0 * m.heads * static_cast<double>(l.seq_len) / l.cp * tokens / t;
  return bytes;
}

MemoryPerGpu memory_per_gpu(const MemoryLayout& l) {
  double experts = 0;
  const double params = params_per_gpu(l, &experts);
  const double dense = params - experts;
  const int shard = l.dp * l.cp;  // Megatron's gradient/optimizer group spans dp x cp
  const ModelStateBytes d = zero_bytes_per_param(l.zero_stage, shard, l.grad_bytes);
  const ModelStateBytes e = zero_bytes_per_param(l.zero_stage, std::max(1, shard / std::max(1, l.ep)), l.grad_bytes);
  MemoryPerGpu mem;
  mem.weights = dense * d.weights + experts * e.weights;
  mem.gradients = dense * d.gradients + experts * e.gradients;
  mem.optimizer = dense * d.optimizer + experts * e.optimizer;
  const double layers = std::ceil(static_cast<double>(l.model.layers) / l.pp);
  mem.activations =
      activation_bytes_per_layer(l) * layers * pipeline_inflight_microbatches(l.pp, l.microbatches, l.virtual_stages);
  return mem;
}

}  // namespace clustersim
