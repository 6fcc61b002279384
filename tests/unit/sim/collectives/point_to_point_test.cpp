// The flow primitives every fabric transfer shares (sim/collectives/point_to_point.hpp): the one all-to-all
// approximation (peer offsets and the peer limit), flow sizes and the alpha-beta time.
#include "sim/collectives/point_to_point.hpp"

#include <gtest/gtest.h>

#include <set>

namespace clustersim {
namespace {

TEST(PointToPoint, AllToAllOffsetsAreEveryOtherServerUpToTheLimit) {
  EXPECT_TRUE(all_to_all_offsets(0).empty());
  EXPECT_TRUE(all_to_all_offsets(1).empty());
  EXPECT_EQ(all_to_all_offsets(2), std::vector<int>({1}));
  EXPECT_EQ(all_to_all_offsets(5), std::vector<int>({1, 2, 3, 4}));
  const auto full = all_to_all_offsets(kMaxAllToAllPeers + 1);
  ASSERT_EQ(static_cast<int>(full.size()), kMaxAllToAllPeers);
  EXPECT_EQ(full.back(), kMaxAllToAllPeers);
}

TEST(PointToPoint, AllToAllOffsetsBeyondTheLimitAreStridedAndDistinct) {
  // 64 servers (DeepSeek-V3's EP group): 16 peers at 1 + floor(j 63 / 16) = 1, 4, 8, 12, ..., 60.
  const auto off = all_to_all_offsets(64);
  ASSERT_EQ(static_cast<int>(off.size()), kMaxAllToAllPeers);
  EXPECT_EQ(off[0], 1);
  EXPECT_EQ(off[1], 4);
  EXPECT_EQ(off[15], 1 + 15 * 63 / 16);
  EXPECT_EQ(std::set<int>(off.begin(), off.end()).size(), off.size());
  for (int o : off) {
    EXPECT_GE(o, 1);
    EXPECT_LE(o, 63);
  }
  // Large groups too: every offset in range and distinct.
  const auto big = all_to_all_offsets(100000);
  EXPECT_EQ(std::set<int>(big.begin(), big.end()).size(), big.size());
  EXPECT_LE(big.back(), 99999);
}

TEST(PointToPoint, FlowSizeRoundsToTheNearestByte) {
  EXPECT_EQ(flow_size(0), 0u);
  EXPECT_EQ(flow_size(-3), 0u);
  EXPECT_EQ(flow_size(10.4), 10u);
  EXPECT_EQ(flow_size(10.5), 11u);
  EXPECT_EQ(flow_size(1e12), 1000000000000u);
}

TEST(PointToPoint, AlphaBetaTime) {
  EXPECT_DOUBLE_EQ(alpha_beta_time_s(1e9, 50e9, 5e-6), 20e-3 + 5e-6);
  EXPECT_DOUBLE_EQ(alpha_beta_time_s(0, 50e9, 5e-6), 5e-6);
}

}  // namespace
}  // namespace clustersim
