#pragma once
/// @file
/// Hardware and model catalog: plain typed records loaded from data files (data/catalog/*.yaml) by
/// sim/config/catalog_loader. Every record carries the source of its numbers. Models never read YAML.
/// Units are canonical SI: FLOP/s, B, B/s, bit/s, W.

#include <map>
#include <string>
#include <vector>

namespace clustersim {

/// Numeric precisions the models know.
enum class Precision { kBf16, kFp8, kFp4 };
const char* precision_name(Precision p);  ///< "bf16", "fp8", "fp4"
int precision_bytes_x2(Precision p);      ///< bytes per element times 2 (bf16 4, fp8 2, fp4 1)

/// An accelerator (GPU/NPU).
struct AcceleratorSpec {
  std::string name;
  std::string vendor;
  double peak_bf16_flops = 0;        ///< dense BF16 FLOP/s
  double peak_fp8_flops = 0;         ///< dense FP8 FLOP/s; 0 = not supported
  double peak_fp4_flops = 0;         ///< dense FP4 FLOP/s; 0 = not supported
  double hbm_bytes = 0;              ///< HBM capacity, B
  double hbm_bandwidth_Bps = 0;      ///< HBM bandwidth, B/s
  double tdp_w = 0;                  ///< board power limit, W
  double idle_w = 0;                 ///< idle power, W
  double scaleup_bandwidth_Bps = 0;  ///< scale-up (NVLink/HCCS/UB) bandwidth per GPU per direction, B/s
  int scaleup_domain = 8;            ///< accelerators in one scale-up domain
  std::string default_server;        ///< server catalog entry used when the experiment names none
  std::string source;                ///< where the numbers come from (status V/R/E as in hardware-reference.md)
  /// Peak dense FLOP/s at a precision; 0 when unsupported.
  double peak_flops(Precision p) const;
};

/// A server (host) that carries accelerators: what it adds to power besides the GPUs.
struct ServerSpec {
  std::string name;
  int gpus = 8;
  double overhead_idle_w = 0;  ///< CPUs, DRAM, fans, NVSwitches, PSU losses with idle GPUs, W
  double overhead_max_w = 0;   ///< the same at full GPU load, W
  /// The PCIe generation of each scale-out NIC's host slot (a `pcie` entry); "" = the NIC is part of the
  /// accelerator (no host bus between them, e.g. Ascend's on-die RoCE ports).
  std::string nic_pcie;
  int nic_pcie_lanes = 16;  ///< lanes of that slot
  double price_usd = 0;     ///< purchase price of one server, USD (0 = unknown: costs are NaN)
  std::string price_source;
  std::string source;
};

/// A PCIe generation: what one lane carries per direction after line coding (128b/130b up to Gen5, flits
/// from Gen6), and the share of it left for bulk DMA after the transaction and link layers (headers,
/// CRC, flow control).
struct PcieGenerationSpec {
  std::string name;
  double lane_bandwidth_bps = 0;  ///< per lane per direction after line coding, bit/s
  double efficiency = 1;          ///< usable share for bulk transfers
  std::string source;
  double usable_bps(int lanes) const { return lanes * lane_bandwidth_bps * efficiency; }
};

/// A serving engine's software profile (data/catalog/engines.yaml): what the engine adds to the GPU work of an
/// iteration, as measured against its published benchmarks.
struct EngineSpec {
  std::string name;
  double step_overhead_s = 0;           ///< time per iteration the GPUs wait for the engine (scheduling, sampling), s
  double collective_latency_s = 10e-6;  ///< fixed time of one tensor-parallel collective (launch, synchronisation), s
  std::string source;
};

/// A training framework generation (megatron-2021, nemo-2024, torchtitan, ...): the settings its releases ran
/// with, applied to a training job that names it (workload.training[].software) for every key the job leaves unset.
/// Each setting is "" (the profile does not say: the experiment default), or its YAML text ("true", "fp32").
struct SoftwareSpec {
  std::string name;
  std::string flash_attention;        ///< fused attention kernels
  std::string sequence_parallel;      ///< Megatron sequence parallelism with TP
  std::string distributed_optimizer;  ///< ZeRO-1 optimizer sharding
  std::string overlap_grad_reduce;    ///< DP reduction overlapped with the backward pass
  std::string overlap_tp_comm;        ///< TP collectives overlapped with GEMMs
  std::string grad_reduce_dtype;      ///< bf16 or fp32 gradient reduction
  std::string description;
  std::string source;
};

/// A network interface card.
struct NicSpec {
  std::string name;
  double bandwidth_bps = 0;
  double power_w = 0;  ///< card power without optics, W
  std::string source;
  double price_usd = 0;  ///< purchase price, USD (0 = unknown: the network capital falls back to a share)
  std::string price_source;
};

/// A switch model. Power = chassis_w + active ports x port_w (optics counted separately).
struct SwitchSpec {
  std::string name;
  int radix = 64;  ///< ports at port_bandwidth_bps
  double port_bandwidth_bps = 0;
  double chassis_w = 0;  ///< fixed power (ASIC idle, fans, CPU), W
  double port_w = 0;     ///< extra power per active port (SerDes, without optics), W
  std::string source;
  double price_usd = 0;  ///< purchase price, USD (0 = unknown: the network capital falls back to a share)
  std::string price_source;
};

/// An optical (or copper) module kind at a speed.
struct TransceiverSpec {
  std::string name;
  double bandwidth_bps = 0;  ///< per port (end of a link)
  std::string kind;          ///< "pluggable", "lpo", "cpo", "dac"
  double power_w = 0;        ///< per link end (one module or one CPO port), W
  std::string source;
  double price_usd = 0;  ///< purchase price, USD (0 = unknown: the network capital falls back to a share)
  std::string price_source;
};

/// A transformer LLM architecture.
struct LlmSpec {
  std::string name;
  int layers = 0;
  int hidden = 0;
  int ffn_hidden = 0;  ///< FFN inner size (per expert for MoE)
  int heads = 0;
  int kv_heads = 0;  ///< = heads for MHA, fewer for GQA
  int vocab = 0;
  int seq_len = 4096;     ///< default training sequence length
  bool gated_ffn = true;  ///< SwiGLU (3 matrices) vs GELU (2)
  int experts = 0;        ///< 0 = dense
  int active_experts = 0;
  int shared_experts = 0;
  int head_dim = 0;  ///< per-head size; 0 = hidden / heads (Qwen3 and DeepSeek differ)
  std::string source;
  /// MoE models whose first layers keep a dense FFN (DeepSeek-V3: 3 layers of 18,432): their count and FFN size.
  int dense_layers = 0;
  int dense_ffn_hidden = 0;
  /// Multi-head latent attention (MLA, DeepSeek-V2/V3), used when kv_lora_rank > 0: Q is compressed to
  /// q_lora_rank (0 = a full-rank Q projection), K and V to one kv_lora_rank latent per token (cached) plus a
  /// decoupled RoPE key of rope_dim shared by the heads (cached); each head's query/key is head_dim (the
  /// non-RoPE part) + rope_dim and its value v_head_dim. kv_heads is not used.
  int q_lora_rank = 0;
  int kv_lora_rank = 0;
  int rope_dim = 0;
  int v_head_dim = 0;  ///< value head size; 0 = head_size()

