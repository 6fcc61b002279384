// Topology-aware placement (models/scheduling/server_pool): best fit in one group, then one pod, then across
// pods; spread and errors.
#include "models/scheduling/server_pool.hpp"

#include <gtest/gtest.h>

namespace clustersim {
namespace {

// 16 servers: groups of 4 (0..3), pods of 2 groups (groups 0, 1 in pod 0; 2, 3 in pod 1).
ServerPool make_pool(std::vector<int> owned = {}) {
  std::vector<int> group(16), pod(16), all;
  for (int s = 0; s < 16; ++s) {
    group[s] = s / 4;
    pod[s] = s / 8;
    all.push_back(s);
  }
  return ServerPool(owned.empty() ? all : owned, group, pod);
}

TEST(ServerPool, PackedTakesTheBestFittingGroupThenPod) {
  ServerPool pool = make_pool();
  EXPECT_EQ(pool.take(3, PlacementKind::kPacked), std::vector<int>({0, 1, 2}));     // all groups tie: the first
  EXPECT_EQ(pool.take(4, PlacementKind::kPacked), std::vector<int>({4, 5, 6, 7}));  // group 0 has 1 free: too few
  EXPECT_EQ(pool.take(2, PlacementKind::kPacked), std::vector<int>({8, 9}));        // pod 1, group 2
  // 5 servers: no group holds them; pod 1 (6 free) does: its fullest group (3) whole, then 1 from group 2.
  const std::vector<int> five = pool.take(5, PlacementKind::kPacked);
  EXPECT_EQ(five, std::vector<int>({10, 12, 13, 14, 15}));
  const PlacementSpread sp = pool.spread(five);
  EXPECT_EQ(sp.groups, 2);
  EXPECT_EQ(sp.pods, 1);
  EXPECT_EQ(sp.min_groups, 2);
  EXPECT_EQ(pool.free(), 2);                                                   // 3 and 11
  EXPECT_EQ(pool.take(2, PlacementKind::kPacked), std::vector<int>({3, 11}));  // across pods when it must
  EXPECT_EQ(pool.free(), 0);
  EXPECT_THROW(pool.take(1, PlacementKind::kPacked), std::invalid_argument);
}

TEST(ServerPool, PackedKeepsLargeHolesWhole) {
  ServerPool pool = make_pool();
  pool.take(3, PlacementKind::kPacked);  // 0..2
  // One server: the group with the fewest free that holds it (group 0, 1 free), not a whole group.
  EXPECT_EQ(pool.take(1, PlacementKind::kPacked), std::vector<int>({3}));
  // 8 servers: pod 0 has 4 free (group 1), pod 1 has 8: the job takes pod 1 whole (linear would take 4..11).
  EXPECT_EQ(pool.take(8, PlacementKind::kPacked), std::vector<int>({8, 9, 10, 11, 12, 13, 14, 15}));
}

TEST(ServerPool, LinearTakesTheLowestFreeIds) {
  ServerPool pool = make_pool();
  EXPECT_EQ(pool.take(3, PlacementKind::kLinear), std::vector<int>({0, 1, 2}));
  pool.give_back({1});
  EXPECT_EQ(pool.take(3, PlacementKind::kLinear), std::vector<int>({1, 3, 4}));
}

TEST(ServerPool, OwnsOnlyItsServersAndRefusesBadReturns) {
  ServerPool pool = make_pool({4, 5, 6, 7, 8});
  EXPECT_EQ(pool.total(), 5);
  EXPECT_EQ(pool.take(2, PlacementKind::kLinear), std::vector<int>({4, 5}));
  EXPECT_THROW(pool.give_back({0}), std::invalid_argument);  // not owned
  EXPECT_THROW(pool.give_back({6}), std::invalid_argument);  // not taken
  pool.give_back({4, 5});
  EXPECT_EQ(pool.free(), 5);
  EXPECT_THROW(ServerPool({1, 1}, std::vector<int>(4, 0), std::vector<int>(4, 0)), std::invalid_argument);
  EXPECT_THROW(ServerPool({9}, std::vector<int>(4, 0), std::vector<int>(4, 0)), std::invalid_argument);
}

}  // namespace
}  // namespace clustersim

