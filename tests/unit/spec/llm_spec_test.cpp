#include <gtest/gtest.h>

#include "spec/catalog.hpp"
#include "tests/unit/test_specs.hpp"

using clustersim::LlmSpec;

// Llama 3 8B: 32 layers, hidden 4096, FFN 14336, 32 heads, 8 KV heads, vocab 128256 -> 8.03e9 parameters
// (Meta's model card). The count is architecture arithmetic, so it must match to 1%.
TEST(LlmSpec, Llama3_8bParameterCount) {
  LlmSpec m{"llama3-8b", 32, 4096, 14336, 32, 8, 128256};
  EXPECT_NEAR(m.params() / 1e9, 8.03, 0.08);
  // KV cache: 2 (K,V) x 32 layers x 8 heads x 128 dims x 2 bytes = 131072 B per token.
  EXPECT_DOUBLE_EQ(m.kv_bytes_per_token(2), 131072.0);
}

// GPT-3 175B: 96 layers, hidden 12288, FFN 4x, MHA, vocab 50257, GELU FFN.
TEST(LlmSpec, Gpt3ParameterCount) {
  LlmSpec m{"gpt3-175b", 96, 12288, 4 * 12288, 96, 96, 50257};
  m.gated_ffn = false;
  EXPECT_NEAR(m.params() / 1e9, 175.0, 2.5);
}

// DeepSeek-V3, multi-head latent attention by hand (config.json figures, test_specs.hpp):
// Q 7168 x 1536 + 1536 x 128 x (128 + 64); KV down 7168 x (512 + 64); KV up 512 x 128 x (128 + 128);
// output 128 x 128 x 7168: 187,105,280 parameters per layer.
TEST(LlmSpec, DeepSeekV3LatentAttentionAndDenseLayers) {
  const LlmSpec m = clustersim::test::deepseek_v3();
  const double attention = 7168.0 * 1536 + 1536.0 * 128 * 192 + 7168.0 * 576 + 512.0 * 128 * 256 + 128.0 * 128 * 7168;
  EXPECT_DOUBLE_EQ(m.attention_params_per_layer(), attention);
  // 3 dense FFNs of 18,432, 58 MoE layers of 256 routed + 1 shared experts of 3 x 7168 x 2048, embeddings.
  const double expert = 3.0 * 7168 * 2048;
  const double embeddings = 2.0 * 129280 * 7168;
  EXPECT_EQ(m.moe_layers(), 58);
  EXPECT_DOUBLE_EQ(m.routed_expert_params(), 58.0 * 256 * expert);
  EXPECT_DOUBLE_EQ(m.params(), 61 * attention + 3 * 3.0 * 7168 * 18432 + 58.0 * 257 * expert + embeddings);
  EXPECT_DOUBLE_EQ(m.active_params(), 61 * attention + 3 * 3.0 * 7168 * 18432 + 58.0 * 9 * expert + embeddings);
  EXPECT_NEAR(m.params() / 1e9, 671, 1);          // published: 671B (without the 14B MTP module)
  EXPECT_NEAR(m.active_params() / 1e9, 37, 0.6);  // published: 37B
  // The cache holds the 512 latent + 64 RoPE elements per layer: 61 x 576 x 2 B.
  EXPECT_DOUBLE_EQ(m.kv_bytes_per_token(2), 61.0 * 576 * 2);
  // Training/prefill attention per (query, key) and layer: 2 x 128 heads x (192 query/key + 128 value).
  EXPECT_DOUBLE_EQ(m.attention_flops_per_pair(), 2.0 * 128 * 320);
  // Absorbed decode per cached token and layer: 2 x 128 x (576 for the scores + 512 for the values).
  EXPECT_DOUBLE_EQ(m.decode_attention_flops_per_context(), 2.0 * 128 * 1088);
  // The attention kernel's operands in training: 128 queries and keys of 192, 128 values and outputs of 128.
  EXPECT_DOUBLE_EQ(m.query_width(), 128.0 * 192);
  EXPECT_DOUBLE_EQ(m.key_value_width(), 128.0 * 320);
  EXPECT_DOUBLE_EQ(m.attention_output_width(), 128.0 * 128);
  // Up-projections recomputed under selective recomputation: 1536 x 128 x 192 + 512 x 128 x 256.
  EXPECT_DOUBLE_EQ(m.mla_up_projection_params(), 1536.0 * 128 * 192 + 512.0 * 128 * 256);
}

// Value heads of their own size: attention parameters hidden x (heads + kv_heads) x (qk + v), FLOPs per pair
// 2 x heads x (qk + v); with v = qk this is the usual hidden x head_dim x (2 heads + 2 kv_heads).
TEST(LlmSpec, GqaAttentionWithExplicitHeadSizes) {
  LlmSpec m{"qwen3-235b", 94, 4096, 1536, 64, 4, 151936};
  m.head_dim = 128;  // 64 x 128 = 8192 > hidden
  EXPECT_DOUBLE_EQ(m.attention_params_per_layer(), 4096.0 * 128 * (2 * 64 + 2 * 4));
  EXPECT_DOUBLE_EQ(m.attention_flops_per_pair(), 4.0 * 64 * 128);
  EXPECT_DOUBLE_EQ(m.decode_attention_flops_per_context(), m.attention_flops_per_pair());
  EXPECT_DOUBLE_EQ(m.query_width(), 64.0 * 128);  // wider than hidden
  EXPECT_DOUBLE_EQ(m.key_value_width(), 4.0 * 256);
  m.v_head_dim = 64;
  EXPECT_DOUBLE_EQ(m.attention_params_per_layer(), 4096.0 * (64 + 4) * (128 + 64));
  EXPECT_DOUBLE_EQ(m.kv_bytes_per_token(1), 94.0 * 4 * (128 + 64));
}
