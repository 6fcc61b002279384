#pragma once
/// @file
/// Analytic part of an LLM training step (dense or MoE transformer; TP x CP x PP x DP, EP inside DP):
/// per-micro-batch compute of the critical pipeline stage from FLOPs and bytes by operation kind
/// (GEMMs, attention, memory-bound element-wise ops, each at its calibrated efficiency), tensor- and
/// context-parallel traffic inside the scale-up domain (alpha-beta), the pipeline bubble, the optimizer
/// step, memory per GPU, and the communication that crosses the fabric (DP gradient reduction, PP
/// activations, EP all-to-all) as phases of server-to-server flows that the simulation runs with SimGrid.
/// Exposed communication = what the compute that can hide it does not hide.
///
/// Placement of ranks (the engine's assumption): tp fastest, then cp, then the expert-parallel part of dp,
/// then pp, then the rest of dp; a job takes whole servers in order.

#include <string>
#include <vector>

#include "models/training/flops.hpp"
#include "models/training/memory.hpp"
#include "spec/catalog.hpp"
#include "spec/kinds.hpp"
#include "spec/recompute.hpp"

namespace clustersim {

struct TrainingLayout {
  LlmSpec model;
  AcceleratorSpec gpu;
  CalibrationSpec calibration;
  int tp = 1, pp = 1, dp = 1;
  int cp = 1;                              ///< context-parallel ranks (sequence split)
  int ep = 1;                              ///< expert-parallel ranks (a divisor of dp)
  int virtual_stages = 1;                  ///< interleaved 1F1B model chunks per GPU (1 = plain 1F1B)
  int zero_stage = 0;                      ///< 0-3 (3 = FSDP)
  bool distributed_optimizer = false;      ///< Megatron's: ZeRO-1 sharding of the optimizer states
  bool overlap_grad_reduce = false;        ///< DP reduction overlaps the last backward (and param gather the forward)
  bool overlap_tp_comm = false;            ///< TP collectives overlap the neighbouring GEMMs (TE userbuffers)
  bool overlap_ep_comm = false;            ///< EP all-to-all overlaps compute (DualPipe-like)
  int moe_max_nodes = 0;                   ///< node-limited routing: servers per token at most (0 = unlimited)
  RankOrder order = RankOrder::kTpCpPpDp;  ///< rank layout on the servers (spec/kinds.hpp)
  double moe_dispatch_bytes = 2;           ///< bytes per element of the dispatch (1 = FP8); the combine stays BF16
  double moe_expert_skew = 0;     ///< Zipf exponent of expert popularity (0 = balanced): the busiest rank gates
  bool sequence_parallel = true;  ///< Megatron sequence parallelism with TP (activation memory / tp)
  bool flash_attention = true;    ///< fused attention (no s x s matrix in HBM; causal half skipped)
  double grad_reduce_bytes = 2;   ///< bytes per gradient element reduced over DP (2 bf16, 4 fp32)
  int micro_batch = 1;            ///< sequences
  int global_batch = 1;           ///< sequences per step
  int seq_len = 2048;
  Precision precision = Precision::kBf16;
  Recompute recompute = Recompute::kNone;
  int gpus_per_server = 8;
  double scaleout_bandwidth_Bps = 50e9;  ///< fabric bandwidth per GPU per direction (NIC), for analytic CP
  double power_cap_w = 0;                ///< GPU power cap, W (0 = the board limit): slows compute-bound phases
};

enum class CommKind { kTp, kCp, kPp, kDp, kEp };
const char* comm_kind_name(CommKind k);  ///< "tp", "cp", "pp", "dp", "ep"

/// Flow pattern of one fabric phase, between the servers of a job (indices in job order).
enum class FlowPattern {
  kRing,      ///< each server sends to server + stride (mod job size): ring all-reduce / reduce-scatter
  kNext,      ///< each server sends to server + stride: pipeline send
  kAllToAll,  ///< each server sends bytes / (group - 1) to every other server of its block of `group` servers
};

/// Communication that crosses the fabric: the engine simulates one call as concurrent flows and scales it.
struct FabricPhase {
  CommKind kind = CommKind::kDp;
  FlowPattern pattern = FlowPattern::kRing;
  double bytes_per_server = 0;  ///< bytes each server sends in one call
  int stride = 1;               ///< servers between peers
  /// Servers per group: kAllToAll and kRing groups are blocks of stride x group servers, lane l of a block holding
  /// its servers l, l + stride, ...; kNext: unused (chains over the whole job)
  int group = 1;
  double calls = 1;       ///< calls per step on the critical path
  double latency_s = 0;   ///< analytic latency per call (alpha terms)
  double hideable_s = 0;  ///< compute per step that can hide this phase
  /// Layer-by-layer overlap (ZeRO-3 / FSDP): when > 0, each call hides behind at most this much compute (its
  /// layer's share) instead of the calls sharing `hideable_s`, and `fill_calls` of them have nothing to hide
  /// behind (prefetch depth one: the first gather of each micro-batch's forward and backward).
  double hideable_per_call_s = 0;
  double fill_calls = 0;
  /// The least one call takes (its analytic ring time: ZeRO-3's all-gathers and reduce-scatters are rings of n - 1
  /// latency steps in NCCL, where the simulated all-reduce of the call's bytes may pick a tree); 0 = none.
  double min_call_s = 0;
  /// What overlap never hides (the last gradient bucket, reduced after the backward pass ends), s per step.
  double exposed_floor_s = 0;
};

struct TrainingStepEstimate {
  double tokens_per_step = 0;
  int microbatches = 0;               ///< per pipeline: global_batch / (dp x micro_batch)
  double model_flops_per_step = 0;    ///< useful FLOPs of the whole job (MFU numerator), no recompute
  double hardware_flops_per_gpu = 0;  ///< FLOPs one GPU executes per step, recompute included, attention as executed
  double microbatch_time_s = 0;       ///< one micro-batch through the critical stage (compute + exposed TP/CP)
  double compute_time_s = 0;          ///< per GPU, all micro-batches: math + memory-bound ops (no comm)
  double gemm_time_s = 0, attention_time_s = 0, memory_bound_time_s = 0;  ///< parts of compute_time_s
  double tp_comm_time_s = 0;                                              ///< tensor-parallel collectives, exposed
  double cp_comm_time_s = 0;                                              ///< context-parallel KV exchange, exposed
  double pp_local_time_s = 0;   ///< pipeline transfers inside a server (NVLink), exposed
  double dp_local_time_s = 0;   ///< DP reduction when the whole job sits in one server (NVLink), exposed
  double bubble_time_s = 0;     ///< pipeline fill and drain: (p-1)/v micro-batch times
  double optimizer_time_s = 0;  ///< optimizer step (memory-bound)
  /// SM clock under the power cap / uncapped (models/power/gpu_power.hpp), of the GEMMs and of the attention;
  /// 1 without a cap that binds. The compute times above include it.
  double gemm_clock_ratio = 1, attention_clock_ratio = 1;
  MemoryPerGpu memory;              ///< bytes per GPU on the first stage
  std::vector<FabricPhase> fabric;  ///< DP, PP, EP phases that cross servers
  double grad_bytes_per_gpu = 0;    ///< gradient bytes each GPU reduces over DP
  int dp_rings_per_server = 0;      ///< DP rings that leave each server (dp_allreduce's communicators)
  /// Time of the phases that do not cross the fabric (compute, TP, CP, bubble, optimizer).
  double local_time_s() const {
    return compute_time_s + tp_comm_time_s + cp_comm_time_s + pp_local_time_s + dp_local_time_s + bubble_time_s +
           optimizer_time_s;
  }
};

/// Computes the analytic step components. Preconditions (validated by the config loader):
/// global_batch divisible by dp x micro_batch; tp x cp x pp x dp GPUs; dp divisible by ep.
TrainingStepEstimate estimate_training_step(const TrainingLayout& layout);

/// The figures a training job reports for one step of `step_time_s`, from its estimate.
struct StepFigures {
  double tokens_per_s = 0;
  double model_flops_per_gpu_s = 0;     ///< achieved useful FLOP/s per GPU (MFU numerator)
  double hardware_flops_per_gpu_s = 0;  ///< achieved FLOP/s per GPU, recompute included
  double mfu = 0;                       ///< model FLOPs utilisation of the job's precision peak
  double hfu = 0;                       ///< hardware FLOPs utilisation
};

/// The figures of a step, checked: throws std::logic_error ("internal error", our bug, not the user's input)
/// naming the job when tokens per step differ from the micro-batches simulated (microbatches x dp x
/// micro_batch x seq_len), or when HFU exceeds 1 (executed FLOP/s above the peak; MFU, which counts the whole
/// causal attention matrix, may exceed HFU under flash attention and is not checked).
StepFigures step_figures(const TrainingLayout& layout, const TrainingStepEstimate& estimate, double step_time_s,
                         const std::string& job_name);

/// The memory inputs of a layout.
MemoryLayout memory_layout(const TrainingLayout& layout);

/// Exposed time of a fabric phase whose one call took `call_s`: calls x call_s + latency not hidden.
/// Exposed time per step of a phase whose one call took `call_s`: calls x (call + latency) less what compute hides
/// (the phase's hideable_s, or per call: hideable_per_call_s for all but fill_calls), never below exposed_floor_s.
double exposed_time_s(const FabricPhase& phase, double call_s);

}  // namespace clustersim
