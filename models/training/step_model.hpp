#pragma once
/// @file
/// Analytic part of an LLM training step (dense or MoE transformer, TP x PP x DP): FLOPs, compute time
/// per GPU from the roofline, tensor-parallel traffic inside the scale-up domain (alpha-beta), pipeline
/// bubble (1F1B), and the data-parallel gradient volume that the simulation sends over the fabric.
/// What the simulation adds: the DP all-reduce time under contention (SimGrid flows).
///
/// FLOPs follow Narayanan et al. SC'21 (arXiv 2104.04473) eq. 3 generalised to GQA and gated FFNs:
/// per token forward = 2 x (active non-embedding params) + 2 x hidden x vocab (logits)
/// + 4 x layers x seq x hidden (attention scores and values, full causal matrix as Megatron counts it);
/// backward = 2 x forward; full recomputation adds one forward, selective adds the attention part.

#include "models/hardware/catalog.hpp"
#include "models/training/recompute.hpp"

namespace clustersim {

struct TrainingLayout {
  LlmSpec model;
  AcceleratorSpec gpu;
  CalibrationSpec calibration;
  int tp = 1, pp = 1, dp = 1;
  int micro_batch = 1;      ///< sequences
  int global_batch = 1;     ///< sequences per step
  int seq_len = 2048;
  Precision precision = Precision::kBf16;
  Recompute recompute = Recompute::kNone;
  int gpus_per_server = 8;
};

struct TrainingStepEstimate {
  double tokens_per_step = 0;
  int microbatches = 0;              ///< per pipeline (global_batch / (dp x micro_batch))
  double model_flops_per_step = 0;   ///< useful FLOPs of the whole job (MFU numerator), no recompute
  double hardware_flops_per_gpu = 0; ///< FLOPs one GPU executes per step, recompute included
  double compute_time_s = 0;         ///< per GPU, all micro-batches, roofline
  double tp_comm_time_s = 0;         ///< tensor-parallel all-reduces, exposed
  double bubble_time_s = 0;          ///< 1F1B pipeline fill and drain: (pp-1)/m x (compute + tp comm)
  double grad_bytes_per_gpu = 0;     ///< gradient bytes each GPU all-reduces over DP
  int dp_rings_per_server = 0;       ///< DP rings that leave each server (one flow each)
  double dp_bytes_per_server = 0;    ///< bytes each server sends in the one-phase ring all-reduce
  double dp_latency_s = 0;           ///< analytic latency terms of the DP ring: 2(dp-1) x alpha
  /// Step time with a given DP all-reduce time (no overlap with backward yet).
  double step_time_s(double dp_allreduce_s) const {
    return compute_time_s + tp_comm_time_s + bubble_time_s + dp_allreduce_s;
  }
};

/// Computes the analytic step components. Preconditions (validated by the config loader):
/// global_batch divisible by dp x micro_batch, tp x pp x dp GPUs.
TrainingStepEstimate estimate_training_step(const TrainingLayout& layout);

/// Forward FLOPs per token of `m` at sequence length `seq_len`.
double forward_flops_per_token(const LlmSpec& m, int seq_len);

}  // namespace clustersim
