#include "models/training/flops.hpp"

namespace clustersim {

double active_nonembedding_params(const LlmSpec& m) {
  return m.active_params() - 2.0 * m.vocab * static_cast<double>(m.hidden);
}

ForwardFlops forward_flops(const LlmSpec& m, int seq_len) {
  ForwardFlops f;
  f.gemm = 2.0 * active_nonembedding_params(m);
  f.attention = m.layers * static_cast<double>(seq_len) * m.attention_flops_per_pair();
  f.logits = 2.0 * m.hidden * static_cast<double>(m.vocab);
  return f;
}

double forward_flops_per_token(const LlmSpec& m, int seq_len) { return forward_flops(m, seq_len).total(); }

double model_flops_per_token(const LlmSpec& m, int seq_len) { return 3.0 * forward_flops_per_token(m, seq_len); }

double recompute_flops_per_token(const LlmSpec& m, int seq_len, Recompute r) {
  const ForwardFlops f = forward_flops(m, seq_len);
  if (r == Recompute::kFull) return f.gemm + f.attention;
  if (r == Recompute::kSelective) return f.attention;
  return 0;
}

}  // namespace clustersim
