// Collectives: plans (pure arithmetic), NCCL's double binary tree, and simulated collectives on the real
// fat-tree platform (CM02, no cross-traffic, no TCP window: a flow of S bytes alone on a path takes route
// latency + S / bottleneck bandwidth; flows sharing a link get equal max-min shares). Each TEST that builds
// an Engine must run in its own process (ctest + gtest_discover_tests).
//
// Fabrics used (bandwidths in B/s = bit/s / 8, every cable 400 Gbit/s = 50 GB/s):
// - "rail": 2 tiers, radix 64, 8 NICs per server: split 32/32, 4 servers per leaf, server link 400 GB/s,
//   leaf uplink 32 x 50 = 1600 GB/s = 4 servers: non-blocking.
// - "thin": 2 tiers, radix 64, 1 NIC: 32 servers per leaf, server link 50 GB/s, uplink 32 x 50: non-blocking.
// - radix 16, 1 NIC, leaf 3:1: split 12/4: 12 servers per leaf, uplink 4 x 50 = 200 GB/s.
// - radix 16, 1 NIC, leaf 2:1: split 10/5: 10 servers per leaf, uplink 5 x 50 = 250 GB/s.
#include "sim/collectives/collective.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "common/host_properties.hpp"
#include "sim/collectives/binary_tree.hpp"
#include "sim/collectives/collective_plan.hpp"
#include "tests/unit/simgrid_test_util.hpp"
#include "topologies/routed_fat_tree.hpp"
#include "topologies/simgrid_platform.hpp"

