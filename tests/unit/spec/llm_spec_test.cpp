#include <gtest/gtest.h>

#include "spec/catalog.hpp"

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
