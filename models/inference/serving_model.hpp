#pragma once
/// @file
/// Per-iteration cost of an LLM inference replica (TP GPUs) under continuous batching: one iteration runs
/// a number of prefill tokens (chunked prefill) and one decode token for each running sequence.
/// Roofline per iteration: FLOPs = 2 x active params x tokens + attention over the context;
/// bytes = weights (read once per iteration) + KV cache read for every decoded token's context + KV written.
/// Tensor parallelism adds 2 all-reduces of the activations per layer inside the scale-up domain.

#include "models/hardware/catalog.hpp"

namespace clustersim {

struct ServingParams {
  LlmSpec model;
  AcceleratorSpec gpu;
  CalibrationSpec calibration;
  int tp = 1;
  Precision precision = Precision::kBf16;
};

/// What one iteration processes.
struct IterationWork {
  double prefill_tokens = 0;          ///< new prompt tokens computed this iteration
  double prefill_attention_ctx = 0;   ///< sum over prefill tokens of the context each attends to
  double decode_tokens = 0;           ///< running sequences that produce one token each
  double decode_context_tokens = 0;   ///< sum of their context lengths (KV read)
};

class ServingModel {
public:
  explicit ServingModel(const ServingParams& params);

  /// Duration of one iteration, s.
  double iteration_time_s(const IterationWork& w) const;
  /// True when the iteration is limited by HBM bandwidth (decode-heavy).
  bool memory_bound(const IterationWork& w) const;
  /// Weight bytes held by each GPU of the replica.
  double weight_bytes_per_gpu() const { return weight_bytes_per_gpu_; }
  /// KV-cache bytes per token for the whole replica (all layers, all KV heads).
  double kv_bytes_per_token() const { return kv_bytes_per_token_; }
  /// Tokens of KV cache the replica can hold: (HBM - weights - activation reserve) / kv bytes per token.
  double kv_capacity_tokens() const { return kv_capacity_tokens_; }

private:
  double flops(const IterationWork& w) const;
  double bytes_per_gpu(const IterationWork& w) const;

  ServingParams params_;
  double weight_bytes_per_gpu_ = 0;
  double kv_bytes_per_token_ = 0;
  double kv_capacity_tokens_ = 0;
};

}  // namespace clustersim
