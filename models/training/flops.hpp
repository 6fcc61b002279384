#pragma once
/// @file
/// FLOPs of a transformer LLM per token, split by operation kind, following Narayanan et al. SC'21
/// (arXiv 2104.04473) eq. 3 generalised to GQA, gated FFNs, explicit head_dim and MoE:
/// forward per token = 2 x (active non-embedding parameters) [GEMMs]
///                   + 4 x layers x seq x heads x head_dim   [attention scores and values, full s x s matrix
///                                                             as Megatron and PaLM count it; MLA and value
///                                                             heads of their own size:
///                                                             LlmSpec::attention_flops_per_pair]
///                   + 2 x hidden x vocab                     [logits].
/// Backward = 2 x forward. Model FLOPs (the MFU numerator) = 3 x forward; recomputation adds hardware FLOPs.
/// For a dense model the GEMM part alone is the textbook 6 N D (N = non-embedding parameters, D = tokens).

#include "spec/catalog.hpp"
#include "spec/recompute.hpp"

namespace clustersim {

/// Forward FLOPs of one token through the whole model, by kind.
struct ForwardFlops {
  double gemm = 0;       ///< attention projections + FFN (active experts) of all layers
  double attention = 0;  ///< QK^T and AV of all layers (full matrix)
  double logits = 0;     ///< output layer
  double total() const { return gemm + attention + logits; }
};

/// Forward FLOPs per token of `m` at sequence length `seq_len`.
ForwardFlops forward_flops(const LlmSpec& m, int seq_len);

/// Forward FLOPs per token (total).
double forward_flops_per_token(const LlmSpec& m, int seq_len);

/// Model FLOPs per token for one training step (forward + backward = 3 x forward, no recomputation).
double model_flops_per_token(const LlmSpec& m, int seq_len);

/// Extra forward FLOPs per token that recomputation re-executes: full = the whole forward except the logits
/// (Megatron recomputes transformer layers only, hence SC'21's V/16lh term); selective = the attention core.
double recompute_flops_per_token(const LlmSpec& m, int seq_len, Recompute r);

/// Non-embedding parameters touched per token (active experts only): the N of 6 N D.
double active_nonembedding_params(const LlmSpec& m);

}  // namespace clustersim
