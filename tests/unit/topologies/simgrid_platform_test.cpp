// SimGrid platform of a fat-tree: host counts, route latency and bandwidth, leaf uplink sharing.
// Each TEST builds its own Engine, so each must run in its own process (ctest + gtest_discover_tests).
// Bandwidths in SimGrid are B/s = bit/s / 8; CM02 without TCP window: a lone flow takes
// sum(link latencies) + bytes / bottleneck bandwidth.
#include "topologies/simgrid_platform.hpp"

#include "tests/unit/simgrid_test_util.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace clustersim {
namespace {

namespace sg4 = simgrid::s4u;
using test::make_engine;
using test::route_names;
using test::run_flows;

FatTreeParams tree_params(int servers, int radix, int nics, int tiers, double hop_latency_s) {
  FatTreeParams p;
  p.servers = servers;
  p.radix = radix;
  p.nics_per_server = nics;
  p.tiers = tiers;
  p.link_bps = 400e9;
  p.hop_latency_s = hop_latency_s;
  return p;
}

// (a) 2 tiers, radix 64, 8 NICs, 128 servers: 32 leaves of 4 servers; 128 server hosts + 1 frontend.
TEST(SimgridPlatform, HostsAndCores) {
  auto e = make_engine();
  const FatTree tree = build_fat_tree(tree_params(128, 64, 8, 2, 1e-6));
  PlatformParams pp;
  pp.gpus_per_server = 8;
  pp.gpu_flops = 2e15;
  const Platform plat = instantiate_platform(tree, pp);
  EXPECT_EQ(e->get_host_count(), 129u);
  ASSERT_EQ(plat.servers.size(), 128u);
  for (int s = 0; s < 128; ++s) {
    ASSERT_NE(plat.servers[s], nullptr);
    EXPECT_EQ(plat.servers[s]->get_name(), "server-" + std::to_string(s));
    EXPECT_EQ(plat.servers[s]->get_core_count(), 8);
    EXPECT_DOUBLE_EQ(plat.servers[s]->get_speed(), 2e15);
  }
  ASSERT_NE(plat.frontend, nullptr);
  EXPECT_EQ(plat.frontend->get_core_count(), 1);
}

// Default platforms give links no latency (PlatformParams::link_latency); the route-latency tests turn it on.
// (b) One 1 GB flow between leaves, 2 tiers (radix 64, 1:1, 8 NICs, 128 servers; hop latency 100 us so
// that latency weighs more than the 1 % tolerance).
//   server link = 8 x 400 Gbit/s = 3.2 Tbit/s = 4e11 B/s; leaf uplink = 32 x 400 Gbit/s = 1.6e12 B/s.
//   route server 0 (leaf 0) -> server 4 (leaf 1): server-0-link, leaf-0-up, leaf-1-up, server-4-link
//   = 4 links x 100 us = 400 us. time = 400e-6 + 1e9 / 4e11 = 4e-4 + 2.5e-3 = 2.9e-3 s.
TEST(SimgridPlatform, CrossLeafFlowTwoTiers) {
  auto e = make_engine();
  const FatTree tree = build_fat_tree(tree_params(128, 64, 8, 2, 100e-6));
  PlatformParams pp;
  pp.link_latency = true;  // the latency mode (off by default: CM02 would share links RTT-unfairly)
  const Platform plat = instantiate_platform(tree, pp);
  double latency_s = 0;
  const auto names = route_names(plat.servers[0], plat.servers[4], &latency_s);
  const std::vector<std::string> expected = {"server-0-link_UP", "leaf-0-up_UP", "leaf-1-up_DOWN",
                                             "server-4-link_DOWN"};
  EXPECT_EQ(names, expected);
  EXPECT_NEAR(latency_s, 400e-6, 1e-12);
  const auto done = run_flows(*e, {{plat.servers[0], plat.servers[4]}}, 1e9);
  EXPECT_NEAR(done[0], 2.9e-3, 0.01 * 2.9e-3);
}

// (b') 3 tiers across pods (radix 16, 1:1, 2 NICs, 100 servers; hop latency 100 us).
//   d = u = sd = su = 8; 4 servers per leaf -> 25 leaves; 8 leaves per pod -> 4 pods; 8 spines per pod.
//   server link = 2 x 400 Gbit/s = 1e11 B/s; leaf uplink 8 x 400G = 4e11 B/s; pod uplink 8 x 8 x 400G
//   = 3.2e12 B/s. server 0 (leaf 0, pod 0) -> server 99 (leaf 24, pod 3): 6 links = 600 us; time = 6e-4 +
//   1e9/1e11 = 0.0106 s. server 0 -> server 4 (leaf 1, same pod): 4 links; server 0 -> frontend: server link,
//   leaf up, pod up, frontend link = 4 links.
TEST(SimgridPlatform, CrossPodFlowThreeTiers) {
  auto e = make_engine();
  const FatTree tree = build_fat_tree(tree_params(100, 16, 2, 3, 100e-6));
  ASSERT_EQ(tree.pods, 4);
  PlatformParams pp;
  pp.link_latency = true;
  const Platform plat = instantiate_platform(tree, pp);
  EXPECT_EQ(e->get_host_count(), 101u);
  double latency_s = 0;
  const std::vector<std::string> cross_pod = {"server-0-link_UP", "leaf-0-up_UP",    "pod-0-up_UP",
                                              "pod-3-up_DOWN",    "leaf-24-up_DOWN", "server-99-link_DOWN"};
  EXPECT_EQ(route_names(plat.servers[0], plat.servers[99], &latency_s), cross_pod);
  EXPECT_NEAR(latency_s, 600e-6, 1e-12);
  const std::vector<std::string> same_pod = {"server-0-link_UP", "leaf-0-up_UP", "leaf-1-up_DOWN",
                                             "server-4-link_DOWN"};
  EXPECT_EQ(route_names(plat.servers[0], plat.servers[4], &latency_s), same_pod);
  const std::vector<std::string> to_frontend = {"server-63-link_UP", "leaf-15-up_UP", "pod-1-up_UP",
                                                "frontend-link_DOWN"};
  EXPECT_EQ(route_names(plat.servers[63], plat.frontend, &latency_s), to_frontend);
  const auto done = run_flows(*e, {{plat.servers[0], plat.servers[99]}}, 1e9);
  EXPECT_NEAR(done[0], 0.0106, 0.01 * 0.0106);
}

// (c) Leaf oversubscribed 4:1: radix 10, 4:1 -> d = floor(10*4/5) = 8, u = ceil(8/4) = 2; 2 NICs per server
//   -> 4 servers per leaf; 8 servers = 2 leaves.
//   server link = 2 x 400G = 1e11 B/s; leaf uplink = 2 x 400G = 1e11 B/s.
//   4 flows leaf 0 -> leaf 1 (server i -> server 4+i) share leaf-0-up (and leaf-1-up down): 1e11/4 = 2.5e10
//   B/s each (below their 1e11 server links). 1 GB: 1e9/2.5e10 = 0.04 s + 4 links x 1 us = 0.040004 s.
TEST(SimgridPlatform, OversubscribedLeafSharesUplink) {
  auto e = make_engine();
  FatTreeParams p = tree_params(8, 10, 2, 2, 1e-6);
  p.leaf_oversubscription = 4;
  const FatTree tree = build_fat_tree(p);
  ASSERT_EQ(tree.leaf_uplinks, 2);
  ASSERT_EQ(tree.servers_per_leaf, 4);
  const Platform plat = instantiate_platform(tree, PlatformParams{});
  std::vector<std::pair<sg4::Host*, sg4::Host*>> flows;
  for (int i = 0; i < 4; ++i) flows.emplace_back(plat.servers[i], plat.servers[4 + i]);
  for (double t : run_flows(*e, flows, 1e9)) EXPECT_NEAR(t, 0.040004, 0.02 * 0.040004);
}

// (d) Same-leaf flows skip the uplink. Same tree as (c): leaf uplink 1e11 B/s, server links 1e11 B/s.
//   cross-leaf: server 0 -> 4 and 1 -> 5 share leaf-0-up: 5e10 B/s each -> 1e9/5e10 = 0.02 s (+ 4 us).
//   same-leaf: server 2 -> 3 (leaf 0) and 6 -> 7 (leaf 1) run at the full server link 1e11 B/s:
//   1e9/1e11 = 0.01 s (+ 2 links = 2 us). Had they crossed the uplink they would get 1e11/3 and take 0.03 s.
TEST(SimgridPlatform, SameLeafFlowsAvoidUplink) {
  auto e = make_engine();
  FatTreeParams p = tree_params(8, 10, 2, 2, 1e-6);
  p.leaf_oversubscription = 4;
  const FatTree tree = build_fat_tree(p);
  const Platform plat = instantiate_platform(tree, PlatformParams{});
  double latency_s = 0;
  const std::vector<std::string> same_leaf = {"server-2-link_UP", "server-3-link_DOWN"};
  EXPECT_EQ(route_names(plat.servers[2], plat.servers[3], &latency_s), same_leaf);
  const auto& s = plat.servers;
  const auto done = run_flows(*e, {{s[0], s[4]}, {s[1], s[5]}, {s[2], s[3]}, {s[6], s[7]}}, 1e9);
  EXPECT_NEAR(done[0], 0.020004, 0.01 * 0.020004);
  EXPECT_NEAR(done[1], 0.020004, 0.01 * 0.020004);
  EXPECT_NEAR(done[2], 0.010002, 0.01 * 0.010002);
  EXPECT_NEAR(done[3], 0.010002, 0.01 * 0.010002);
}

// (f) Host-bus limit (issue 14): 8 NICs of 800G on PCIe slots that carry 433.6 Gbit/s each. The server's private
// link is 8 x 433.6 Gbit/s, not 8 x 800; a lone 1 GB flow between leaves takes 8e9 / (8 x 433.6e9) = 2.306 ms.
// Pools: server 1 has no limit (per-server values), so its flow to server 3 runs at 8 x 800G = 1.25 ms.
TEST(SimgridPlatform, NicHostSlotCapsServerLink) {
  auto e = make_engine();
  FatTreeParams p = tree_params(4, 4, 8, 2, 1e-6);
  p.link_bps = 800e9;
  p.radix = 32;
  const FatTree tree = build_fat_tree(p);
  PlatformParams pp;
  pp.server_nic_host_bps = {433.6e9, 0, 433.6e9, 0};
  const Platform plat = instantiate_platform(tree, pp);
  std::vector<sg4::Link*> links;
  double latency_s = 0;
  plat.servers[0]->route_to(plat.servers[2], links, &latency_s);
  ASSERT_FALSE(links.empty());
  EXPECT_DOUBLE_EQ(links.front()->get_bandwidth(), 8 * 433.6e9 / 8);  // B/s
  const auto& s = plat.servers;
  const auto done = run_flows(*e, {{s[0], s[2]}}, 1e9);
  EXPECT_NEAR(done[0], 8e9 / (8 * 433.6e9), 0.01 * 8e9 / (8 * 433.6e9));
}

TEST(SimgridPlatform, NicWithoutHostLimitRunsAtLinkSpeed) {
  auto e = make_engine();
  FatTreeParams p = tree_params(4, 32, 8, 2, 1e-6);
  p.link_bps = 800e9;
  PlatformParams pp;
  pp.nic_host_bps = 1e12;  // a slot faster than the link: no cap
  const Platform plat = instantiate_platform(build_fat_tree(p), pp);
  const auto done = run_flows(*e, {{plat.servers[1], plat.servers[3]}}, 1e9);
  EXPECT_NEAR(done[0], 8e9 / (8 * 800e9), 0.01 * 8e9 / (8 * 800e9));
}

}  // namespace
}  // namespace clustersim