namespace clustersim {
namespace {

namespace sg4 = simgrid::s4u;
using test::make_engine;

constexpr double kGB = 1e9;
constexpr double kCable_Bps = 400e9 / 8;  // 50 GB/s

/// A 2-tier fat-tree of 400G cables: `servers` of `nics` NICs on switches of `radix` ports.
FatTreeParams two_tier(int servers, int radix, int nics, double leaf_oversubscription = 1) {
  FatTreeParams p;
  p.servers = servers;
  p.radix = radix;
  p.nics_per_server = nics;
  p.tiers = 2;
  p.link_bps = 400e9;
  p.leaf_oversubscription = leaf_oversubscription;
  return p;
}

Platform make_platform(int servers, int radix, int nics, double leaf_oversubscription = 1) {
  FatTreeParams p = two_tier(servers, radix, nics, leaf_oversubscription);
  p.hop_latency_s = 1e-6;
  return instantiate_platform(build_fat_tree(p), PlatformParams{});
}

CollectiveGroupParams group_params(const std::string& name, const Platform& plat, const std::vector<int>& ids,
                                   int ranks_per_server) {
  CollectiveGroupParams gp;
  gp.name = name;
  for (int s : ids) gp.servers.push_back(plat.servers[s]);
  gp.ranks_per_server = ranks_per_server;
  return gp;
}

std::vector<int> iota(int n) {
  std::vector<int> v(n);
  for (int i = 0; i < n; ++i) v[i] = i;
  return v;
}

/// One actor per server of `group`: sleeps until `start_s`, then runs the collective; timings in `out`.
void launch(CollectiveGroup* group, CollectiveOp op, double bytes, CollectiveAlgo algo, double start_s,
            std::vector<CollectiveTiming>* out) {
  out->resize(group->size());
  for (int i = 0; i < group->size(); ++i) {
    sg4::Actor::create(group->params().name + "-" + std::to_string(i), group->params().servers[i],
                       [group, op, bytes, algo, start_s, out, i] {
                         sg4::this_actor::sleep_until(start_s);
                         (*out)[i] = group->run(i, op, bytes, algo);
                       });
  }
}

double max_of(const std::vector<CollectiveTiming>& t, double CollectiveTiming::*field) {
  double m = 0;
  for (const auto& x : t) m = std::max(m, x.*field);
  return m;
}

// ---------------------------------------------------------------------------------------------------------
// Pure parts.

// NCCL's trees over 8 ranks (by hand from ncclGetBtree): tree 1: 0 -> 4; 4 -> 2, 6; 2 -> 1, 3; 6 -> 5, 7.
// Tree 2 mirrors r -> 7 - r: 7 -> 3; 3 -> 5, 1; 5 -> 6, 4; 1 -> 2, 0.
TEST(BinaryTree, NcclShapeForEightRanks) {
  EXPECT_EQ(binary_tree_node(8, 0).parent, -1);
  EXPECT_EQ(binary_tree_node(8, 0).children[1], 4);
  EXPECT_EQ(binary_tree_node(8, 4).parent, 0);
  EXPECT_EQ(binary_tree_node(8, 4).children, (std::array<int, 2>{2, 6}));
  EXPECT_EQ(binary_tree_node(8, 7).parent, 6);
  EXPECT_EQ(binary_tree_node(8, 7).children, (std::array<int, 2>{-1, -1}));
  const auto both = double_binary_tree_node(8, 3);
  EXPECT_EQ(both[0].parent, 2);
  EXPECT_EQ(both[1].parent, 7);
  EXPECT_EQ(both[1].children, (std::array<int, 2>{5, 1}));
  // 5 ranks: 4's second child 6 is out of range and lowbit 1 gives 5, also out: only child 2.
  EXPECT_EQ(binary_tree_node(5, 4).children, (std::array<int, 2>{2, -1}));
}

// For every size: each tree has one root, parent and child links agree, every rank reaches the root, and no
// rank is interior (has children) in both trees except where n < 4 forces it.
TEST(BinaryTree, BothTreesSpanAllRanks) {
  for (int n = 1; n <= 70; ++n) {
    int interior_in_both = 0;
    for (int t = 0; t < 2; ++t) {
      int roots = 0;
      for (int r = 0; r < n; ++r) {
        const TreeNode node = double_binary_tree_node(n, r)[t];
        if (node.parent < 0) {
          ++roots;
        } else {
          const std::array<int, 2> pc = double_binary_tree_node(n, node.parent)[t].children;
          EXPECT_TRUE(pc[0] == r || pc[1] == r) << "n=" << n << " tree " << t << " rank " << r;
        }
        int hops = 0, at = r;
        while (double_binary_tree_node(n, at)[t].parent >= 0 && hops <= n) {
          at = double_binary_tree_node(n, at)[t].parent;
          ++hops;
        }
        EXPECT_LE(hops, n) << "cycle at n=" << n;
      }
      EXPECT_EQ(roots, 1) << "n=" << n;
    }
    for (int r = 0; r < n; ++r) {
      const auto b = double_binary_tree_node(n, r);
      auto interior = [](const TreeNode& x) { return x.children[0] >= 0 || x.children[1] >= 0; };
      if (interior(b[0]) && interior(b[1])) ++interior_in_both;
    }
    if (n >= 4 && n % 2 == 0) {
      EXPECT_EQ(interior_in_both, 0) << "n=" << n;
    }
  }
}

// The table of collective.hpp, by hand. N = 16 servers, 8 rails (c = 8, g = 1), B = 1 GB:
// ring all-reduce W = 8 x 2 x 15/16 GB = 15 GB, latency 30 alpha; reduce-scatter 7.5 GB, 15 alpha;
// tree W = 2 x 8 GB = 16 GB, latency 2 x 4 alpha. One communicator over 4 servers x 8 GPUs (g = 8):
// hierarchical all-reduce W = 2 x 3/4 GB, intra = 2 x (7/8 GB / 450 GB/s + 7 x 2 us);
// ring W = 2 x 31/32 GB, latency 62 alpha; all-to-all W = 8 x 3/4 GB.
TEST(CollectivePlan, TableByHand) {
  CollectiveGroupParams p;
  p.ranks_per_server = 8;
  const auto ring = plan_collective(p, 16, CollectiveOp::kAllReduce, CollectiveAlgo::kRing, kGB);
  EXPECT_DOUBLE_EQ(ring.wire_bytes, 15e9);
  EXPECT_DOUBLE_EQ(ring.latency_s, 30 * 5e-6);
  EXPECT_DOUBLE_EQ(ring.analytic_s(), 30 * 5e-6);
  const auto rs = plan_collective(p, 16, CollectiveOp::kReduceScatter, CollectiveAlgo::kRing, kGB);
  EXPECT_DOUBLE_EQ(rs.wire_bytes, 7.5e9);
  EXPECT_DOUBLE_EQ(rs.latency_s, 15 * 5e-6);
  const auto tree = plan_collective(p, 16, CollectiveOp::kAllReduce, CollectiveAlgo::kTree, kGB);
  EXPECT_DOUBLE_EQ(tree.wire_bytes, 16e9);
  EXPECT_DOUBLE_EQ(tree.latency_s, 8 * 5e-6);
  EXPECT_EQ(plan_collective(p, 16, CollectiveOp::kAllGather, CollectiveAlgo::kTree, kGB).algorithm,
            CollectiveAlgo::kRing);

  p.communicator_gpus_per_server = 8;
  const auto hier = plan_collective(p, 4, CollectiveOp::kAllReduce, CollectiveAlgo::kHierarchical, kGB);
  EXPECT_DOUBLE_EQ(hier.wire_bytes, 1.5e9);
  EXPECT_NEAR(hier.intra_before_s, 7.0 / 8 * kGB / 450e9 + 7 * 2e-6, 1e-15);
  EXPECT_DOUBLE_EQ(hier.intra_after_s, hier.intra_before_s);
  EXPECT_DOUBLE_EQ(hier.latency_s, 6 * 5e-6);
  const auto flat = plan_collective(p, 4, CollectiveOp::kAllReduce, CollectiveAlgo::kRing, kGB);
  EXPECT_DOUBLE_EQ(flat.wire_bytes, 2 * 31.0 / 32 * kGB);
  EXPECT_DOUBLE_EQ(flat.latency_s, 62 * 5e-6);
  const auto a2a = plan_collective(p, 4, CollectiveOp::kAllToAll, CollectiveAlgo::kAuto, kGB);
  EXPECT_DOUBLE_EQ(a2a.wire_bytes, 6e9);
  EXPECT_DOUBLE_EQ(a2a.latency_s, 3 * 5e-6);  // one alpha per other server, as the training step model
  // One server: only the intra-server reduce-scatter + all-gather.
  const auto one = plan_collective(p, 1, CollectiveOp::kAllReduce, CollectiveAlgo::kRing, kGB);
  EXPECT_DOUBLE_EQ(one.wire_bytes, 0);
  EXPECT_DOUBLE_EQ(one.analytic_s(), 2 * hier.intra_before_s);
}

// (e) kAuto: N = 8, one rail, 50 GB/s, alpha 5 us: B* = N bw alpha (N - 1 - log2 N) = 8 x 50e9 x 5e-6 x 4
// = 8 MB. Tree below, ring above. Two servers: both pay 2 alpha, the ring moves less: ring always.
// 10,000 servers, 1 GB: B* = 1e4 x 50e9 x 5e-6 x (9999 - 14) ~ 2.5e13 B, so tree.
TEST(CollectiveAuto, FlipsAtTheDocumentedSize) {
  CollectiveGroupParams p;
  p.name = "auto";
  p.servers.assign(8, nullptr);  // no platform needed: the bandwidth is given
  p.server_bandwidth_Bps = kCable_Bps;
  const CollectiveGroup g(p);
  EXPECT_NEAR(g.tree_ring_crossover_bytes(), 8e6, 1);
  EXPECT_EQ(g.choose(CollectiveOp::kAllReduce, 7.9e6), CollectiveAlgo::kTree);
  EXPECT_EQ(g.choose(CollectiveOp::kAllReduce, 8.1e6), CollectiveAlgo::kRing);
  EXPECT_EQ(g.choose(CollectiveOp::kReduceScatter, 1e3), CollectiveAlgo::kRing);
  EXPECT_EQ(g.choose(CollectiveOp::kAllToAll, 1e3), CollectiveAlgo::kDirect);
  // 8 rails share the server link: the crossover per rank is 8 times smaller.
  p.ranks_per_server = 8;
  p.server_bandwidth_Bps = 8 * kCable_Bps;
  EXPECT_NEAR(CollectiveGroup(p).tree_ring_crossover_bytes(), 8e6, 1);
  p.ranks_per_server = 1;
  p.server_bandwidth_Bps = kCable_Bps;
  p.servers.assign(2, nullptr);
  EXPECT_EQ(CollectiveGroup(p).tree_ring_crossover_bytes(), 0);
  EXPECT_EQ(CollectiveGroup(p).choose(CollectiveOp::kAllReduce, 1), CollectiveAlgo::kRing);
  p.servers.assign(10000, nullptr);
  EXPECT_EQ(CollectiveGroup(p).choose(CollectiveOp::kAllReduce, kGB), CollectiveAlgo::kTree);
  // One communicator over 8 GPUs of 16 servers (n = 128), 1 GB, 400 GB/s per server:
  // ring: 2 x 127/128 GB / 400 GB/s + 254 x 5 us = 4.96 + 1.27 = 6.23 ms;
  // hierarchical: 2 x (7/8 GB / 450 GB/s + 14 us) + 2 x 15/16 GB / 400 GB/s + 30 x 5 us = 3.92 + 4.69 + 0.15
  // = 8.75 ms; tree: 3.92 + 2 GB / 400 GB/s + 8 x 5 us = 8.96 ms. Ring wins.
  p.servers.assign(16, nullptr);
  p.ranks_per_server = 8;
  p.communicator_gpus_per_server = 8;
  p.server_bandwidth_Bps = 8 * kCable_Bps;
  EXPECT_EQ(CollectiveGroup(p).choose(CollectiveOp::kAllReduce, kGB), CollectiveAlgo::kRing);
  EXPECT_THROW(CollectiveGroup(CollectiveGroupParams{}), std::invalid_argument);
  p.communicator_gpus_per_server = 3;
  EXPECT_THROW(CollectiveGroup{p}, std::invalid_argument);
}

// ---------------------------------------------------------------------------------------------------------
// (a) Idle non-blocking fabric: 16 servers on the "rail" fabric (4 leaves), 8 rails, 1 GB per rank.
// nccl-tests: algbw = B / t, busbw = algbw x 2(n-1)/n (all-reduce) or (n-1)/n (reduce-scatter, all-gather),
// n = 16; on an idle fabric busbw = the per-GPU NIC bandwidth (50 GB/s) minus the latency share
// (ring all-reduce: 30 x 5 us against 15 GB / 400 GB/s = 37.5 ms, 0.4 %).

void check_idle(CollectiveOp op, CollectiveAlgo algo, double bus_factor, double expected_busbw_Bps) {
  auto e = make_engine();
  const Platform plat = make_platform(16, 64, 8);
  CollectiveGroup group(group_params("idle", plat, iota(16), 8));
  EXPECT_DOUBLE_EQ(group.params().server_bandwidth_Bps, 8 * kCable_Bps);  // read from the platform
  std::vector<CollectiveTiming> t;
  launch(&group, op, kGB, algo, 0, &t);
  e->run();
  const double total_s = max_of(t, &CollectiveTiming::total_s);
  const double ideal_s = group.ideal_time_s(op, kGB, 8 * kCable_Bps, algo);
  EXPECT_NEAR(total_s / ideal_s, 1.0, 0.03) << collective_op_name(op);
  const double busbw = kGB / total_s * bus_factor;
  EXPECT_NEAR(busbw / expected_busbw_Bps, 1.0, 0.03) << collective_op_name(op) << " busbw " << busbw;
  EXPECT_EQ(t[0].algorithm, algo);
  EXPECT_GT(t[0].network_s, 0);
}

TEST(CollectiveIdle, RingAllReduceBusBandwidth) {
  check_idle(CollectiveOp::kAllReduce, CollectiveAlgo::kRing, 2.0 * 15 / 16, kCable_Bps);
}

TEST(CollectiveIdle, RingReduceScatterBusBandwidth) {
  check_idle(CollectiveOp::kReduceScatter, CollectiveAlgo::kRing, 15.0 / 16, kCable_Bps);
}

TEST(CollectiveIdle, RingAllGatherBusBandwidth) {
  check_idle(CollectiveOp::kAllGather, CollectiveAlgo::kRing, 15.0 / 16, kCable_Bps);
}

// The tree moves 2B per server instead of 2(n-1)/n B, so its busbw is (n-1)/n of the NIC: 46.9 GB/s.
TEST(CollectiveIdle, TreeAllReduceBusBandwidth) {
  check_idle(CollectiveOp::kAllReduce, CollectiveAlgo::kTree, 2.0 * 15 / 16, kCable_Bps * 15 / 16);
}

// kAuto at 1 GB: the crossover is 16 x 400e9 x 5e-6 x (15 - 4) / 8 = 44 MB per rank, so ring.
TEST(CollectiveIdle, AutoPicksRingForLargeMessages) {
  auto e = make_engine();
  const Platform plat = make_platform(16, 64, 8);
  CollectiveGroup group(group_params("auto", plat, iota(16), 8));
  EXPECT_NEAR(group.tree_ring_crossover_bytes(), 44e6, 1);
  std::vector<CollectiveTiming> big, small;
  launch(&group, CollectiveOp::kAllReduce, kGB, CollectiveAlgo::kAuto, 0, &big);
  launch(&group, CollectiveOp::kAllReduce, 1e6, CollectiveAlgo::kAuto, 1, &small);
  e->run();
  EXPECT_EQ(big[0].algorithm, CollectiveAlgo::kRing);
  EXPECT_EQ(small[0].algorithm, CollectiveAlgo::kTree);
}

// One communicator of 4 servers x 8 GPUs, hierarchical: intra 2 x (7/8 GB / 450 GB/s + 7 x 2 us) = 3.917 ms,
// network 1.5 GB / 400 GB/s = 3.75 ms, latency 6 x 5 us.
TEST(CollectiveIdle, HierarchicalAllReduce) {
  auto e = make_engine();
  const Platform plat = make_platform(4, 64, 8);
  CollectiveGroupParams gp = group_params("hier", plat, iota(4), 8);
  gp.communicator_gpus_per_server = 8;
  CollectiveGroup group(gp);
  std::vector<CollectiveTiming> t;
  launch(&group, CollectiveOp::kAllReduce, kGB, CollectiveAlgo::kHierarchical, 0, &t);
  e->run();
  const double expected_s = 2 * (7.0 / 8 * kGB / 450e9 + 7 * 2e-6) + 1.5e9 / 400e9 + 6 * 5e-6;
  EXPECT_NEAR(max_of(t, &CollectiveTiming::total_s) / expected_s, 1.0, 0.01);
  EXPECT_NEAR(t[0].network_s / 3.75e-3, 1.0, 0.01);
}

// ---------------------------------------------------------------------------------------------------------
// (b) Two groups sharing leaf uplinks. Radix 16, 1 NIC, leaf 3:1: 12 servers per leaf, uplink 200 GB/s.
// Group A interleaves servers 0-3 (leaf 0) with 12-15 (leaf 1), group B 4-7 with 16-19: every ring hop
// crosses leaves, so each group puts 4 flows of 50 GB/s on each leaf uplink (each direction).
// Alone: 4 x 50 = 200 GB/s fits: W / 50 GB/s = 2 x 7/8 GB / 50 GB/s = 35 ms.
// Together: 8 flows share 200 GB/s: 25 GB/s each, so each group's network time doubles (70 ms).
TEST(CollectiveContention, TwoGroupsShareLeafUplinks) {
  auto e = make_engine();
  const Platform plat = make_platform(24, 16, 1, 3);
  CollectiveGroup a(group_params("A", plat, {0, 12, 1, 13, 2, 14, 3, 15}, 1));
  CollectiveGroup b(group_params("B", plat, {4, 16, 5, 17, 6, 18, 7, 19}, 1));
  std::vector<CollectiveTiming> alone, a2, b2;
  launch(&a, CollectiveOp::kAllReduce, kGB, CollectiveAlgo::kRing, 0, &alone);
  launch(&a, CollectiveOp::kAllReduce, kGB, CollectiveAlgo::kRing, 1, &a2);
  launch(&b, CollectiveOp::kAllReduce, kGB, CollectiveAlgo::kRing, 1, &b2);
  e->run();
  const double alone_s = max_of(alone, &CollectiveTiming::network_s);
  EXPECT_NEAR(alone_s / 35e-3, 1.0, 0.01);
  EXPECT_NEAR(max_of(a2, &CollectiveTiming::network_s) / alone_s, 2.0, 0.03);
  EXPECT_NEAR(max_of(b2, &CollectiveTiming::network_s) / alone_s, 2.0, 0.03);
}

// (c) Leaf oversubscription 2:1 (radix 16, 1 NIC: 10 servers per leaf, uplink 250 GB/s), 20 servers.
// In-order ring 0..19: one flow crosses each way: 35 ms x (20 servers: W = 2 x 19/20 GB) = 38 ms.
// Cross-leaf ring 0,10,1,11,...: 10 flows of 50 GB/s want 500 GB/s of a 250 GB/s uplink: 25 GB/s each, 76 ms.
TEST(CollectiveContention, OversubscribedLeafSlowsCrossLeafRing) {
  auto e = make_engine();
  const Platform plat = make_platform(20, 16, 1, 2);
  std::vector<int> cross;
  for (int i = 0; i < 10; ++i) cross.insert(cross.end(), {i, i + 10});
  CollectiveGroup in_order(group_params("in-order", plat, iota(20), 1));
  CollectiveGroup across(group_params("across", plat, cross, 1));
  std::vector<CollectiveTiming> t1, t2;
  launch(&in_order, CollectiveOp::kAllReduce, kGB, CollectiveAlgo::kRing, 0, &t1);
  launch(&across, CollectiveOp::kAllReduce, kGB, CollectiveAlgo::kRing, 1, &t2);
  e->run();
  const double w = 2.0 * 19 / 20 * kGB;
  EXPECT_NEAR(max_of(t1, &CollectiveTiming::network_s) / (w / kCable_Bps), 1.0, 0.01);
  EXPECT_NEAR(max_of(t2, &CollectiveTiming::network_s) / (w / (kCable_Bps / 2)), 1.0, 0.01);
}

// ---------------------------------------------------------------------------------------------------------
// Mirrored tree broadcast (CollectiveGroupParams::mirror_tree_broadcast): the up phase carrying both phases' bytes
// gives the time of the two simulated phases on a fabric that is the same in both directions, a cross-leaf
// group on an oversubscribed fabric included; with traffic in one direction only (a background flow into server
// 0's uplink), the mirrored phase takes that direction's time: slower here, as documented.
double tree_time(bool mirror, bool background) {
  auto e = make_engine();
  const Platform plat = make_platform(20, 16, 1, 2);
  std::vector<int> cross;
  for (int i = 0; i < 10; ++i) cross.insert(cross.end(), {i, i + 10});
  CollectiveGroupParams gp = group_params("tree", plat, cross, 1);
  gp.mirror_tree_broadcast = mirror;
  CollectiveGroup group(gp);
  std::vector<CollectiveTiming> t;
  launch(&group, CollectiveOp::kAllReduce, kGB, CollectiveAlgo::kTree, 0, &t);
  if (background) {  // server 19 -> server 9 (other leaf): the up direction of leaf 1, the down one of leaf 0
    CollectiveGroupParams bp = group_params("bg", plat, {19, 9}, 1);
    static std::unique_ptr<CollectiveGroup> bg;
    bg = std::make_unique<CollectiveGroup>(bp);
    sg4::Actor::create("bg-send", plat.servers[19], [] { bg->send_recv(0, 0, 1, 20 * kGB); });
    sg4::Actor::create("bg-recv", plat.servers[9], [] { bg->send_recv(1, 0, 1, 20 * kGB); });
  }
  e->run();
  return max_of(t, &CollectiveTiming::network_s);
}

TEST(CollectiveTree, MirroredBroadcastMatchesSimulatedOnASymmetricFabric) {
  const double simulated = tree_time(false, false), mirrored = tree_time(true, false);
  EXPECT_GT(simulated, 0);
  EXPECT_NEAR(mirrored / simulated, 1.0, 1e-9);
}

TEST(CollectiveTree, MirroredBroadcastFollowsOneDirectionsCrossTraffic) {
  const double simulated = tree_time(false, true), mirrored = tree_time(true, true);
  EXPECT_GT(simulated, tree_time(false, false));  // the background flow slows the tree
  EXPECT_NE(mirrored, simulated);                 // one direction's traffic: the mirror is not exact
}

// ---------------------------------------------------------------------------------------------------------
// (d) All-to-all. 8 servers of the "rail" fabric, 8 rails, 1 GB: W = 8 x 7/8 GB = 7 GB in 7 flows of 1 GB,
// each at 400/7 GB/s: 17.5 ms + alpha.
TEST(CollectiveAllToAll, DirectMatchesFormula) {
  auto e = make_engine();
  const Platform plat = make_platform(8, 64, 8);
  CollectiveGroup group(group_params("a2a", plat, iota(8), 8));
  std::vector<CollectiveTiming> t;
  launch(&group, CollectiveOp::kAllToAll, kGB, CollectiveAlgo::kAuto, 0, &t);
  e->run();
  EXPECT_EQ(t[0].algorithm, CollectiveAlgo::kDirect);
  EXPECT_NEAR(max_of(t, &CollectiveTiming::network_s) / 17.5e-3, 1.0, 0.01);
  EXPECT_NEAR(max_of(t, &CollectiveTiming::total_s) / group.ideal_time_s(CollectiveOp::kAllToAll, kGB, 400e9), 1.0,
              0.01);
}

// 100 servers on one leaf (radix 256, 1 NIC: 128 servers per leaf), 100 MB: W = 99/100 x 100 MB = 99 MB,
// spread over kMaxAllToAllPeers = 16 peers (the aggregated pattern); each server sends and receives 16 flows
// of equal share:
// 99 MB / 50 GB/s = 1.98 ms. One leaf because CM02 shares bandwidth in inverse proportion to the route
// latency (its sharing penalty is the latency): on several leaves the 2-hop flows would get twice the share
// of the 4-hop ones and the pattern would end about 13 % later.
TEST(CollectiveAllToAll, AggregatedPeersKeepBytesPerServer) {
  auto e = make_engine();
  const Platform plat = make_platform(100, 256, 1);
  CollectiveGroup group(group_params("a2a-big", plat, iota(100), 1));
  std::vector<CollectiveTiming> t;
  launch(&group, CollectiveOp::kAllToAll, 1e8, CollectiveAlgo::kAuto, 0, &t);
  e->run();
  EXPECT_NEAR(max_of(t, &CollectiveTiming::network_s) / 1.98e-3, 1.0, 0.01);
}

// ---------------------------------------------------------------------------------------------------------
// Routed fabrics (topologies/routed_fat_tree.hpp): the platform asks for phase-synchronous flows, each phase's
// flows bounded at the rate of its slowest. Alone on the fabric, a phase then ends when the per-flow max-min
// simulation's slowest flow does: the same network time with the bound as without (property set to "0"), for the
// ring and for the all-to-all, on ECMP (collisions: slower than the ideal fabric) and D-mod-K.
/// 64 servers of 8 x 400G NICs on a 2-tier radix-64 fat-tree, routed `mode` (ideal: the aggregated platform); with
/// `synchronous` false the servers no longer ask for phase-synchronous flows (the per-flow simulation).
Platform routed_platform_64(RoutingKind mode, uint64_t seed, int qps, bool synchronous) {
  const FatTreeParams p = two_tier(64, 64, 8);
  FabricRouting r;
  r.mode = mode;
  r.seed = seed;
  r.connections_per_nic = qps;
  const Platform plat = mode == RoutingKind::kIdeal ? instantiate_platform(build_fat_tree(p), PlatformParams{})
                                                    : instantiate_routed_platform(build_fat_tree(p), {}, r);
  if (!synchronous)
    for (sg4::Host* h : plat.servers) h->set_property(kPhaseSynchronousProperty, "0");
  return plat;
}

double routed_network_s(RoutingKind mode, CollectiveOp op, bool synchronous, int qps = 1) {
  const std::string out = test::run_in_child([=] {
    auto e = make_engine();
    const Platform plat = routed_platform_64(mode, 9, qps, synchronous);
    CollectiveGroup group(group_params("routed", plat, iota(64), 8));
    std::vector<CollectiveTiming> t;
    launch(&group, op, 0.25 * kGB, op == CollectiveOp::kAllToAll ? CollectiveAlgo::kDirect : CollectiveAlgo::kRing, 0,
           &t);
    e->run();
    return std::to_string(max_of(t, &CollectiveTiming::network_s));
  });
  return std::stod(out);
}

// Two rings that reduce together (the lanes of one data-parallel all-reduce: even and odd servers) share their
// cables; with share_phase_rates both are bounded at the slowest flow of the two, and the pair ends when the
// per-flow simulation's slowest flow does.
double two_lane_network_s(bool synchronous) {
  const std::string out = test::run_in_child([=] {
    auto e = make_engine();
    const Platform plat = routed_platform_64(RoutingKind::kEcmp, 4, 1, synchronous);
    std::vector<int> even, odd;
    for (int s = 0; s < 64; ++s) (s % 2 == 0 ? even : odd).push_back(s);
    std::vector<CollectiveGroup> lanes;
    lanes.emplace_back(group_params("lane0", plat, even, 8));
    lanes.emplace_back(group_params("lane1", plat, odd, 8));
    CollectiveGroup::share_phase_rates(lanes);
    std::vector<CollectiveTiming> t0, t1;
    launch(&lanes[0], CollectiveOp::kAllReduce, 0.25 * kGB, CollectiveAlgo::kRing, 0, &t0);
    launch(&lanes[1], CollectiveOp::kAllReduce, 0.25 * kGB, CollectiveAlgo::kRing, 0, &t1);
    e->run();
    return std::to_string(std::max(max_of(t0, &CollectiveTiming::network_s), max_of(t1, &CollectiveTiming::network_s)));
  });
  return std::stod(out);
}

TEST(CollectiveRouted, LanesShareOnePhaseBound) {
  const double bound_s = two_lane_network_s(true), free_s = two_lane_network_s(false);
  EXPECT_NEAR(bound_s / free_s, 1.0, 1e-9);
  std::printf("two lanes under ECMP: %.3f ms bounded, %.3f ms per-flow\n", bound_s * 1e3, free_s * 1e3);
}

// QP scaling (Meta's E-ECMP with more QPs per connection, SIGCOMM 2024: "up to 40 %" on AllReduce): more
// connections per NIC pair spread each flow over more cables; the ring gets back towards the ideal fabric.
TEST(CollectiveRouted, MoreConnectionsPerNicSpreadTheRing) {
  const double ideal_s = routed_network_s(RoutingKind::kIdeal, CollectiveOp::kAllReduce, true);
  double previous_s = 0;
  for (int qps : {1, 2, 4, 8, 16}) {
    const double t = routed_network_s(RoutingKind::kEcmp, CollectiveOp::kAllReduce, true, qps);
    std::printf("ring all-reduce, 64 servers, ECMP with %2d connections per NIC pair: %.3f ms (ideal %.3f ms)\n", qps,
                t * 1e3, ideal_s * 1e3);
    EXPECT_GE(t, ideal_s * (1 - 1e-9));
    if (qps == 1) previous_s = t;
    if (qps == 16) {
      EXPECT_LT(t, previous_s);
    }
  }
}

TEST(CollectiveRouted, PhaseSynchronousFlowsEndWithTheSlowest) {
  for (CollectiveOp op : {CollectiveOp::kAllReduce, CollectiveOp::kAllToAll}) {
    const double ideal_s = routed_network_s(RoutingKind::kIdeal, op, true);
    for (RoutingKind mode : {RoutingKind::kEcmp, RoutingKind::kDmodk}) {
      const double bound_s = routed_network_s(mode, op, true);
      const double free_s = routed_network_s(mode, op, false);
      EXPECT_NEAR(bound_s / free_s, 1.0, 1e-9) << collective_op_name(op) << " " << kind_name(mode);
      EXPECT_GE(bound_s / ideal_s, 1.0 - 1e-9) << collective_op_name(op) << " " << kind_name(mode);
      std::printf("%s %s: %.3f ms (ideal %.3f ms)\n", collective_op_name(op), kind_name(mode), bound_s * 1e3,
                  ideal_s * 1e3);
    }
  }
}

// PXN (fabric.pxn): on a rail-optimized fabric an all-to-all inside one scalable unit stays on the rail leaves when
// GPU i's data for GPU j first crosses NVLink to the GPU on rail j (NCCL's PXN); without it, 7/8 of every NIC's data
// leaves on the wrong rail and climbs to the spines. 16 servers of 8 NICs in one unit (of two), radix 32 at 3:1: each
// rail leaf has 16 NICs below (800 GB/s) and 8 uplinks (400 GB/s) for the cross-rail 16 x 7/8 NICs' worth: perfectly
// spread, the phase runs at 400 / 14 = 28.6 GB/s per NIC instead of 50: 1.75x the rail-aligned time. D-mod-K spreads
// the destinations evenly; ECMP's collisions cost more.
double rail_all_to_all_s(RoutingKind mode, bool pxn) {
  const std::string out = test::run_in_child([=] {
    auto e = make_engine();
    // Two units: the spines exist (one unit alone has none); the all-to-all runs in the first.
    FatTreeParams p = two_tier(32, 32, 8, 3);
    p.su_servers = 16;
    FabricRouting r;
    r.mode = mode;
    r.seed = 3;
    r.pxn = pxn;
    const Platform plat = instantiate_routed_platform(build_fat_tree(p), {}, r);
    CollectiveGroupParams gp = group_params("a2a", plat, iota(16), 8);
    gp.communicator_gpus_per_server = 8;
    CollectiveGroup group(gp);
    std::vector<CollectiveTiming> t;
    launch(&group, CollectiveOp::kAllToAll, 0.25 * kGB, CollectiveAlgo::kDirect, 0, &t);
    e->run();
    return std::to_string(max_of(t, &CollectiveTiming::network_s));
  });
  return std::stod(out);
}

TEST(CollectiveRouted, AllToAllWithoutPxnCrossesRails) {
  // W = 8 GPUs x 15/16 x 0.25 GB per server over its 8 NICs of 50 GB/s.
  const double aligned_s = 8 * 15.0 / 16 * 0.25 * kGB / (8 * kCable_Bps);
  for (RoutingKind mode : {RoutingKind::kDmodk, RoutingKind::kEcmp}) {
    const double with_s = rail_all_to_all_s(mode, true), without_s = rail_all_to_all_s(mode, false);
    std::printf("all-to-all in one scalable unit, %s: PXN %.3f ms, no PXN %.3f ms (%.2fx)\n", kind_name(mode),
                with_s * 1e3, without_s * 1e3, without_s / with_s);
    EXPECT_NEAR(with_s / aligned_s, 1.0, 1e-3) << kind_name(mode);  // rail-aligned: only the NICs
    if (mode == RoutingKind::kDmodk) {
      EXPECT_NEAR(without_s / aligned_s, 1.75, 1e-3);
    } else {
      EXPECT_GT(without_s / aligned_s, 1.75);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Shift (pipeline sends): 4 servers on the thin fabric, 1 GB: server i sends to i + 1, one flow each over
// distinct links: 1 GB / 50 GB/s = 20 ms + alpha, for every server (the last only receives, the first only
// sends); a one-server group moves nothing.
TEST(CollectiveMisc, ShiftIsOneFlowPerServerPlusAlpha) {
  auto e = make_engine();
  const Platform plat = make_platform(40, 64, 1);
  CollectiveGroup chain(group_params("chain", plat, {0, 1, 33, 34}, 1));
  CollectiveGroup solo(group_params("solo", plat, {5}, 1));
  std::vector<double> t(4, -1);
  double solo_s = -1;
  for (int i = 0; i < 4; ++i)
    sg4::Actor::create("s" + std::to_string(i), chain.params().servers[i], [&, i] { t[i] = chain.shift(i, kGB); });
  sg4::Actor::create("solo", plat.servers[5], [&] { solo_s = solo.shift(0, kGB); });
  e->run();
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(t[i], 20e-3 + 5e-6, 1e-7) << i;
  EXPECT_EQ(solo_s, 0);
}

// ---------------------------------------------------------------------------------------------------------
// Point-to-point across leaves (1 GB at 50 GB/s = 20 ms, + alpha 5 us; the links carry no latency, the hops'
// latency is part of alpha: PlatformParams::link_latency), and a one-server
// group (all-reduce of 8 GPUs of one communicator: 2 x (7/8 GB / 450 GB/s + 14 us), no flow).
TEST(CollectiveMisc, SendRecvAndSingleServer) {
  auto e = make_engine();
  const Platform plat = make_platform(40, 64, 1);
  CollectiveGroup pair(group_params("p2p", plat, {0, 35}, 1));
  CollectiveGroupParams sp = group_params("solo", plat, {1}, 8);
  sp.communicator_gpus_per_server = 8;
  CollectiveGroup solo(sp);
  double sent_s = 0, got_s = 0;
  CollectiveTiming solo_t;
  sg4::Actor::create("tx", plat.servers[0], [&] { sent_s = pair.send_recv(0, 0, 1, kGB); });
  sg4::Actor::create("rx", plat.servers[35], [&] { got_s = pair.send_recv(1, 0, 1, kGB); });
  sg4::Actor::create("solo", plat.servers[1], [&] { solo_t = solo.run(0, CollectiveOp::kAllReduce, kGB); });
  e->run();
  EXPECT_NEAR(got_s, 20e-3 + 5e-6, 1e-7);
  EXPECT_NEAR(sent_s, got_s, 1e-7);
  EXPECT_EQ(solo_t.network_s, 0);
  EXPECT_NEAR(solo_t.total_s, 2 * (7.0 / 8 * kGB / 450e9 + 14e-6), 1e-9);
}

}  // namespace
}  // namespace clustersim

namespace clustersim {
namespace {

/// End time of: every server calls `call` (ring all-reduce, tree all-reduce or shift over 12 servers of the
/// radix-16, 3:1 fabric, so flows contend on the leaf uplink), then all meet at a barrier, then server 0
/// applies the returned tail. With caller_synchronizes the tail comes back instead of being slept.
double synchronized_end_s(bool caller_synchronizes, int kind) {
  auto e = make_engine();
  const Platform plat = make_platform(24, 16, 1, 3);
  CollectiveGroupParams gp = group_params("g", plat, {0, 1, 2, 3, 12, 13, 14, 15, 16, 20, 21, 22}, 1);
  gp.caller_synchronizes = caller_synchronizes;
  CollectiveGroup group(gp);
  sg4::BarrierPtr barrier = sg4::Barrier::create(group.size());
  double end_s = -1;
  for (int i = 0; i < group.size(); ++i)
    sg4::Actor::create("s" + std::to_string(i), gp.servers[i], [&, i] {
      for (int call = 0; call < 2; ++call) {  // twice: the second call drops the first one's unwaited sends
        double tail_s = 0;
        if (kind == 2) {
          group.shift(i, kGB);
          if (caller_synchronizes) tail_s = gp.alpha_s;
        } else {
          tail_s = group
                       .run(i, CollectiveOp::kAllReduce, 0.5 * kGB,
                            kind == 0 ? CollectiveAlgo::kRing : CollectiveAlgo::kTree)
                       .deferred_s;
        }
        barrier->wait();
        if (i == 0 && tail_s > 0) sg4::this_actor::sleep_for(tail_s);
        barrier->wait();
      }
      if (i == 0) end_s = sg4::Engine::get_clock();
    });
  e->run();
  return end_s;
}

/// synchronized_end_s in a child process (one SimGrid engine per process), bit for bit.
double synchronized_end_s_in_child(bool caller_synchronizes, int kind) {
  const std::string text = test::run_in_child([&] {
    const double end_s = synchronized_end_s(caller_synchronizes, kind);
    return std::string(reinterpret_cast<const char*>(&end_s), sizeof end_s);
  });
  double end_s = -1;
  if (text.size() == sizeof end_s) std::memcpy(&end_s, text.data(), sizeof end_s);
  return end_s;
}

// The synchronized form (what a training job's phases use) ends at the same instant, to the bit, as every
// server sleeping its own tail and waiting for its own sends: ring, tree, shift.
TEST(CollectiveMisc, CallerSynchronizedEndsAtTheSameInstant) {
  for (int kind = 0; kind < 3; ++kind) {
    const double own = synchronized_end_s_in_child(false, kind);
    EXPECT_GT(own, 0.03) << kind;  // two calls of at least 15 ms of flows each
    EXPECT_EQ(synchronized_end_s_in_child(true, kind), own) << kind;
  }
}

}  // namespace
}  // namespace clustersim
