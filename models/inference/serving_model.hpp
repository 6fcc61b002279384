#pragma once
/// @file
/// Duration of one iteration of an LLM inference replica (TP GPUs) under continuous batching: one
/// iteration runs some prefill tokens (chunked prefill) and one decode token for each running sequence.
///
/// Per-operator roofline, summed over the operators that run one after the other:
/// - dense layers (GEMMs): a smooth roofline sqrt(tc^2 + tm^2) of tc = FLOPs / (peak x
///   GEMM efficiency) and tm = weight bytes / (HBM x serving_memory_efficiency) (near the ridge
///   point a GEMM reaches neither limit; far from it this is the larger of the two); FLOPs = 2 x body parameters x
///   tokens + 2 x vocab x hidden x tokens that need logits (decoded tokens and the last token of a finished prefill).
///   Weights are read once per iteration; for MoE only the experts that the batch's tokens select (expected count).
///   GEMM efficiency: serving_matmul_efficiency for FP8/FP4 GEMMs (fitted on TensorRT-LLM FP8, I4); BF16 GEMMs
///   reach what training's BF16 GEMMs reach (matmul_efficiency), the same cuBLAS/CUTLASS kernels.
/// - attention: prefill is compute-bound, layers x LlmSpec::attention_flops_per_pair FLOPs per (query, key) pair
///   (4 x heads x head_size for MHA/GQA) at BF16 peak x serving_matmul_efficiency; decode reads the KV cache of
///   every decoded token's context and computes layers x decode_attention_flops_per_context per cached token, a
///   smooth roofline of the two: memory-bound for MHA/GQA (about 8 FLOP per byte), compute-bound for MLA, whose
///   absorbed decode runs every head over the shared 576-element latent (about 480 FLOP per FP8 byte).
/// - tensor parallelism: 2 all-reduces of the activations per layer in the scale-up domain (ring), each with
///   the engine's collective_latency (its all-reduce kernels' launch and synchronisation).
/// - the engine's step_overhead per iteration (scheduling, sampling, launches the engine does not hide), during
///   which the GPUs wait (data/catalog/engines.yaml: one profile per serving engine, each fitted on its own
///   published benchmark).
/// - pipeline parallelism (pp stages of layers/pp, vLLM virtual engines): the batch is split into pp
///   micro-batches in flight; one iteration (every sequence advances one token) is pp stage slots, each
///   the roofline of a 1/pp micro-batch on 1/pp of the layers, plus one activation send per slot
///   (alpha + tokens x hidden x 2 B / scale-up bandwidth). A token's latency is the same pp slots.
///   Weights and the KV cache are spread over tp x pp GPUs.
/// - attention and the KV cache under tensor parallelism: split by heads, each GPU computes 1/tp of the heads,
///   but a cache that is not split with them is held and read whole by every GPU: MLA's latent (shared by all
///   heads) and the KV heads of a GQA model with fewer KV heads than tp GPUs (tp / kv_heads copies). With
///   attention_dp (DeepSeek-style attention data parallelism, e.g. TensorRT-LLM enable_attention_dp, SGLang
///   --enable-dp-attention) each GPU runs all heads for its own 1/tp of the sequences: the cache is split, and
///   every GPU holds and reads all attention weights. The collectives are taken as unchanged (an all-gather
///   and a reduce-scatter around the FFN move what the all-reduce moves).
/// - expert parallelism (MoE, ep GPUs of each stage's tp GPUs, ep | tp): each GPU holds experts/ep whole
///   experts (each split over tp/ep GPUs), so the expected expert bytes per GPU are unchanged (load
///   imbalance ignored); the FFN all-reduce is replaced by a dispatch and a combine all-to-all per layer,
///   each alpha + (tokens/ep) x active_experts x hidden x 2 B x (ep-1)/ep / scale-up bandwidth.
/// - speculative decoding (models/inference/speculative): a verification step runs k + 1 tokens per
///   decoding sequence (KV context read once) plus k draft passes of draft_cost_fraction x a plain decode
///   iteration, and yields E = (1 - a^(k+1)) / (1 - a) tokens per sequence. The scheduler advances one
///   token per iteration, so one iteration is 1/E of a step: a step with E x the iteration's prefill work,
///   divided by E (mean-value model; prefill-only iterations are unchanged).
/// - a GPU power cap (models/power/gpu_power.hpp): the SM clock ratio of the dense layers' load divides their
///   compute time and the prefill attention's; memory-bound reads keep their time.
/// The constants come from data/catalog/calibration.yaml (calibrated on the TensorRT-LLM anchors I4 and I5) and the
/// engine's profile (data/catalog/engines.yaml).

#include "models/inference/speculative.hpp"
#include "models/power/gpu_power.hpp"
#include "spec/catalog.hpp"

