// Dragonfly fabrics: inventories worked out by hand (arithmetic in the comments), impossible inputs, and
// the SimGrid zones (one star zone per group with the group's global cables as its uplink).
#include "topologies/dragonfly.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "tests/unit/simgrid_test_util.hpp"
#include "topologies/simgrid_platform.hpp"

namespace clustersim {
namespace {

DragonflyParams params(int servers, int radix, int nics) {
  DragonflyParams p;
  p.servers = servers;
  p.radix = radix;
  p.nics_per_server = nics;
  p.link_bps = 400e9;
  return p;
}

int cables_between(const TopologyGraph& g, int a, int b) {
  const auto [e, found] = boost::edge(a, b, g);
  return found ? g[e].cables : 0;
}

// 24 servers with 1 NIC on radix-8 routers, every size derived:
//   p_max = floor((8 + 1) / 4) = 2 terminal ports -> 2 servers per router, p = 2, a = 2p = 4, h = p = 2;
//   ports p + (a - 1) + h = 2 + 3 + 2 = 7 <= 8. groups = ceil(24 / (4 x 2)) = 3 (all full).
//   global cables per group pair c = floor(a h / (g - 1)) = floor(8 / 2) = 4; all 8 global ports used.
//   Dealing: cable m to a peer uses slot index x 4 + m on router slot mod 4 = m, so router m of each group
//   is cabled to router m of each other group.
//   cables: server-router 24; local 3 groups x C(4,2) = 18; global 3 pairs x 4 = 12.
//   router ports used: 24 + 2 x 18 + 2 x 12 = 84 (12 routers x 7).
//   bisection: groups {0} | {1, 2}: 1 x 2 x 4 = 8 global cables = 3.2 Tbit/s (< half the 24 server
//   cables = 4.8 Tbit/s).
//   hops over the 24 x 23 = 552 ordered pairs: same router 12 x 2 x 1 = 24 at 1; same group, other router
//   3 x (8 x 8 - 4 x 2 x 2) = 144 at 2; other group: 6 ordered group pairs x 64 = 384 of which 6 x 4 x 2 x 2
//   = 96 directly cabled (router m to router m) at 2 and 288 at 3 (every router has a cable to every group).
//   mean = (24 + 288 + 192 + 864) / 552 = 1,368 / 552; diameter 3.
TEST(Dragonfly, SmallBalancedByHand) {
  const Dragonfly f = build_dragonfly(params(24, 8, 1));
  EXPECT_EQ(f.params.servers_per_router, 2);
  EXPECT_EQ(f.params.routers_per_group, 4);
  EXPECT_EQ(f.params.global_links_per_router, 2);
  EXPECT_EQ(f.params.groups, 3);
  EXPECT_EQ(f.global_cables_per_pair, 4);
  EXPECT_EQ(f.routers(), 12);
  const FabricInventory& inv = f.inventory;
  ASSERT_EQ(inv.switch_tiers.size(), 1u);
  EXPECT_EQ(inv.switch_tiers[0].switches, 12);
  EXPECT_EQ(inv.switch_tiers[0].ports_used, 84);
  ASSERT_EQ(inv.link_tiers.size(), 3u);
  EXPECT_EQ(inv.link_tiers[0].cables, 24);
  EXPECT_EQ(inv.link_tiers[1].cables, 18);
  EXPECT_EQ(inv.link_tiers[2].cables, 12);
  EXPECT_EQ(inv.link_tiers[2].transceiver_ends, 24);
  EXPECT_DOUBLE_EQ(inv.bisection_bandwidth_bps, 3.2e12);
  EXPECT_EQ(inv.diameter_switch_hops, 3);
  EXPECT_DOUBLE_EQ(inv.mean_switch_hops, 1368.0 / 552.0);
  for (int m = 0; m < 4; ++m) {
    EXPECT_EQ(cables_between(f.graph, f.router_vertex(m), f.router_vertex(4 + m)), 1) << m;
    EXPECT_EQ(cables_between(f.graph, f.router_vertex(m), f.router_vertex(8 + m)), 1) << m;
    EXPECT_EQ(f.router_global_cables[m], 2) << m;
  }
  EXPECT_EQ(cables_between(f.graph, f.router_vertex(0), f.router_vertex(5)), 0);
  EXPECT_TRUE(check_dragonfly(f).empty());
}

// 100,000 GPUs = 12,500 servers x 8 NICs on radix-64 routers, derived sizes:
//   p_max = floor(65 / 4) = 16 ports -> 2 servers per router, p = 16, a = 32, h = 16 (16 + 31 + 16 = 63).
//   groups = ceil(12,500 / 64) = 196 (the last holds 12,500 - 195 x 64 = 20 servers on 10 routers);
//   routers = 196 x 32 = 6,272; c = floor(32 x 16 / 195) = 2.
//   cables: server-router 100,000; local 196 x C(32,2) = 196 x 496 = 97,216; global C(196,2) x 2 = 38,220.
//   bisection: 98 x 98 x 2 = 19,208 global cables x 400G = 7.6832 Pbit/s (< 100,000 x 400G / 2 = 20 Pbit/s).
TEST(Dragonfly, HundredThousandGpus) {
  const Dragonfly f = build_dragonfly(params(12500, 64, 8));
  EXPECT_EQ(f.params.servers_per_router, 2);
  EXPECT_EQ(f.params.routers_per_group, 32);
  EXPECT_EQ(f.params.global_links_per_router, 16);
  EXPECT_EQ(f.params.groups, 196);
  EXPECT_EQ(f.servers_in_group(195), 20);
  EXPECT_EQ(f.global_cables_per_pair, 2);
  EXPECT_EQ(f.inventory.switch_tiers[0].switches, 6272);
  EXPECT_EQ(f.inventory.link_tiers[0].cables, 100000);
  EXPECT_EQ(f.inventory.link_tiers[1].cables, 97216);
  EXPECT_EQ(f.inventory.link_tiers[2].cables, 38220);
  EXPECT_DOUBLE_EQ(f.inventory.bisection_bandwidth_bps, 19208 * 400e9);
  // 2 x 195 = 390 global cables over 32 routers: 6 routers carry 13 (= ceil(390 / 32)), the rest 12.
  EXPECT_EQ(*std::max_element(f.router_global_cables.begin(), f.router_global_cables.end()), 13);
  EXPECT_EQ(f.inventory.diameter_switch_hops, 4);
}

TEST(Dragonfly, ImpossibleInputs) {
  // Radix 16 with 8 NICs: p_max = 4 < 8, so 1 server per router, p = 8, a = 16, h = 8: 8 + 15 + 8 = 31 > 16.
  try {
    build_dragonfly(params(100, 16, 8));
    FAIL() << "no error";
  } catch (const TopologyError& e) {
    EXPECT_NE(std::string(e.what()).find("p + (a - 1) + h = 8 + 15 + 8 = 31 ports"), std::string::npos) << e.what();
    EXPECT_NE(e.hint().find("radix of at least 31"), std::string::npos) << e.hint();
    EXPECT_EQ(e.key(), "fabric.radix");
  }
  // Radix 8, 1 NIC: a = 4, h = 2 allow at most a h + 1 = 9 groups of 8 servers; 80 servers need 10.
  try {
    build_dragonfly(params(80, 8, 1));
    FAIL() << "no error";
  } catch (const TopologyError& e) {
    EXPECT_NE(std::string(e.what()).find("at most 9 groups"), std::string::npos) << e.what();
    EXPECT_EQ(e.key(), "fabric.dragonfly.groups");
  }
  // Given groups too few: 2 groups x 4 routers x 2 servers = 16 < 24.
  DragonflyParams few = params(24, 8, 1);
  few.groups = 2;
  EXPECT_THROW(build_dragonfly(few), TopologyError);
  // Given a and h leave no room for a server: 8 - 5 - 3 = 0 ports.
  DragonflyParams full = params(24, 8, 1);
  full.routers_per_group = 6;
  full.global_links_per_router = 3;
  EXPECT_THROW(build_dragonfly(full), TopologyError);
  // Given a and h: servers per router = floor((8 - 3 - 2) / 1) = 3 -> 12 per group, 2 groups for 24.
  DragonflyParams given = params(24, 8, 1);
  given.routers_per_group = 4;
  given.global_links_per_router = 2;
  EXPECT_EQ(build_dragonfly(given).params.servers_per_router, 3);
  EXPECT_EQ(build_dragonfly(given).params.groups, 2);
}

// SimGrid, the 24-server fabric above, 1 us per link: host link 400G = 50 GB/s; group uplink
// c (g - 1) = 8 cables = 3.2 Tbit/s = 400 GB/s.
TEST(DragonflyPlatform, FlowsAndGroupUplinks) {
  auto e = test::make_engine();
  DragonflyParams p = params(24, 8, 1);
  p.hop_latency_s = 1e-6;
  const Platform plat = instantiate_platform(build_dragonfly(p), PlatformParams{});
  EXPECT_EQ(e->get_host_count(), 25u);
  EXPECT_EQ(test::route_names(plat.servers[0], plat.servers[2]),
            (std::vector<std::string>{"server-0-link_UP", "server-2-link_DOWN"}));
  EXPECT_EQ(test::route_names(plat.servers[0], plat.servers[8]),
            (std::vector<std::string>{"server-0-link_UP", "group-0-up_UP", "group-1-up_DOWN", "server-8-link_DOWN"}));
  // Group 0's 8 servers each send 1 GB to group 1 and receive 1 GB from group 2 (16 flows on group-0-up,
  // 8 per direction: 8 x 50 GB/s = 400 GB/s fits) -> 1e9 / 5e10 + 4 us = 20.004 ms.
  std::vector<std::pair<simgrid::s4u::Host*, simgrid::s4u::Host*>> flows;
  for (int i = 0; i < 8; ++i) flows.emplace_back(plat.servers[i], plat.servers[8 + i]);
  for (int i = 0; i < 8; ++i) flows.emplace_back(plat.servers[16 + i], plat.servers[i]);
  for (double t : test::run_flows(*e, flows, 1e9)) EXPECT_NEAR(t, 20.004e-3, 20.004e-5);
}

// Servers 0..7 of group 0 each send 1 GB to group 1 and 1 GB to group 2: each host link carries 2 flows
// (25 GB/s each) and group-0-up 16 x 25 GB/s = 400 GB/s, its capacity: 1e9 / 2.5e10 + 4 us = 40.004 ms.
TEST(DragonflyPlatform, HostLinkAndUplinkShared) {
  auto e = test::make_engine();
  DragonflyParams p = params(24, 8, 1);
  p.hop_latency_s = 1e-6;
  const Platform plat = instantiate_platform(build_dragonfly(p), PlatformParams{});
  std::vector<std::pair<simgrid::s4u::Host*, simgrid::s4u::Host*>> flows;
  for (int i = 0; i < 8; ++i) flows.emplace_back(plat.servers[i], plat.servers[8 + i]);
  for (int i = 0; i < 8; ++i) flows.emplace_back(plat.servers[i], plat.servers[16 + i]);
  for (double t : test::run_flows(*e, flows, 1e9)) EXPECT_NEAR(t, 40.004e-3, 40.004e-5);
}

}  // namespace
}  // namespace clustersim
