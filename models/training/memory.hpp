#pragma once
/// @file
/// Memory per GPU of a training layout: model states after Rajbhandari et al., ZeRO (SC'20, arXiv 1910.02054)
/// section 5 (mixed-precision Adam: 2 B weights + 2 B gradients + K = 12 B optimizer states per parameter,
/// i.e. 16 Psi; ZeRO-1 shards the optimizer states over the N data-parallel ranks: 4 Psi + 12 Psi / N;
/// ZeRO-2 also the gradients: 2 Psi + 14 Psi / N; ZeRO-3 also the weights: 16 Psi / N), and activations after
/// Korthikanti et al. 2022 (arXiv 2205.05198) eq. 1-4, generalised to GQA and gated FFNs:
/// per layer and token, attention 7h + 4 kv (QKV input, Q, K, V, projection input, dropout mask),
/// FFN 3h + 4f (GELU) or 3h + 6f (SwiGLU) per active expert, two layer norms 4h; plus 5 a s for the
/// unfused softmax (dropped by flash attention or selective recomputation); full recomputation keeps only
/// the 2h layer input; selective recomputation with flash attention (Megatron-core recompute modules) also drops
/// the layer-norm outputs (4h) and the FFN activation output (2f per active expert). Tensor parallelism with sequence
/// parallelism divides all of it by t; context parallelism divides the sequence by cp. The first pipeline stage holds
/// the most micro-batches in flight.

#include "spec/catalog.hpp"
#include "spec/recompute.hpp"

namespace clustersim {

/// Model-state bytes per parameter under a ZeRO stage: {weights, gradients, optimizer}, for `dp` ranks
/// sharing them and `grad_bytes` per gradient element (2 in the ZeRO paper; 4 for FP32 gradients).
struct ModelStateBytes {
  double weights = 0, gradients = 0, optimizer = 0;
  double total() const { return weights + gradients + optimizer; }
};
ModelStateBytes zero_bytes_per_param(int zero_stage, int dp, double grad_bytes = 2);

/// What memory_per_gpu needs to know of a layout.
struct MemoryLayout {
  LlmSpec model;
  int tp = 1, pp = 1, dp = 1, cp = 1, ep = 1, virtual_stages = 1;
  int zero_stage = 0;  ///< 0-3; the distributed optimizer counts as 1
  double grad_bytes = 2;
  int micro_batch = 1, microbatches = 1, seq_len = 2048;
  Recompute recompute = Recompute::kNone;
  bool sequence_parallel = true;
  bool flash_attention = true;
};

/// Bytes per GPU on the fullest pipeline stage (the first: most layers' activations in flight, embedding).
struct MemoryPerGpu {
  double weights = 0, gradients = 0, optimizer = 0, activations = 0;
  double total() const { return weights + gradients + optimizer + activations; }
};

/// Parameters stored on one GPU of the first stage: its layers' dense part / tp, its experts / (tp ep),
/// plus the input embedding / tp (and the output layer when pp = 1). `expert_params` is set to the expert share of the
/// result.
double params_per_gpu(const MemoryLayout& l, double* expert_params = nullptr);

/// Activation bytes of one layer for one micro-batch on one GPU.
double activation_bytes_per_layer(const MemoryLayout& l);

MemoryPerGpu memory_per_gpu(const MemoryLayout& l);

}  // namespace clustersim