namespace clustersim {

struct ServingParams {
  LlmSpec model;
  AcceleratorSpec gpu;
  CalibrationSpec calibration;
  int tp = 1;
  Precision precision = Precision::kBf16;
  double kv_cache_fraction = 0.9;  ///< share of (HBM - weights - activations) given to the KV cache
  int max_batch_tokens = 8192;     ///< sizes the activation workspace
  int pp = 1;                      ///< pipeline stages per replica (replica GPUs = tp x pp)
  int ep = 1;                      ///< expert-parallel GPUs within a stage (MoE; divides tp)
  bool attention_dp = false;       ///< attention data-parallel over the tp GPUs (see the file comment)
  SpeculativeParams speculative;   ///< speculative decoding; draft_tokens 0 = off
  double power_cap_w = 0;          ///< GPU power cap, W (0 = the board limit): slows compute-bound work
  EngineSpec engine;               ///< the serving engine's profile (step overhead, collective latency)
  int gpus() const { return tp * pp; }
};

/// What one iteration processes.
struct IterationWork {
  double prefill_tokens = 0;         ///< new prompt tokens computed this iteration
  double prefill_attention_ctx = 0;  ///< sum over prefill tokens of the context each attends to
  double decode_tokens = 0;          ///< running sequences that produce one token each
  double decode_context_tokens = 0;  ///< sum of their context lengths (KV read)
  double prefill_completions = 0;    ///< prefills finishing this iteration (their last token needs logits)
};

/// The time split of one iteration, s.
struct IterationTime {
  double dense_s = 0;
  double attention_s = 0;
  double communication_s = 0;
  double overhead_s = 0;
  bool memory_bound = false;  ///< the dense layers are limited by HBM bandwidth
  /// With `with_load`: the GPU's power demand integrated over the iteration, s (each phase's demand from its
  /// own utilizations times its time: dense layers, attention; collectives at the communication activity; the
  /// step overhead, GPUs waiting at full clock, at the busy activity). The board limit or a cap acts on the mean.
  PowerDemand demand_s;
  double total_s() const { return dense_s + attention_s + communication_s + overhead_s; }
};

class ServingModel {
 public:
  /// Throws std::invalid_argument ("internal error: ...", naming the inputs to blame) when an iteration
  /// time would not be finite and >= 0: a zero or infinite HBM bandwidth, peak FLOP/s, scale-up bandwidth
  /// (with tp, pp or ep > 1) or efficiency, or a negative or infinite overhead. Such a time must never reach
  /// SimGrid ("duration is not finite!" aborts the process).
  explicit ServingModel(const ServingParams& params);

  /// Duration of one iteration, s.
  double iteration_time_s(const IterationWork& w) const { return iteration(w).total_s(); }
  /// The split of one iteration; `with_load` also fills its demand_s (the GPU's power: left out of the many
  /// calls that only time iterations).
  IterationTime iteration(const IterationWork& w, bool with_load = false) const;
  /// Total time of `k` consecutive decode-only iterations starting from `w` (each decoded sequence's
  /// context grows by one token per iteration). Exact: the time is linear in the decode context.
  double repeated_time_s(const IterationWork& w, int k) const;
  /// The smallest j in [1, k] such that j such iterations last at least `elapsed_s`: the iteration in
  /// progress at `elapsed_s` into the stretch is the j-th (it always runs to its end).
  int iterations_covering(const IterationWork& w, int k, double elapsed_s) const;
  /// GPU power activity of an iteration: the time-weighted mean of its phases' activities
  /// (models/power/gpu_power.hpp, from each phase's utilizations); needs iteration(w, true).
  double activity(const IterationTime& t) const;
  /// True when the dense layers are limited by HBM bandwidth (decode-heavy).
  bool memory_bound(const IterationWork& w) const { return iteration(w).memory_bound; }
  /// Weight bytes held by each GPU of the replica.
  double weight_bytes_per_gpu() const { return weight_bytes_per_gpu_; }
  /// KV-cache bytes per token of one copy of the cache (all layers, all KV heads): what a KV transfer moves.
  double kv_bytes_per_token() const { return kv_bytes_per_token_; }
  /// Copies of each token's KV that the replica's tp GPUs hold (attention split by heads while the cache
  /// is not: MLA's shared latent, or fewer KV heads than tp GPUs); 1 with attention_dp.
  double kv_copies() const { return kv_copies_; }
  /// Tokens of KV cache the replica can hold (models/inference/kv_cache).
  double kv_capacity_tokens() const { return kv_capacity_tokens_; }
  const ServingParams& params() const { return params_; }

 private:
  /// One pipeline stage's roofline for micro-batch `w` on `layer_share` of the layers (no overhead).
  IterationTime stage(const IterationWork& w, double layer_share, bool with_load) const;
  /// Iteration without speculation: the stage time, times pp slots, plus overhead.
  IterationTime plain_iteration(const IterationWork& w, bool with_load) const;

  ServingParams params_;
  double weight_bytes_per_gpu_ = 0;
  double kv_bytes_per_token_ = 0;
  double kv_copies_ = 1;
  double kv_capacity_tokens_ = 0;
  // Per-model constants of stage(), computed once by the same expressions (the engine times millions of
  // iterations): the active body parameters, the output layer, a dense model's body read by any iteration,
  // bytes per parameter, and the effective matmul FLOP/s, attention FLOP/s and HBM bytes/s.
  double body_active_ = 0, head_ = 0, dense_body_read_ = 0, param_bytes_ = 0;
  double attention_replicated_ = 0;  ///< attention parameters each GPU holds and reads beyond its 1/tp share
  double kv_held_per_token_ = 0;     ///< kv_bytes_per_token_ x kv_copies_
  double prefill_attention_flops_ = 0, decode_attention_flops_ = 0;  ///< per (query, key) and per cached token
  double matmul_flops_ = 0, attention_flops_ = 0, memory_Bps_ = 0;
  GpuPowerModel power_;
  bool capped_ = false;  ///< a power cap below the board limit
};

}  // namespace clustersim