  /// Per-head size: head_dim, or hidden / heads when 0 (MLA: the non-RoPE query/key part).
  double head_size() const;
  bool mla() const { return kv_lora_rank > 0; }
  /// Query/key size per head (MLA: head_size + rope_dim) and value size per head.
  double qk_head_size() const { return head_size() + (mla() ? rope_dim : 0); }
  double v_head_size() const { return v_head_dim > 0 ? v_head_dim : head_size(); }
  /// Attention projection parameters of one layer. MHA/GQA: hidden x (heads + kv_heads) x (qk + v head sizes).
  /// MLA: the Q down/up projections (or one full-rank one), the KV down projection to latent + RoPE key, the
  /// latent's up projection to every head's key and value, and the output projection.
  double attention_params_per_layer() const;
  /// MLA's up-projections (Q from its latent, K and V from theirs) of one layer: what recomputing them costs.
  double mla_up_projection_params() const {
    return mla() ? static_cast<double>(q_lora_rank) * heads * qk_head_size() +
                       static_cast<double>(kv_lora_rank) * heads * (head_size() + v_head_size())
                 : 0.0;
  }
  /// Layers with routed experts (0 for a dense model).
  int moe_layers() const { return experts > 0 ? layers - dense_layers : 0; }
  /// Parameters of one FFN of `inner` inner size (3 matrices gated, 2 not).
  double ffn_params(double inner) const { return (gated_ffn ? 3.0 : 2.0) * hidden * inner; }
  /// Routed-expert parameters of all layers (0 for a dense model).
  double routed_expert_params() const;
  /// Total parameters (embeddings included, untied output).
  double params() const;
  /// Parameters touched per token (active experts only).
  double active_params() const;
  /// Forward FLOPs of one (query, key) pair in one layer, scores and values: 2 x heads x (qk + v head sizes)
  /// (MHA/GQA: 4 x heads x head_size; MLA computed per head, as training and prefill kernels do).
  double attention_flops_per_pair() const { return 2.0 * heads * (qk_head_size() + v_head_size()); }
  /// The same for one decoded token and one cached token: MLA decode works on the latent (the up projections
  /// absorbed into the query and output), 2 x heads x (kv_lora_rank + rope_dim + kv_lora_rank); MHA/GQA as above.
  double decode_attention_flops_per_context() const;
  /// Elements per token per layer of the attention kernel's operands as training and prefill materialise them:
  /// queries heads x qk, keys and values (MLA: every head's, up-projected; GQA: the KV heads') and the output
  /// that enters the output projection, heads x v.
  double query_width() const { return heads * qk_head_size(); }
  double key_value_width() const { return (mla() ? heads : kv_heads) * (qk_head_size() + v_head_size()); }
  double attention_output_width() const { return heads * v_head_size(); }
  /// Cached elements per token per layer: MLA kv_lora_rank + rope_dim; MHA/GQA kv_heads x (qk + v head sizes).
  double kv_elements_per_layer() const;
  /// KV-cache bytes per token for all layers at `bytes_per_element`.
  double kv_bytes_per_token(double bytes_per_element) const;
};

/// Calibration and power constants that are not hardware entries (each with its source).
struct CalibrationSpec {
  double matmul_efficiency = 0.5;  ///< achieved/peak FLOP/s for dense GEMM-dominated training compute
  /// achieved/peak FP8 FLOP/s of the transformer-layer GEMMs of FP8 training (Transformer Engine); the
  /// attention and the logits GEMM stay BF16 and use the BF16 efficiencies
  double fp8_matmul_efficiency = 0.5;
  double memory_efficiency = 0.8;       ///< achieved/peak HBM bandwidth for memory-bound kernels
  double activity_communication = 0.4;  ///< GPU power activity (0 idle..1 TDP) while in collectives
  /// GPU power from utilization (models/power/gpu_power.hpp): activity = busy + compute x u_c + memory x u_m
  double power_busy_activity = 0.1;        ///< activity of any running kernel above idle
  double power_compute_activity = 1.2;     ///< activity per unit tensor-core utilization
  double power_memory_activity = 0.3;      ///< activity per unit HBM bandwidth utilization
  double power_dvfs_exponent = 2.5;        ///< clock-scalable power ~ SM clock^exponent (power caps)
  double power_min_clock_ratio = 0.4;      ///< lowest SM clock under a cap / the maximum clock
  double kernel_launch_s = 10e-6;          ///< per-kernel launch/sync overhead, s
  double network_alpha_s = 5e-6;           ///< per-message latency of an inter-server collective step, s
  double serving_matmul_efficiency = 0.5;  ///< achieved/peak FLOP/s of inference GEMMs (prefill and batched decode)
  double serving_memory_efficiency = 0.8;  ///< achieved/peak HBM bandwidth of inference weight and KV-cache reads
  double attention_efficiency = 0.4;       ///< achieved/peak FLOP/s of fused (flash) attention, causal half counted
  double scaleup_efficiency = 0.8;         ///< achieved/peak scale-up (NVLink) bandwidth of NCCL collectives
  /// Costs (models/cost/tco.hpp): the network's share of IT capital, facility capital per W of IT capacity,
  /// lives in years (straight-line) and the default electricity price, USD/kWh.
  double cost_network_share = 0.19;
  double cost_facility_usd_per_w = 11.7;
  double cost_facility_life_years = 15;
  double cost_server_life_years = 5;
  double cost_electricity_usd_per_kwh = 0.08;
  /// Tensor-core utilization of flash-attention kernels for the power model: the kernels' own figure, while the
  /// step's attention time uses the fitted, effective attention_efficiency (which absorbs what a long-context step
  /// adds around the kernels and would otherwise price that time as idle tensor cores).
  double attention_power_utilization = 0.4;
  std::map<std::string, std::string> sources;  ///< key -> source text
  /// Per-accelerator values of fraction entries (`by_gpu:` in calibration.yaml): key -> gpu -> value.
  /// Resolved once, where the accelerator is known (for_accelerator): the models read the plain members.
  std::map<std::string, std::map<std::string, double>> by_gpu;
  /// This calibration for accelerator `gpu`: every constant with a by_gpu entry for `gpu` takes that value;
  /// the others keep theirs (by_gpu is kept, so resolving again changes nothing).
  CalibrationSpec for_accelerator(const std::string& gpu) const;
};

/// One calibration constant: its key in calibration.yaml and the member that holds it.
struct CalibrationKey {
  const char* key;
  double CalibrationSpec::*member;
};

/// Every calibration constant, in file order (the loader reads them and for_accelerator resolves them from
/// this one table).
const std::vector<CalibrationKey>& calibration_keys();

/// What one failing component of a failure class is (catalog failure_classes `scope`): how many there are and
/// which servers its failure cuts off (names in spec/kinds.cpp).
enum class FailureScope { kGpu, kServer, kNic, kLeaf, kSpine, kCore };

/// A class of failing components (catalog `failure_classes`, data/catalog/reliability.yaml): each component of
/// the class fails at `rate_per_hour` on average (times between failures Weibull of shape `weibull_shape` with that
/// mean; 1 = exponential), and the servers it cuts off are out for `repair_s` after (0: a restart fixes it).
struct FailureClassSpec {
  std::string name;
  FailureScope scope = FailureScope::kServer;
  double rate_per_hour = 0;  ///< failures per component-hour
  double weibull_shape = 1;
  double repair_s = 0;
  std::string source;
};

/// The reliability constants (catalog `reliability`, each {value, source}): what a failure costs a job when the
/// experiment does not say, and the checkpoint store it writes to.
struct ReliabilitySpec {
  double detection_s = 300;                    ///< failure to the job's stop (a hung collective's watchdog)
  double restart_s = 600;                      ///< stop to the job running again (rescheduling, init), before restore
  double straggler_fraction = 0;               ///< share of servers that run slow
  double straggler_slowdown = 1;               ///< their step-time multiplier on local compute
  double storage_write_bandwidth_bps = 16e12;  ///< aggregate write bandwidth of the checkpoint store, bit/s
  double storage_latency_s = 0;                ///< fixed cost of one checkpoint write or read
  std::map<std::string, std::string> sources;  ///< key -> source text
};

/// One reliability constant: its key in the catalog's `reliability` section and the member that holds it.
struct ReliabilityKey {
  const char* key;
  double ReliabilitySpec::*member;
};
const std::vector<ReliabilityKey>& reliability_keys();

/// All catalog entries by name.
struct Catalog {
  std::map<std::string, AcceleratorSpec> accelerators;
  std::map<std::string, ServerSpec> servers;
  std::map<std::string, PcieGenerationSpec> pcie;
  std::map<std::string, EngineSpec> engines;
  std::map<std::string, SoftwareSpec> software;
  std::map<std::string, NicSpec> nics;
  std::map<std::string, SwitchSpec> switches;
  std::map<std::string, TransceiverSpec> transceivers;
  std::map<std::string, LlmSpec> models;
  CalibrationSpec calibration;  ///< as loaded: resolve per accelerator with for_accelerator before use
  std::map<std::string, FailureClassSpec> failure_classes;
  ReliabilitySpec reliability;
};

/// The usable bandwidth of one of `server`'s NIC host slots (its PCIe generation x lanes), bit/s; 0 = no
/// host-bus limit (no nic_pcie, or a generation the catalog lacks: the loader reports that).
double nic_host_bandwidth_bps(const ServerSpec& server, const Catalog& catalog);

/// What one NIC of `link_bps` can move to and from a host whose slot carries `host_bps` (0 = no limit).
inline double nic_effective_bps(double link_bps, double host_bps) {
  return host_bps > 0 && host_bps < link_bps ? host_bps : link_bps;
}

/// The names of a catalog map, sorted (for "did you mean").
template <typename T>
std::vector<std::string> catalog_names(const std::map<std::string, T>& m) {
  std::vector<std::string> out;
  for (const auto& [k, v] : m) out.push_back(k);
  return out;
}

}  // namespace clustersim
