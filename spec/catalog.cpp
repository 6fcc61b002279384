#include "spec/catalog.hpp"

namespace clustersim {

const char* precision_name(Precision p) {
  switch (p) {
    case Precision::kBf16: return "bf16";
    case Precision::kFp8: return "fp8";
    case Precision::kFp4: return "fp4";
  }
  return "?";
}

int precision_bytes_x2(Precision p) {
  switch (p) {
    case Precision::kBf16: return 4;
    case Precision::kFp8: return 2;
    case Precision::kFp4: return 1;
  }
  return 4;
}

double AcceleratorSpec::peak_flops(Precision p) const {
  switch (p) {
    case Precision::kBf16: return peak_bf16_flops;
    case Precision::kFp8: return peak_fp8_flops;
    case Precision::kFp4: return peak_fp4_flops;
  }
  return 0;
}

double LlmSpec::head_size() const { return head_dim > 0 ? head_dim : static_cast<double>(hidden) / heads; }

double LlmSpec::attention_params_per_layer() const {
  const double h = hidden;
  if (!mla()) return h * (static_cast<double>(heads) + kv_heads) * (qk_head_size() + v_head_size());
  const double q_out = static_cast<double>(heads) * qk_head_size();
  const double q = q_lora_rank > 0 ? h * q_lora_rank + static_cast<double>(q_lora_rank) * q_out : h * q_out;
  const double kv_down = h * (static_cast<double>(kv_lora_rank) + rope_dim);
  const double kv_up = static_cast<double>(kv_lora_rank) * heads * (head_size() + v_head_size());
  const double out = static_cast<double>(heads) * v_head_size() * h;
  return q + kv_down + kv_up + out;
}

double LlmSpec::decode_attention_flops_per_context() const {
  if (!mla()) return attention_flops_per_pair();
  return 2.0 * heads * (2.0 * kv_lora_rank + rope_dim);
}

double LlmSpec::kv_elements_per_layer() const {
  if (mla()) return static_cast<double>(kv_lora_rank) + rope_dim;
  return static_cast<double>(kv_heads) * (head_size() + v_head_size());
}

double LlmSpec::routed_expert_params() const {
  return static_cast<double>(moe_layers()) * ffn_params(ffn_hidden) * experts;
}

const std::vector<ReliabilityKey>& reliability_keys() {
  using R = ReliabilitySpec;
  static const std::vector<ReliabilityKey> keys = {
      {"detection", &R::detection_s},
      {"restart", &R::restart_s},
      {"straggler_fraction", &R::straggler_fraction},
      {"straggler_slowdown", &R::straggler_slowdown},
      {"storage_write_bandwidth", &R::storage_write_bandwidth_bps},
      {"storage_latency", &R::storage_latency_s},
  };
  return keys;
}

const std::vector<CalibrationKey>& calibration_keys() {
  using C = CalibrationSpec;
  static const std::vector<CalibrationKey> keys = {
      {"matmul_efficiency", &C::matmul_efficiency},
      {"fp8_matmul_efficiency", &C::fp8_matmul_efficiency},
      {"memory_efficiency", &C::memory_efficiency},
      {"activity_communication", &C::activity_communication},
      {"power_busy_activity", &C::power_busy_activity},
      {"power_compute_activity", &C::power_compute_activity},
      {"power_memory_activity", &C::power_memory_activity},
      {"power_dvfs_exponent", &C::power_dvfs_exponent},
      {"power_min_clock_ratio", &C::power_min_clock_ratio},
      {"cost_network_share", &C::cost_network_share},
      {"cost_facility_usd_per_w", &C::cost_facility_usd_per_w},
      {"cost_facility_life_years", &C::cost_facility_life_years},
      {"cost_server_life_years", &C::cost_server_life_years},
      {"cost_electricity_usd_per_kwh", &C::cost_electricity_usd_per_kwh},
      {"kernel_launch_s", &C::kernel_launch_s},
      {"network_alpha_s", &C::network_alpha_s},
      {"serving_matmul_efficiency", &C::serving_matmul_efficiency},
      {"serving_memory_efficiency", &C::serving_memory_efficiency},
      {"attention_efficiency", &C::attention_efficiency},
      {"attention_power_utilization", &C::attention_power_utilization},
      {"scaleup_efficiency", &C::scaleup_efficiency},
  };
  return keys;
}

CalibrationSpec CalibrationSpec::for_accelerator(const std::string& gpu) const {
  CalibrationSpec out = *this;
  for (const CalibrationKey& k : calibration_keys()) {
    const auto values = by_gpu.find(k.key);
    if (values == by_gpu.end()) continue;
    const auto value = values->second.find(gpu);
    if (value != values->second.end()) out.*k.member = value->second;
  }
  return out;
}

double LlmSpec::params() const {
  const double embeddings = 2.0 * vocab * static_cast<double>(hidden);  // input embedding + untied output layer
  if (experts == 0) return layers * (attention_params_per_layer() + ffn_params(ffn_hidden)) + embeddings;
  return layers * attention_params_per_layer() + dense_layers * ffn_params(dense_ffn_hidden) +
         moe_layers() * ffn_params(ffn_hidden) * shared_experts + routed_expert_params() + embeddings;
}

double LlmSpec::active_params() const {
  if (experts == 0) return params();
  return layers * attention_params_per_layer() + dense_layers * ffn_params(dense_ffn_hidden) +
         moe_layers() * ffn_params(ffn_hidden) * (active_experts + shared_experts) + 2.0 * vocab * hidden;
}

double LlmSpec::kv_bytes_per_token(double bytes_per_element) const {
  return layers * kv_elements_per_layer() * bytes_per_element;
}

}  // namespace clustersim

namespace clustersim {

double nic_host_bandwidth_bps(const ServerSpec& server, const Catalog& catalog) {
  if (server.nic_pcie.empty()) return 0;
  const auto gen = catalog.pcie.find(server.nic_pcie);
  return gen == catalog.pcie.end() ? 0 : gen->second.usable_bps(server.nic_pcie_lanes);
}

}  // namespace clustersim
