// MoE expert-parallel traffic (issue 14): node-limited routing, FP8 dispatch and expert skew, by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "models/training/moe_traffic.hpp"
#include "models/training/step_model.hpp"
#include "tests/unit/test_specs.hpp"

namespace clustersim {
namespace {

TEST(MoeTraffic, CopiesPerToken) {
  EXPECT_EQ(moe_copies_per_token(8, 0, 8), 8);  // unlimited: every routed copy travels
  EXPECT_EQ(moe_copies_per_token(8, 4, 8), 4);  // DeepSeek-V3: at most 4 nodes, once each
  EXPECT_EQ(moe_copies_per_token(8, 4, 2), 2);  // only 2 servers in the EP group
  EXPECT_EQ(moe_copies_per_token(2, 4, 8), 2);  // top-2 reaches at most 2 servers
}

TEST(MoeTraffic, BusiestRankByHand) {
  EXPECT_EQ(moe_busiest_rank_factor(256, 64, 0, 1e6), 1.0);  // balanced
  // 4 experts on 2 ranks, Zipf 1: popularities 1, 1/2, 1/3, 1/4 (sum 25/12); rank 0 holds 1 + 1/3 = 4/3:
  // share 16/25 = 0.64, factor 2 x 0.64 = 1.28, plus sqrt(2 ln 2) x sqrt(0.64 x 0.36 / 1e4) x 2 = 0.01129.
  const double spread = std::sqrt(2 * std::log(2.0)) * std::sqrt(0.64 * 0.36 / 1e4) * 2;
  EXPECT_NEAR(moe_busiest_rank_factor(4, 2, 1.0, 1e4), 1.28 + spread, 1e-12);
  EXPECT_NEAR(moe_busiest_rank_factor(4, 2, 1.0, 0), 1.28, 1e-12);  // no sampling term without a count
}

// The step model's EP phase of a small MoE on 4 servers (EP 32 over 4 servers of 8 GPUs, top-8 of 64 experts):
// FP8 dispatch carries (1 + 2) / 2 = 0.75 of the BF16 bytes; node-limited routing to 2 servers 2/8 of the copies.
TEST(MoeTraffic, StepModelEpBytes) {
  TrainingLayout l;
  l.model = test::llama3_8b();
  l.model.experts = 64;
  l.model.active_experts = 8;
  l.gpu = test::h100();
  l.dp = 32;
  l.ep = 32;
  l.global_batch = 32;
  l.seq_len = 4096;
  auto ep_bytes = [](const TrainingLayout& x) {
    for (const FabricPhase& f : estimate_training_step(x).fabric)
      if (f.kind == CommKind::kEp) return f.bytes_per_server;
    return 0.0;
  };
  const double bf16 = ep_bytes(l);
  ASSERT_GT(bf16, 0);
  // 8 GPUs x 4,096 tokens x 8 copies x 4,096 x 2 bytes x 3/4 remote.
  EXPECT_NEAR(bf16, 8 * 4096.0 * 8 * 4096 * 2 * 3 / 4, 1);
  l.moe_dispatch_bytes = 1;
  EXPECT_NEAR(ep_bytes(l) / bf16, 0.75, 1e-12);
  l.moe_dispatch_bytes = 2;
  l.moe_max_nodes = 2;
  EXPECT_NEAR(ep_bytes(l) / bf16, 2.0 / 8, 1e-12);
  l.moe_max_nodes = 0;
  l.moe_expert_skew = 1.0;
  EXPECT_NEAR(ep_bytes(l) / bf16, moe_busiest_rank_factor(64, 32, 1.0, 4096.0 * 32 * 8), 1e-12);
}

}  // namespace
}  // namespace clustersim
