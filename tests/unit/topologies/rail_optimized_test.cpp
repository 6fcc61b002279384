// Rail-optimized fat-trees: inventories worked out by hand (arithmetic in the comments), impossible
// inputs, and the SimGrid zones (scalable units with aggregated uplinks). Bandwidths in SimGrid are
// B/s = bit/s / 8; a lone flow takes sum(link latencies) + bytes / bottleneck bandwidth.
#include "topologies/rail_optimized.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "tests/unit/simgrid_test_util.hpp"
#include "tests/unit/test_specs.hpp"
#include "topologies/simgrid_platform.hpp"

namespace clustersim {
namespace {

using test::fat_tree_params;
FatTreeParams params(int servers, int radix, int tiers, double leaf_ratio = 1) {
  return fat_tree_params(servers, radix, tiers, leaf_ratio);
}

int cables_between(const TopologyGraph& g, int a, int b) {
  const auto [e, found] = boost::edge(a, b, g);
  return found ? g[e].cables : 0;
}

// 128 servers (1,024 GPUs), 8 NICs, SU of 32, radix 64 at 1:1, 2 tiers.
//   leaf split 32 down / 32 up; SUs = 128 / 32 = 4; rail leaves = 4 SUs x 8 rails = 32.
//   spines = ceil(32 leaves x 32 up / 64) = 16; each leaf puts 32 / 16 = 2 cables on each spine.
//   cables: server-leaf 128 x 8 = 1,024; leaf-spine 32 x 32 = 1,024; transceiver ends 2 x cables.
//   ports used: leaves 32 x (32 + 32) = 2,048; spines 1,024 (16 x 64, all full).
//   bisection = min over tiers of half the capacity = 1,024 x 400G / 2 = 204.8 Tbit/s.
//   hops: 1 inside an SU (same rail leaf), 3 otherwise. Ordered pairs: all 128 x 127 = 16,256, same SU
//   4 x 32 x 31 = 3,968; mean = (3,968 x 1 + (16,256 - 3,968) x 3) / 16,256 = 40,832 / 16,256.
TEST(RailOptimized, TwoTiers1024Gpus) {
  const FatTree t = build_rail_optimized(params(128, 64, 2), 32);
  EXPECT_EQ(t.leaves_per_group, 8);
  EXPECT_EQ(t.servers_per_leaf, 32);
  EXPECT_EQ(t.groups(), 4);
  EXPECT_EQ(t.leaves, 32);
  EXPECT_EQ(t.spines(), 16);
  EXPECT_EQ(t.cores, 0);
  const FabricInventory& inv = t.inventory;
  EXPECT_EQ(inv.switch_tiers[0].switches, 32);
  EXPECT_EQ(inv.switch_tiers[0].ports_used, 2048);
  EXPECT_EQ(inv.switch_tiers[1].switches, 16);
  EXPECT_EQ(inv.switch_tiers[1].ports_used, 1024);
  EXPECT_EQ(inv.link_tiers[0].cables, 1024);
  EXPECT_EQ(inv.link_tiers[1].cables, 1024);
  EXPECT_EQ(inv.link_tiers[0].transceiver_ends, 2048);
  EXPECT_DOUBLE_EQ(inv.bisection_bandwidth_bps, 204.8e12);
  EXPECT_EQ(inv.diameter_switch_hops, 3);
  EXPECT_DOUBLE_EQ(inv.mean_switch_hops, 40832.0 / 16256.0);
  // Server 33 is in SU 1 (servers 32..63): NIC k on rail leaf 8 + k, one cable each; none on SU 0's leaves.
  for (int k = 0; k < 8; ++k) {
    EXPECT_EQ(cables_between(t.graph, 33, t.leaf_vertex(8 + k)), 1) << k;
    EXPECT_EQ(cables_between(t.graph, 33, t.leaf_vertex(k)), 0) << k;
  }
  EXPECT_EQ(cables_between(t.graph, t.leaf_vertex(5), t.spine_vertex(3)), 2);
  EXPECT_TRUE(check_fat_tree(t).empty());
}

// 100,000 GPUs = 12,500 servers, SU of 32, radix 128 at 1:1, 3 tiers.
//   leaf 64 down / 64 up; SUs = ceil(12,500 / 32) = 391 (the last holds 12,500 - 390 x 32 = 20 servers);
//   rail leaves = 391 x 8 = 3,128. Spine 64 down / 64 up: a pod holds floor(64 / 8) = 8 SUs = 64 leaves;
//   pods = ceil(3,128 / 64) = 49 (the last has 3,128 - 48 x 64 = 56 leaves = 7 SUs); spines = 49 x 64 = 3,136;
//   cores = ceil(3,136 spines x 64 up / 128) = 1,568.
//   cables: server-leaf 12,500 x 8 = 100,000; leaf-spine 3,128 x 64 = 200,192; spine-core 3,136 x 64 = 200,704.
//   bisection = half the smallest tier = 100,000 x 400G / 2 = 20 Pbit/s. Diameter 5.
TEST(RailOptimized, HundredThousandGpusRadix128) {
  const FatTree t = build_rail_optimized(params(12500, 128, 3), 32);
  EXPECT_EQ(t.groups(), 391);
  EXPECT_EQ(t.servers_on_leaf(390 * 8 + 7), 20);
  EXPECT_EQ(t.leaves, 3128);
  EXPECT_EQ(t.leaves_per_pod, 64);
  EXPECT_EQ(t.pods, 49);
  EXPECT_EQ(t.leaves_in_pod(48), 56);
  EXPECT_EQ(t.spines(), 3136);
  EXPECT_EQ(t.cores, 1568);
  const FabricInventory& inv = t.inventory;
  EXPECT_EQ(inv.link_tiers[0].cables, 100000);
  EXPECT_EQ(inv.link_tiers[1].cables, 200192);
  EXPECT_EQ(inv.link_tiers[2].cables, 200704);
  EXPECT_EQ(inv.total_switches(), 3128 + 3136 + 1568);
  EXPECT_DOUBLE_EQ(inv.bisection_bandwidth_bps, 20e15);
  EXPECT_EQ(inv.diameter_switch_hops, 5);
}

// The same 12,500 servers on radix 64: 3,128 rail leaves, 32 per pod (4 SUs) -> ceil(3,128 / 32) = 98 pods,
// more than the 64 a core can reach.
TEST(RailOptimized, HundredThousandGpusDoNotFitRadix64) {
  try {
    build_rail_optimized(params(12500, 64, 3), 32);
    FAIL() << "no error";
  } catch (const TopologyError& e) {
    EXPECT_NE(std::string(e.what()).find("need 98 pods"), std::string::npos) << e.what();
    EXPECT_EQ(e.key(), "fabric.radix");
  }
}

// One SU (20 servers < 32): its 8 rail leaves alone, no spines; every pair shares a rail leaf.
TEST(RailOptimized, OneScalableUnit) {
  const FatTree t = build_rail_optimized(params(20, 64, 2), 32);
  EXPECT_EQ(t.leaves, 8);
  EXPECT_EQ(t.spines(), 0);
  EXPECT_EQ(t.inventory.link_tiers[0].cables, 160);  // 20 x 8
  EXPECT_EQ(t.inventory.link_tiers[1].cables, 0);
  EXPECT_EQ(t.inventory.diameter_switch_hops, 1);
  EXPECT_DOUBLE_EQ(t.inventory.mean_switch_hops, 1.0);
}

TEST(RailOptimized, ImpossibleInputs) {
  // An SU of 40 needs 40 down ports per rail leaf; radix 64 at 1:1 has 32.
  try {
    build_rail_optimized(params(128, 64, 2), 40);
    FAIL() << "no error";
  } catch (const TopologyError& e) {
    EXPECT_NE(std::string(e.what()).find("needs 40 down ports"), std::string::npos) << e.what();
    EXPECT_NE(e.hint().find("su_servers <= 32"), std::string::npos) << e.hint();
    EXPECT_EQ(e.key(), "fabric.su_servers");
  }
  // 3:1 gives 48 down ports: the same SU of 40 fits.
  EXPECT_NO_THROW(build_rail_optimized(params(128, 64, 2, 3), 40));
  // Radix 8: a spine has 4 down ports, fewer than the 8 rail leaves of an SU (3 tiers).
  try {
    build_rail_optimized(params(100, 8, 3), 4);
    FAIL() << "no error";
  } catch (const TopologyError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot reach the 8 rail leaves"), std::string::npos) << e.what();
  }
  // 2 tiers: 3 SUs = 24 rail leaves > radix 16 (every leaf must reach every spine). Radix 16 1:1: 8 down.
  EXPECT_THROW(build_rail_optimized(params(24, 16, 2), 8), TopologyError);
  EXPECT_THROW(build_rail_optimized(params(24, 64, 2), 0), TopologyError);
}

// SimGrid: 64 servers in 2 SUs of 32, radix 64 at 3:1 (48 down / 16 up), 1 us per link.
//   host link = 8 x 400G = 3.2 Tbit/s = 400 GB/s; SU uplink = 8 rails x 16 up x 400G = 51.2 Tbit/s = 6.4 GB/ms.
TEST(RailOptimizedPlatform, SameSuAtNicSpeedCrossSuSharesUplink) {
  auto e = test::make_engine();
  FatTreeParams p = params(64, 64, 2, 3);
  p.hop_latency_s = 1e-6;
  const FatTree t = build_rail_optimized(p, 32);
  ASSERT_EQ(t.leaf_uplinks, 16);
  const Platform plat = instantiate_platform(t, PlatformParams{});
  EXPECT_EQ(e->get_host_count(), 65u);  // 64 servers + the frontend
  // Same SU: 2 links, no uplink. Other SU: host, su-0-up, su-1-up, host (split-duplex: _UP / _DOWN).
  EXPECT_EQ(test::route_names(plat.servers[0], plat.servers[1]),
            (std::vector<std::string>{"server-0-link_UP", "server-1-link_DOWN"}));
  EXPECT_EQ(test::route_names(plat.servers[0], plat.servers[32]),
            (std::vector<std::string>{"server-0-link_UP", "su-0-up_UP", "su-1-up_DOWN", "server-32-link_DOWN"}));
  // 1 GB flows, each host sending at most one and receiving at most one: 16 inside SU 0 (0..15 -> 16..31),
  // 16 from SU 0 to SU 1 (16..31 -> 32..47) and 16 back (48..63 -> 0..15).
  std::vector<std::pair<simgrid::s4u::Host*, simgrid::s4u::Host*>> flows;
  for (int i = 0; i < 16; ++i) flows.emplace_back(plat.servers[i], plat.servers[16 + i]);
  for (int i = 0; i < 16; ++i) flows.emplace_back(plat.servers[16 + i], plat.servers[32 + i]);
  for (int i = 0; i < 16; ++i) flows.emplace_back(plat.servers[48 + i], plat.servers[i]);
  const auto done = test::run_flows(*e, flows, 1e9);
  // Same-SU flows: 1 GB / 400 GB/s + 2 us = 2.502 ms (no uplink crossed).
  for (int i = 0; i < 16; ++i) EXPECT_NEAR(done[i], 2.502e-3, 2.502e-5) << i;
  // 16 flows each way over the 6.4 TB/s SU uplinks: 16 x 400 GB/s = 6.4 TB/s fits exactly -> 2.504 ms.
  for (int i = 16; i < 48; ++i) EXPECT_NEAR(done[i], 2.504e-3, 2.504e-5) << i;
}

// 32 flows out of SU 0 share its 6.4 TB/s uplink: 200 GB/s each -> 1 GB in 5 ms + 4 us.
TEST(RailOptimizedPlatform, OversubscribedUplinkSlowsCrossSuTraffic) {
  auto e = test::make_engine();
  FatTreeParams p = params(64, 64, 2, 3);
  p.hop_latency_s = 1e-6;
  const Platform plat = instantiate_platform(build_rail_optimized(p, 32), PlatformParams{});
  std::vector<std::pair<simgrid::s4u::Host*, simgrid::s4u::Host*>> flows;
  for (int i = 0; i < 32; ++i) flows.emplace_back(plat.servers[i], plat.servers[32 + i]);
  const auto done = test::run_flows(*e, flows, 1e9);
  for (double t : done) EXPECT_NEAR(t, 5.004e-3, 5.004e-5);
}

}  // namespace
}  // namespace clustersim
