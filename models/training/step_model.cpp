#include "models/training/step_model.hpp"

#include "models/training/moe_traffic.hpp"

#include "models/compute/roofline.hpp"
#include "models/power/gpu_power.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "models/training/schedule.hpp"

namespace clustersim {

namespace {

/// Bytes read and written by the memory-bound ops of one layer, per token, forward pass: layer norms
/// (2 x 4h), residual adds (2 x 6h), dropouts (2 x 5h), activation function (4f GELU, 6f SwiGLU, per active
/// expert), MoE token permutation (dispatch + combine, 8 k h); without flash attention, the softmax with its
/// scale, mask and dropout (9 a s: read and write 2 B per score twice, 1 B mask). All in BF16.
double elementwise_bytes_per_token(const TrainingLayout& l) {
  const LlmSpec& m = l.model;
  const double h = m.hidden;
  const double active = m.experts > 0 ? m.active_experts + m.shared_experts : 1;
  double bytes = 30.0 * h + (m.gated_ffn ? 6.0 : 4.0) * m.ffn_hidden * active;
  if (m.experts > 0) bytes += 8.0 * m.active_experts * h;
  if (!l.flash_attention) bytes += 9.0 * m.heads * static_cast<double>(l.seq_len) / l.cp;
  return bytes;
}

}  // namespace

const char* comm_kind_name(CommKind k) {
  switch (k) {
    case CommKind::kTp: return "tp";
    case CommKind::kCp: return "cp";
    case CommKind::kPp: return "pp";
    case CommKind::kDp: return "dp";
    case CommKind::kEp: return "ep";
  }
  return "?";
}

MemoryLayout memory_layout(const TrainingLayout& l) {
  MemoryLayout m;
  m.model = l.model;
  m.tp = l.tp;
  m.pp = l.pp;
  m.dp = l.dp;
  m.cp = l.cp;
  m.ep = l.ep;
  m.virtual_stages = l.virtual_stages;
  m.zero_stage = std::max(l.zero_stage, l.distributed_optimizer ? 1 : 0);
  m.grad_bytes = l.grad_reduce_bytes;
  m.micro_batch = l.micro_batch;
  m.microbatches = std::max(1, l.global_batch / (l.dp * l.micro_batch));
  m.seq_len = l.seq_len;
  m.recompute = l.recompute;
  m.sequence_parallel = l.sequence_parallel;
  m.flash_attention = l.flash_attention;
  return m;
}

StepFigures step_figures(const TrainingLayout& l, const TrainingStepEstimate& e, double step_time_s,
                         const std::string& job_name) {
  StepFigures f;
  const int gpus = l.tp * l.cp * l.pp * l.dp;
  const double peak = l.gpu.peak_flops(l.precision);
  f.tokens_per_s = e.tokens_per_step / step_time_s;
  f.model_flops_per_gpu_s = e.model_flops_per_step / step_time_s / gpus;
  f.hardware_flops_per_gpu_s = e.hardware_flops_per_gpu / step_time_s;
  f.mfu = f.model_flops_per_gpu_s / peak;
  f.hfu = f.hardware_flops_per_gpu_s / peak;
  const double simulated_tokens =
      static_cast<double>(e.microbatches) * l.dp * l.micro_batch * static_cast<double>(l.seq_len);
  auto fail = [&](const std::string& what) {
    throw std::logic_error("internal error: training job '" + job_name + "': " + what);
  };
  if (e.tokens_per_step != simulated_tokens)
    fail("counts " + std::to_string(e.tokens_per_step) + " tokens per step but simulates " +
         std::to_string(simulated_tokens) + " (" + std::to_string(e.microbatches) + " micro-batches x dp " +
         std::to_string(l.dp) + " x micro_batch " + std::to_string(l.micro_batch) + " x seq_len " +
         std::to_string(l.seq_len) + ")");
  const double tolerance = 1 + 1e-9;
  if (std::isfinite(step_time_s) && f.hfu > tolerance)  // executed FLOPs above the peak: a timing bug
    fail("achieved " + std::to_string(f.hardware_flops_per_gpu_s / 1e12) + " TFLOP/s per GPU (MFU " +
         std::to_string(f.mfu) + ", HFU " + std::to_string(f.hfu) + ") above the peak " + std::to_string(peak / 1e12) +
         " TFLOP/s");
  return f;
}

double exposed_time_s(const FabricPhase& phase, double call_s) {
  const double t = std::max(call_s + phase.latency_s, phase.min_call_s);
  double exposed = std::max(0.0, phase.calls * t - phase.hideable_s);
  if (phase.hideable_per_call_s > 0) {
    const double fill = std::min(phase.fill_calls, phase.calls);
    exposed = fill * t + (phase.calls - fill) * std::max(0.0, t - phase.hideable_per_call_s);
  }
  return std::max(exposed, std::min(phase.exposed_floor_s, phase.calls * t));
}

TrainingStepEstimate estimate_training_step(const TrainingLayout& l) {
  const long long per_round = 1LL * l.dp * l.micro_batch;
  if (l.global_batch <= 0 || per_round <= 0 || l.global_batch % per_round != 0)
    throw std::logic_error("internal error: training layout with global_batch " + std::to_string(l.global_batch) +
                           " not a positive multiple of dp x micro_batch = " + std::to_string(per_round) +
                           " (the config loader should have refused or rounded it)");
  TrainingStepEstimate e;
  const LlmSpec& model = l.model;
  const CalibrationSpec& cal = l.calibration;
  const double tokens = static_cast<double>(l.global_batch) * l.seq_len;
  const int gpus = l.tp * l.cp * l.pp * l.dp;
  const int m = std::max(1, l.global_batch / (l.dp * l.micro_batch));
  const bool full = l.recompute == Recompute::kFull;
  const bool selective = l.recompute == Recompute::kSelective;
  e.tokens_per_step = tokens;
  e.microbatches = m;

  const ForwardFlops f = forward_flops(model, l.seq_len);
  e.model_flops_per_step = 3.0 * f.total() * tokens;
  // Hardware FLOPs are what the GPU executes: recomputation included, and of the causal attention matrix only the
  // unmasked half when flash attention skips the rest (unfused attention computes it all). The model FLOPs (MFU)
  // keep the full matrix, the convention of Narayanan et al.; at long context under flash attention MFU may then
  // exceed HFU.
  const double attention_executed = l.flash_attention ? 0.5 : 1.0;
  const double attention_recompute = full || selective ? 1.0 : 0.0;
  // Attention matmul passes, in forwards: 1 forward (QK^T, PV), a backward of 2 (dV, dP, dQ, dK), 2.5 with flash
  // attention, which recomputes QK^T from the saved softmax statistics (5 matmuls against the forward's 2; V:
  // FlashAttention's benchmarks count bwd = 2.5 x fwd, fwd_bwd = 3.5 x fwd), and the recomputed forward.
  const double attention_passes = (l.flash_attention ? 3.5 : 3.0) + attention_recompute;
  // Selective recomputation of an MLA model recomputes its up-projections in the backward pass (memory.cpp).
  const double up_recompute =
      selective && l.flash_attention && model.mla() ? 2.0 * model.layers * model.mla_up_projection_params() : 0.0;
  e.hardware_flops_per_gpu =
      (3.0 * (f.gemm + f.logits) + recompute_flops_per_token(model, l.seq_len, l.recompute) -
       attention_recompute * f.attention + attention_executed * attention_passes * f.attention + up_recompute) *
      tokens / gpus;

  // One micro-batch through the critical stage: the stage's layers plus the logits (last stage).
  const double tok = static_cast<double>(l.micro_batch) * l.seq_len / l.cp;  // tokens per GPU per micro-batch
  const double layers = static_cast<double>(model.layers) / l.pp;
  // Per-GPU calibration is resolved for l.gpu already (CalibrationSpec::for_accelerator, sim/setup).
  const double eff_gemm = cal.matmul_efficiency;
  const double eff_attn = cal.attention_efficiency;
  const double eff_mem = cal.memory_efficiency;
  const double eff_scaleup = cal.scaleup_efficiency;
  const double peak = l.gpu.peak_flops(l.precision);
  const double peak_bf16 = l.gpu.peak_bf16_flops;  // attention and logits stay BF16 under FP8 (Transformer Engine)
  const double eff_layer_gemm = l.precision == Precision::kFp8 ? cal.fp8_matmul_efficiency : eff_gemm;
  const double gemm_passes = 3.0 + (full ? 1.0 : 0.0);
  const double attn_passes = 3.0 + attention_recompute;  // KV exchanges of context parallelism: fwd, bwd (K, V, dK, dV)
  double gemm_mb =
      (gemm_passes * f.gemm + up_recompute) / model.layers * layers * tok / l.tp / (peak * eff_layer_gemm) +
      3.0 * f.logits * tok / l.tp / (peak_bf16 * eff_gemm);
  // Flash attention skips the masked half of the causal matrix; unfused attention computes it all as GEMMs.
  const double attn_flops = attention_passes * f.attention / model.layers * layers * tok / l.tp;
  double attn_mb = l.flash_attention ? 0.5 * attn_flops / (peak_bf16 * eff_attn) : attn_flops / (peak_bf16 * eff_gemm);
  // Recomputed element-wise ops: all of them (full), or the norms and activation function (selective with flash).
  const double mem_passes = 3.0 + (full ? 1.0 : 0.0) + (selective && l.flash_attention ? 0.5 : 0.0);
  const double mem_mb =
      mem_passes * elementwise_bytes_per_token(l) * layers * tok / l.tp / (l.gpu.hbm_bandwidth_Bps * eff_mem);

  // A power cap lowers the SM clock of the compute-bound GEMMs and attention; the memory-bound ops keep their time.
  if (l.power_cap_w > 0) {
    const GpuPowerModel power(gpu_power_params(l.gpu, cal, l.power_cap_w));
    e.gemm_clock_ratio = power.clock_ratio({eff_layer_gemm, 0});
    e.attention_clock_ratio = power.clock_ratio({l.flash_attention ? eff_attn : eff_gemm, 0});
    gemm_mb /= e.gemm_clock_ratio;
    attn_mb /= e.attention_clock_ratio;
  }
  // Tensor parallelism: 2 all-reduces (or reduce-scatter + all-gather with SP, same bytes) per layer forward,
  // 2 backward, 2 more when the forward is recomputed; BF16 activations of the micro-batch.
  double tp_mb = 0;
  if (l.tp > 1) {
    const double bytes = tok * model.hidden * 2.0;
    const double per_call =
        ring_allreduce_time_s(bytes, l.tp, l.gpu.scaleup_bandwidth_Bps * eff_scaleup, cal.kernel_launch_s);
    tp_mb = (4.0 + (full ? 2.0 : 0.0)) * layers * per_call;
    if (l.overlap_tp_comm) tp_mb = std::max(0.0, tp_mb - gemm_mb);
  }
  // Context parallelism (ring attention): each rank passes its K,V chunk cp-1 times forward, K,V and their
  // gradients backward; hidden behind the attention compute.
  double cp_mb = 0;
  if (l.cp > 1) {
    const double kv_bytes = model.key_value_width() * tok * 2.0 / l.tp;
    const bool inside = l.tp * l.cp <= l.gpus_per_server;
    const double bw = inside ? l.gpu.scaleup_bandwidth_Bps * eff_scaleup : l.scaleout_bandwidth_Bps;
    const double total = (l.cp - 1.0) * (attn_passes)*layers * (kv_bytes / bw + cal.network_alpha_s);
    cp_mb = std::max(0.0, total - attn_mb);
  }
  const double compute_mb = gemm_mb + attn_mb + mem_mb;
  e.microbatch_time_s = compute_mb + tp_mb + cp_mb;
  e.gemm_time_s = m * gemm_mb;
  e.attention_time_s = m * attn_mb;
  e.memory_bound_time_s = m * mem_mb;
  e.compute_time_s = m * compute_mb;
  e.tp_comm_time_s = m * tp_mb;
  e.cp_comm_time_s = m * cp_mb;
  e.bubble_time_s = pipeline_bubble_fraction(l.pp, m, l.virtual_stages) * m * e.microbatch_time_s;

  // Memory and the optimizer step: Adam reads FP32 master weights, moments and gradients and writes them
  // back with the BF16 weights, ~30 B per parameter this GPU owns (all of them, or 1/(dp cp) when sharded).
  const MemoryLayout ml = memory_layout(l);
  e.memory = memory_per_gpu(ml);
  const double params = params_per_gpu(ml);
  const int shard = l.dp * l.cp;
  const double owned = ml.zero_stage >= 1 ? params / shard : params;
  e.optimizer_time_s = 30.0 * owned / (l.gpu.hbm_bandwidth_Bps * eff_mem);

  // Fabric phases. Ranks (l.order): tp fastest, then cp, then pp and dp (tp-cp-pp-dp: a replica of tp cp pp GPUs
  // spans tp cp pp / g servers, data-parallel peers a replica apart) or dp and pp (tp-cp-dp-pp: a stage's dp peers on
  // consecutive servers, a block of dp tp cp GPUs per stage, stages a block apart); EP groups are consecutive DP
  // ranks. Traffic between GPUs of one scale-up domain (NVLink / UB: a server, or a GB200 NVL72 rack of 18 trays, a
  // CloudMatrix 384) stays there: analytic at the scale-up bandwidth. Jobs are taken as placed from the start of
  // a domain (servers in order), so a group of ranks spanning at most `domain` GPUs shares one domain.
  const int g = l.gpus_per_server;
  const int domain = std::max(g, l.gpu.scaleup_domain);
  const bool pp_inner = l.order == RankOrder::kTpCpPpDp;
  const int stage_gpus = l.tp * l.cp;
  const int replica_gpus = stage_gpus * l.pp;
  const int job_servers = std::max(1, gpus / g);
  // GPUs between consecutive data-parallel ranks, servers between their servers, and the span of one DP group.
  const int dp_spacing_gpus = pp_inner ? replica_gpus : stage_gpus;
  const int dp_stride_servers = std::max(1, dp_spacing_gpus / g);
  const long long dp_span_gpus = pp_inner ? gpus : static_cast<long long>(stage_gpus) * l.dp;
  const int dp_span_servers = std::max(1, static_cast<int>(dp_span_gpus / g));
  const double fwd_mb = compute_mb / (gemm_passes);  // ~ one forward of a micro-batch
  // DP: gradients of this GPU's parameters over dp x cp ranks (ring; ZeRO-1/2 reduce-scatter + all-gather has
  // the same volume). With overlap, the reduction runs bucket by bucket during the last micro-batch's backward
  // (and the ZeRO-1 parameter gather during the next forward); the last bucket, whose gradients come last, is
  // reduced after the backward ends: its time is exposed whatever the overlap (exposed_floor_s).
  // ZeRO-3 / FSDP: per layer, an all-gather of its weights before each micro-batch's forward and backward and a
  // reduce-scatter of its gradients once per step: layers x (2m + 1) collectives, each latency-bound at scale
  // ((n - 1) ring steps) and hidden only behind its own layer's compute (prefetch depth one), the first gather of
  // each micro-batch's forward and backward behind nothing.
  e.grad_bytes_per_gpu = params * l.grad_reduce_bytes;
  const bool zero3 = l.zero_stage >= 3;
  const double zero3_calls = layers * (2.0 * m + 1.0);
  const double zero3_bytes_per_gpu = params * (2.0 * 2.0 * m + l.grad_reduce_bytes);  // gathered size, all calls
  const auto layer_by_layer = [&](FabricPhase& phase) {
    phase.calls = zero3_calls;
    if (!l.overlap_grad_reduce) return;
    phase.hideable_per_call_s = e.compute_time_s / zero3_calls;
    phase.fill_calls = 2.0 * m;
  };
  if (shard > 1 && dp_span_servers > dp_stride_servers && dp_span_gpus > domain) {
    const int n = shard;
    e.dp_rings_per_server = std::min(g, dp_spacing_gpus);
    const double per_gpu = zero3 ? (n - 1.0) / n * zero3_bytes_per_gpu : 2.0 * (n - 1.0) / n * e.grad_bytes_per_gpu;
    const double bytes_per_server = e.dp_rings_per_server * per_gpu;
    const double latency_s = 2.0 * (n - 1.0) * cal.network_alpha_s;
    FabricPhase dp{CommKind::kDp,
                   FlowPattern::kRing,
                   bytes_per_server,
                   dp_stride_servers,
                   dp_span_servers / dp_stride_servers,
                   1,
                   latency_s,
                   0};
    if (zero3) {
      layer_by_layer(dp);
      dp.bytes_per_server = bytes_per_server / zero3_calls;
      dp.latency_s = (n - 1.0) * cal.network_alpha_s;
      dp.min_call_s = dp.latency_s + per_gpu / zero3_calls / l.scaleout_bandwidth_Bps;
    } else if (l.overlap_grad_reduce) {
      dp.hideable_s = fwd_mb * 2.0 + (ml.zero_stage >= 1 ? fwd_mb : 0.0);
      // Megatron-core's default bucket: max(40M, 1M x dp) parameters (V: megatron/core/distributed/
      // distributed_data_parallel_config.py, bucket_size: "larger DP sizes need larger buckets").
      const double bucket_bytes = std::min(e.grad_bytes_per_gpu, std::max(40e6, 1e6 * l.dp) * l.grad_reduce_bytes);
      dp.exposed_floor_s = latency_s + 2.0 * (n - 1.0) / n * bucket_bytes / l.scaleout_bandwidth_Bps;
    }
    e.fabric.push_back(dp);
  } else if (shard > 1) {  // the whole job in one scale-up domain: ring over NVLink
    const double bw = l.gpu.scaleup_bandwidth_Bps * eff_scaleup;
    if (zero3) {
      FabricPhase local;
      layer_by_layer(local);
      // One call: an all-gather (or reduce-scatter) of its share, half a ring all-reduce of the same bytes.
      const double call_s =
          0.5 * ring_allreduce_time_s(zero3_bytes_per_gpu / zero3_calls, shard, bw, cal.kernel_launch_s);
      e.dp_local_time_s = exposed_time_s(local, call_s);
    } else {
      const double t = ring_allreduce_time_s(e.grad_bytes_per_gpu, shard, bw, cal.kernel_launch_s);
      e.dp_local_time_s = l.overlap_grad_reduce ? std::max(0.0, t - fwd_mb * 2.0) : t;
    }
  }
  // PP: each boundary passes the BF16 activations (forward) and their gradients (backward) of a micro-batch;
  // Megatron's scatter-gather sends 1/tp per GPU. On the critical path: 2 (m + p - 1) transfers for 1F1B; with
  // the interleaved schedule the steady-state transfers overlap compute, leaving 2 v (p - 1) fill/drain ones.
  if (l.pp > 1) {
    const double per_gpu = tok * model.hidden * 2.0 / l.tp;
    const double calls = l.virtual_stages > 1 ? 2.0 * l.virtual_stages * (l.pp - 1.0) : 2.0 * (m + l.pp - 1.0);
    // Stages a stage (tp-cp-pp-dp) or a block of dp stages' ranks (tp-cp-dp-pp) apart; a server sends one boundary's
    // activations (tp-cp-pp-dp: its stages' last; tp-cp-dp-pp: every GPU is in one stage and sends).
    if ((pp_inner ? replica_gpus : gpus) > domain) {
      const int stride = std::max(1, static_cast<int>((pp_inner ? stage_gpus : dp_span_gpus) / g));
      const double server_bytes = (pp_inner ? std::min(g, stage_gpus) : g) * per_gpu;
      e.fabric.push_back(
          {CommKind::kPp, FlowPattern::kNext, server_bytes, stride, job_servers, calls, cal.network_alpha_s, 0});
    } else {
      e.pp_local_time_s = calls * (per_gpu / (l.gpu.scaleup_bandwidth_Bps * eff_scaleup) + cal.kernel_launch_s);
    }
  }
  // EP: dispatch and combine all-to-all of each MoE layer, forward and backward (and recomputed forward), of
  // the k routed copies of each token; the share that stays on this server does not cross the fabric.
  // Per token: the copies that travel (moe_traffic.hpp: k, or the servers of node-limited routing), at the
  // dispatch/combine mean element size, times the busiest rank's load (expert skew).
  if (l.ep > 1 && model.experts > 0) {
    const int group_servers = dp_spacing_gpus >= g ? l.ep : std::max(1, l.ep * dp_spacing_gpus / g);
    const double copies = moe_copies_per_token(model.active_experts, l.moe_max_nodes, group_servers);
    const double element_bytes = 0.5 * (l.moe_dispatch_bytes + 2.0);
    const double busiest = moe_busiest_rank_factor(model.experts, l.ep, l.moe_expert_skew,
                                                   tok * l.ep * model.active_experts / std::max(1, l.tp));
    const double per_gpu = tok * copies * model.hidden * element_bytes / l.tp * busiest;
    // Only the MoE layers route (DeepSeek-V3's first dense layers do not): their share of the stage's layers.
    const double moe_share = static_cast<double>(model.moe_layers()) / model.layers;
    const double calls = (4.0 + (full ? 2.0 : 0.0)) * layers * moe_share * m;
    if (group_servers > 1 && static_cast<long long>(l.ep) * dp_spacing_gpus > domain) {
      const double server_bytes = g * per_gpu * (group_servers - 1.0) / group_servers;
      FabricPhase ep{CommKind::kEp,
                     FlowPattern::kAllToAll,
                     server_bytes,
                     dp_stride_servers,
                     group_servers,
                     calls,
                     (group_servers - 1.0) * cal.network_alpha_s,
                     0};
      if (l.overlap_ep_comm) ep.hideable_s = e.compute_time_s;
      e.fabric.push_back(ep);
    } else {
      const double t =
          calls * ((l.ep - 1.0) / l.ep * per_gpu / (l.gpu.scaleup_bandwidth_Bps * eff_scaleup) + cal.kernel_launch_s);
      e.tp_comm_time_s += l.overlap_ep_comm ? std::max(0.0, t - e.compute_time_s) : t;
    }
  }
  return e;
}

}  // namespace clustersim
