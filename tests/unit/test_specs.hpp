#pragma once
// Records shared by the unit tests: hardware and models (public figures: H100 SXM datasheet, Llama 3 8B config)
// and fat-tree parameters.

#include "spec/catalog.hpp"
#include "topologies/fat_tree.hpp"

namespace clustersim::test {

/// H100 SXM: 989 / 1,979 TFLOP/s dense BF16 / FP8, 80 GB HBM at 3.35 TB/s, 700 W, 100 W idle, 450 GB/s NVLink.
inline AcceleratorSpec h100() {
  AcceleratorSpec g;
  g.name = "H100-SXM";
  g.peak_bf16_flops = 989e12;
  g.peak_fp8_flops = 1979e12;
  g.hbm_bytes = 80e9;
  g.hbm_bandwidth_Bps = 3.35e12;
  g.tdp_w = 700;
  g.idle_w = 100;
  g.scaleup_bandwidth_Bps = 450e9;
  return g;
}

/// Llama 3 8B: 32 layers, hidden 4,096, FFN 14,336, 32 heads, 8 KV heads, vocabulary 128,256, sequence 8,192.
inline LlmSpec llama3_8b() { return LlmSpec{"llama3-8b", 32, 4096, 14336, 32, 8, 128256, 8192}; }

/// DeepSeek-V3 (config.json): 61 layers (the first 3 with a dense FFN of 18,432), hidden 7,168, 128 heads with
/// MLA (q_lora 1,536, kv_lora 512, RoPE 64, nope 128, value 128), 256 routed experts of 2,048 (top-8) and one
/// shared, vocabulary 129,280.
inline LlmSpec deepseek_v3() {
  LlmSpec m{"deepseek-v3", 61, 7168, 2048, 128, 128, 129280, 4096};
  m.experts = 256;
  m.active_experts = 8;
  m.shared_experts = 1;
  m.head_dim = 128;
  m.v_head_dim = 128;
  m.q_lora_rank = 1536;
  m.kv_lora_rank = 512;
  m.rope_dim = 64;
  m.dense_layers = 3;
  m.dense_ffn_hidden = 18432;
  return m;
}

/// A fat-tree of 400 Gbit/s links with 8 NICs per server.
inline FatTreeParams fat_tree_params(int servers, int radix, int tiers, double leaf_oversubscription = 1) {
  FatTreeParams p;
  p.servers = servers;
  p.nics_per_server = 8;
  p.link_bps = 400e9;
  p.radix = radix;
  p.tiers = tiers;
  p.leaf_oversubscription = leaf_oversubscription;
  return p;
}

}  // namespace clustersim::test