namespace clustersim {
namespace {

TEST(ServerPool, SmallJobsShareServersBestFit) {
  ServerPool pool = make_pool();                               // 16 servers of (say) 8 GPUs
  const int a = pool.take_gpus(4, 8, PlacementKind::kPacked);  // a whole server, 4 GPUs left
  EXPECT_EQ(pool.free(), 15);
  EXPECT_EQ(pool.take_gpus(2, 8, PlacementKind::kPacked), a);  // shares it: 2 left
  const int c = pool.take_gpus(3, 8, PlacementKind::kPacked);  // 3 > 2: another server, 5 left
  EXPECT_NE(c, a);
  EXPECT_EQ(pool.take_gpus(2, 8, PlacementKind::kPacked), a);  // best fit: the server with 2 free, not 5
  EXPECT_EQ(pool.partial_free_gpus(), std::vector<int>({5}));
  pool.give_back_gpus(a, 4);
  pool.give_back_gpus(a, 2);
  EXPECT_EQ(pool.free(), 14);  // a still holds 2 GPUs
  pool.give_back_gpus(a, 2);
  EXPECT_EQ(pool.free(), 15);  // a is whole and free again
  EXPECT_THROW(pool.give_back_gpus(a, 1), std::invalid_argument);
  EXPECT_THROW(pool.take_gpus(8, 8, PlacementKind::kPacked), std::invalid_argument);  // a whole server: take()
}

}  // namespace
}  // namespace clustersim

namespace clustersim {
namespace {

// Tidal sharing: servers withdrawn (held by a service), restored (lent) and reclaimed (taken back; a busy one
// drains: no new job, out when its job gives it back).
TEST(ServerPool, LentServersComeAndGoAndBusyOnesDrain) {
  ServerPool pool = make_pool();
  pool.withdraw({12, 13, 14, 15});  // a service holds group 3
  EXPECT_EQ(pool.total(), 12);
  EXPECT_EQ(pool.free(), 12);
  const std::vector<int> job = pool.take(12, PlacementKind::kPacked);
  EXPECT_EQ(pool.free(), 0);
  pool.restore({14, 15});  // lent at night
  EXPECT_EQ(pool.free(), 2);
  EXPECT_EQ(pool.take(2, PlacementKind::kPacked), std::vector<int>({14, 15}));
  EXPECT_FALSE(pool.reclaim(15));  // taken back while a job runs on it: it drains
  EXPECT_TRUE(pool.draining(15));
  EXPECT_EQ(pool.total(), 14);
  pool.give_back({14, 15});  // the job stops: 14 is free again, 15 leaves
  EXPECT_EQ(pool.free(), 1);
  EXPECT_EQ(pool.total(), 13);
  EXPECT_FALSE(pool.draining(15));
  EXPECT_TRUE(pool.reclaim(14));  // free: out at once
  EXPECT_EQ(pool.free(), 0);
  EXPECT_THROW(pool.restore({99}), std::invalid_argument);
  EXPECT_THROW(pool.withdraw({0}), std::invalid_argument);  // taken, not free
  pool.restore({14});
  EXPECT_THROW(pool.restore({14}), std::invalid_argument);  // already back
}

TEST(ServerPool, ADrainingSharedServerTakesNoNewSmallJob) {
  ServerPool pool = make_pool({0, 1});
  EXPECT_EQ(pool.take_gpus(2, 8, PlacementKind::kPacked), 0);
  EXPECT_FALSE(pool.reclaim(0));
  EXPECT_EQ(pool.take_gpus(2, 8, PlacementKind::kPacked), 1);  // not server 0, though it has 6 GPUs free
  pool.give_back_gpus(0, 2);                                   // its last job: it leaves the pool
  EXPECT_EQ(pool.total(), 1);
}

}  // namespace
}  // namespace clustersim
