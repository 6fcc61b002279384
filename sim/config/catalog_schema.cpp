#include "sim/config/catalog_loader.hpp"
#include "sim/config/field_builders.hpp"
#include "spec/kinds.hpp"

namespace clustersim {

using namespace fields;

namespace {

Field source_field() { return required(text("source", "", "where the numbers come from (document, status V/R/E)")); }

// Physical ranges of catalog fields, canonical units. Wide enough for any accelerator, network part or
// model that exists or is announced (with two to three orders of magnitude of room), narrow enough that no
// value reaches a model as 0, a denormal or an overflow (issue 17: hbm_bandwidth 0 or peak_bf16 1e-300FLOPS
// aborted SimGrid with "duration is not finite").
constexpr double kMinPeak = 1e12, kMaxPeak = 1e18;               // 1 TFLOP/s .. 1 EFLOP/s per accelerator
constexpr double kMinHbm = 1e9, kMaxHbm = 1e14;                  // 1 GB .. 100 TB
constexpr double kMinHbmBw = 8 * 10e9, kMaxHbmBw = 8 * 1e15;     // 10 GB/s .. 1 PB/s (stored in bit/s)
constexpr double kMinScaleup = 8 * 1e9, kMaxScaleup = 8 * 1e14;  // 1 GB/s .. 100 TB/s (stored in bit/s)
constexpr double kMinTdp = 1, kMaxDevicePower = 1e5;             // 1 W .. 100 kW
constexpr double kMinLink = 1e9, kMaxLink = 1e14;                // 1 Gbit/s .. 100 Tbit/s per port
constexpr double kMaxServerPower = 1e6, kMaxPartPower = 1e3;     // 1 MW per server or switch; 1 kW per NIC/port/module

Schema accelerator_schema() {
  return {"accelerator",
          {required(text("vendor", "", "vendor name")),
           required(quantity("peak_bf16", Quantity::kCompute, "", kMinPeak, "dense BF16 FLOP/s", false, kMaxPeak)),
           or_zero(quantity("peak_fp8", Quantity::kCompute, "0FLOPS", kMinPeak, "dense FP8 FLOP/s; 0 = not supported",
                            false, kMaxPeak)),
           or_zero(quantity("peak_fp4", Quantity::kCompute, "0FLOPS", kMinPeak, "dense FP4 FLOP/s; 0 = not supported",
                            false, kMaxPeak)),
           required(quantity("hbm", Quantity::kData, "", kMinHbm, "HBM capacity, B", false, kMaxHbm)),
           required(quantity("hbm_bandwidth", Quantity::kBandwidth, "", kMinHbmBw, "HBM bandwidth (stored in B/s)",
                             false, kMaxHbmBw)),
           required(quantity("tdp", Quantity::kPower, "", kMinTdp, "board power limit, W", false, kMaxDevicePower)),
           required(quantity("idle", Quantity::kPower, "", 0, "idle power, W (<= tdp)", false, kMaxDevicePower)),
           required(quantity("scaleup_bandwidth", Quantity::kBandwidth, "", kMinScaleup,
                             "scale-up bandwidth per GPU per direction (stored in B/s)", false, kMaxScaleup)),
           integer("scaleup_domain", "8", 1, 1e6, "accelerators in one scale-up domain"),
           required(text("default_server", "", "server entry used when the experiment names none")), source_field()}};
}

Schema server_schema() {
  return {
      "server",
      {required(integer("gpus", "", 1, 1024, "accelerators per server")),
       required(quantity("overhead_idle", Quantity::kPower, "", 0, "non-GPU power with idle GPUs, W", false,
                         kMaxServerPower)),
       required(quantity("overhead_max", Quantity::kPower, "", 0, "non-GPU power at full GPU load, W", false,
                         kMaxServerPower)),
       text("nic_pcie", "", "PCIe generation of each NIC's host slot (a pcie entry); empty = NIC on the accelerator"),
       integer("nic_pcie_lanes", "16", 1, 32, "PCIe lanes of each NIC's host slot"),
       number("price", "0", 0, 1e9, "purchase price of one server, USD; 0 = unknown (costs are NaN)"),
       text("price_source", "\"\"", "where the price comes from (status V/S/E)"), source_field()}};
}

Schema engine_schema() {
  return {"serving engine",
          {required(quantity("step_overhead", Quantity::kTime, "", 0,
                             "time per iteration the GPUs wait for the engine (scheduling, sampling)", false, 1.0)),
           required(quantity("collective_latency", Quantity::kTime, "", 0,
                             "fixed time of one tensor-parallel collective (launch, synchronisation)", false, 1.0)),
           source_field()}};
}

Schema software_schema() {
  return {"training software profile",
          {boolean("flash_attention", "", "fused attention kernels; absent: the experiment's default"),
           boolean("sequence_parallel", "", "Megatron sequence parallelism with TP"),
           boolean("distributed_optimizer", "", "distributed optimizer (ZeRO-1)"),
           boolean("overlap_grad_reduce", "", "DP gradient reduction overlapped with the backward pass"),
           boolean("overlap_tp_comm", "", "tensor-parallel collectives overlapped with GEMMs"),
           choice("grad_reduce_dtype", "", {"bf16", "fp32"}, "precision of the DP gradient reduction"),
           text("description", "\"\"", "what the profile stands for (framework, versions, years)"), source_field()}};
}

Schema pcie_schema() {
  return {"pcie generation",
          {required(quantity("lane_bandwidth", Quantity::kBandwidth, "", 1e8,
                             "per lane per direction after line coding, bit/s", false, 1e12)),
           required(number("efficiency", "", 0.1, 1, "usable share for bulk transfers after protocol overhead")),
           source_field()}};
}

Schema nic_schema() {
  return {
      "nic",
      {required(quantity("bandwidth", Quantity::kBandwidth, "", kMinLink, "port bandwidth, bit/s", false, kMaxLink)),
       required(quantity("power", Quantity::kPower, "", 0, "card power without optics, W", false, kMaxPartPower)),
       number("price", "0", 0, 1e8, "purchase price, USD; 0 = unknown"),
       text("price_source", "\"\"", "where the price comes from (V/R/E)"), source_field()}};
}

Schema switch_schema() {
  return {"switch",
          {required(integer("radix", "", 1, 1e6, "ports at port_bandwidth")),
           required(quantity("port_bandwidth", Quantity::kBandwidth, "", kMinLink, "bandwidth per port, bit/s", false,
                             kMaxLink)),
           required(quantity("chassis", Quantity::kPower, "", 0, "fixed power (ASIC idle, fans, CPU), W", false,
                             kMaxServerPower)),
           required(quantity("port", Quantity::kPower, "", 0, "extra power per active port, W", false, kMaxPartPower)),
           number("price", "0", 0, 1e8, "purchase price, USD; 0 = unknown"),
           text("price_source", "\"\"", "where the price comes from (V/R/E)"), source_field()}};
}

Schema transceiver_schema() {
  return {"transceiver",
          {required(
               quantity("bandwidth", Quantity::kBandwidth, "", kMinLink, "bandwidth per port, bit/s", false, kMaxLink)),
           required(choice("kind", "", {"pluggable", "lpo", "cpo", "dac"}, "module kind")),
           required(quantity("power", Quantity::kPower, "", 0, "power per link end, W", false, kMaxPartPower)),
           number("price", "0", 0, 1e8, "purchase price, USD; 0 = unknown"),
           text("price_source", "\"\"", "where the price comes from (V/R/E)"), source_field()}};
}

Schema model_schema() {
  return {"model",
          {required(integer("layers", "", 1, 1e4, "transformer layers")),
           required(integer("hidden", "", 1, 1e6, "hidden size")),
           required(integer("ffn_hidden", "", 1, 1e7, "FFN inner size (per expert for MoE)")),
           required(integer("heads", "", 1, 1e5, "attention heads")),
           required(integer("kv_heads", "", 1, 1e5, "key/value heads (= heads for MHA)")),
           required(integer("vocab", "", 1, 1e8, "vocabulary size")),
           integer("seq_len", "4096", 1, 1e8, "default training sequence length, tokens"),
           boolean("gated_ffn", "true", "SwiGLU (3 matrices) rather than GELU (2)"),
           integer("experts", "0", 0, 1e5, "routed experts; 0 = dense"),
           integer("active_experts", "0", 0, 1e5, "routed experts per token"),
           integer("shared_experts", "0", 0, 1e4, "always-active experts"),
           integer("head_dim", "0", 0, 1e5, "per-head size; 0 = hidden / heads (MLA: the non-RoPE query/key part)"),
           integer("dense_layers", "0", 0, 1e4, "MoE: leading layers with a dense FFN of dense_ffn_hidden"),
           integer("dense_ffn_hidden", "0", 0, 1e7, "MoE: FFN inner size of the dense_layers"),
           integer("q_lora_rank", "0", 0, 1e6, "MLA: query compression rank; 0 = full-rank query projection"),
           integer("kv_lora_rank", "0", 0, 1e6, "MLA: cached key/value latent size; 0 = MHA/GQA"),
           integer("rope_dim", "0", 0, 1e5, "MLA: decoupled RoPE key size per head (cached, shared by the heads)"),
           integer("v_head_dim", "0", 0, 1e5, "value head size; 0 = head_dim"), source_field()}};
}

}  // namespace

const Schema& catalog_schema() {
  static const Schema accelerator = accelerator_schema();
  static const Schema server = server_schema();
  static const Schema pcie = pcie_schema();
  static const Schema engine = engine_schema();
  static const Schema software = software_schema();
  static const Schema nic = nic_schema();
  static const Schema switch_model = switch_schema();
  static const Schema transceiver = transceiver_schema();
  static const Schema model = model_schema();
  // A calibration entry: its value, per-accelerator overrides (by_gpu, in the same range) and its source. The
  // value Field must outlive the Schema (named_values keeps a pointer to it).
  const auto entry = [](const Field* value) {
    return Schema{"calibration entry",
                  {*value, named_values("by_gpu", value, "accelerator name -> value (overrides value for that GPU)"),
                   source_field()}};
  };
  // Fractions of a peak are in (0, 1].
  static const Field fraction_value = required(number("value", "", 0, 1, "a fraction of peak or of TDP", true));
  static const Schema fraction = entry(&fraction_value);
  // Coefficients of the GPU power model (activity per unit utilization: above 1 = a power-limited phase).
  static const Field coefficient_value = required(number("value", "", 0, 5, "activity per unit utilization", true));
  static const Schema coefficient = entry(&coefficient_value);
  static const Field exponent_value = required(number("value", "", 1, 4, "power ~ clock^value"));
  static const Schema exponent = entry(&exponent_value);
  // Latencies and overheads per kernel, message or iteration: 0 to 1 s (measured values are microseconds).
  static const Schema seconds{"calibration entry",
                              {required(number("value", "", 0, 1, "a time in seconds")), source_field()}};
  // Cost constants (models/cost/tco.hpp), each {value, source}.
  const auto cost = [](const Field* value) { return Schema{"calibration entry", {*value, source_field()}}; };
  static const Field share_value = required(number("value", "", 0, 0.99, "a share of the IT capital"));
  static const Schema share = cost(&share_value);
  static const Field usd_per_w_value = required(number("value", "", 0, 1000, "USD per W"));
  static const Schema usd_per_w = cost(&usd_per_w_value);
  static const Field years_value = required(number("value", "", 0.1, 100, "years"));
  static const Schema years = cost(&years_value);
  static const Field price_value = required(number("value", "", 0, 10, "USD per kWh"));
  static const Schema price = cost(&price_value);
  static const Schema calibration{
      "calibration",
      {nested("matmul_efficiency", FieldKind::kMap, &fraction, "achieved/peak FLOP/s for dense GEMMs"),
       nested("fp8_matmul_efficiency", FieldKind::kMap, &fraction, "achieved/peak FP8 FLOP/s of training GEMMs"),
       nested("memory_efficiency", FieldKind::kMap, &fraction, "achieved/peak HBM bandwidth"),
       nested("activity_communication", FieldKind::kMap, &fraction, "GPU power activity while communicating"),
       nested("power_busy_activity", FieldKind::kMap, &fraction, "GPU power activity of any running kernel"),
       nested("power_compute_activity", FieldKind::kMap, &coefficient, "GPU activity per unit tensor utilization"),
       nested("power_memory_activity", FieldKind::kMap, &coefficient, "GPU activity per unit HBM utilization"),
       nested("power_dvfs_exponent", FieldKind::kMap, &exponent, "power of the clock-scalable part vs SM clock"),
       nested("power_min_clock_ratio", FieldKind::kMap, &fraction, "lowest SM clock under a cap / maximum"),
       nested("kernel_launch_s", FieldKind::kMap, &seconds, "per-kernel launch/sync overhead, s"),
       nested("network_alpha_s", FieldKind::kMap, &seconds, "per-message latency of a collective step, s"),
       nested("serving_matmul_efficiency", FieldKind::kMap, &fraction, "achieved/peak FLOP/s of inference GEMMs"),
       nested("serving_memory_efficiency", FieldKind::kMap, &fraction, "achieved/peak HBM bandwidth in serving"),
       nested("attention_efficiency", FieldKind::kMap, &fraction, "achieved/peak FLOP/s of fused attention"),
       nested("attention_power_utilization", FieldKind::kMap, &fraction,
              "tensor-core utilization of flash-attention kernels for the power model"),
       nested("scaleup_efficiency", FieldKind::kMap, &fraction, "achieved/peak scale-up bandwidth (NCCL)"),
       nested("cost_network_share", FieldKind::kMap, &share, "network / (servers + network) capital"),
       nested("cost_facility_usd_per_w", FieldKind::kMap, &usd_per_w, "facility capital per W of IT capacity, USD"),
       nested("cost_facility_life_years", FieldKind::kMap, &years, "facility write-off period, years"),
       nested("cost_server_life_years", FieldKind::kMap, &years, "server and network write-off period, years"),
       nested("cost_electricity_usd_per_kwh", FieldKind::kMap, &price, "default electricity price, USD/kWh")}};
  static const Schema failure_class{
      "failure class",
      {required(choice("scope", "", kind_names<FailureScope>(),
                       "what one component is: gpu, server, nic, leaf, spine or core")),
       required(number("rate", "", 0, 1, "failures per component-hour (mean)")),
       number("weibull_shape", "1", 0.1, 10, "shape of the Weibull times between failures; 1 = exponential"),
       required(quantity("repair", Quantity::kTime, "", 0, "time the servers it cuts off are out; 0 = none", false,
                         365 * 86400.0)),
       source_field()}};
  // Reliability constants: times, fractions, factors and bandwidths, each {value, source}.
  const auto constant = [](const Field* value) { return Schema{"reliability constant", {*value, source_field()}}; };
  static const Field time_value = required(quantity("value", Quantity::kTime, "", 0, "a time", false, 86400.0));
  static const Field fraction_value2 = required(number("value", "", 0, 1, "a fraction"));
  static const Field factor_value = required(number("value", "", 1, 100, "a factor >= 1"));
  static const Field bandwidth_value =
      required(quantity("value", Quantity::kBandwidth, "", 8e6, "a bandwidth", false, 8e16));
  static const Schema time_constant = constant(&time_value), fraction_constant = constant(&fraction_value2),
                      factor_constant = constant(&factor_value), bandwidth_constant = constant(&bandwidth_value);
  static const Schema reliability{
      "reliability",
      {nested("detection", FieldKind::kMap, &time_constant, "failure to the job's stop (watchdog)"),
       nested("restart", FieldKind::kMap, &time_constant, "stop to the job running again, before the restore"),
       nested("straggler_fraction", FieldKind::kMap, &fraction_constant, "share of servers that run slow"),
       nested("straggler_slowdown", FieldKind::kMap, &factor_constant, "their step-time multiplier"),
       nested("storage_write_bandwidth", FieldKind::kMap, &bandwidth_constant,
              "aggregate write bandwidth of the checkpoint store"),
       nested("storage_latency", FieldKind::kMap, &time_constant, "fixed cost of a checkpoint write or read")}};
  static const Schema root{
      "catalog",
      {nested("accelerators", FieldKind::kNamedMaps, &accelerator, "accelerators (GPUs, NPUs) by name", true),
       nested("servers", FieldKind::kNamedMaps, &server, "servers by name", true),
       nested("pcie", FieldKind::kNamedMaps, &pcie, "PCIe generations by name (NIC host slots)", true),
       nested("engines", FieldKind::kNamedMaps, &engine, "serving engines' software profiles by name", true),
       nested("software", FieldKind::kNamedMaps, &software,
              "training frameworks' settings by generation (workload.training[].software)", true),
       nested("nics", FieldKind::kNamedMaps, &nic, "network cards by name", true),
       nested("switches", FieldKind::kNamedMaps, &switch_model, "switch models by name", true),
       nested("transceivers", FieldKind::kNamedMaps, &transceiver, "optical/copper modules by name", true),
       nested("models", FieldKind::kNamedMaps, &model, "LLM architectures by name", true),
       nested("calibration", FieldKind::kMap, &calibration, "calibration constants, each {value, source}", true),
       nested("failure_classes", FieldKind::kNamedMaps, &failure_class,
              "classes of failing components by name (data/catalog/reliability.yaml)", true),
       nested("reliability", FieldKind::kMap, &reliability, "reliability constants, each {value, source}", true)}};
  return root;
}

}  // namespace clustersim
