// Fat-tree builder: every expected number is worked out by hand in the comments (k = radix, d/u = leaf
// down/up ports, sd/su = spine down/up ports, 400 Gbit/s links unless stated).
#include "topologies/fat_tree.hpp"

#include <gtest/gtest.h>

#include "tests/unit/test_specs.hpp"

#include <chrono>
#include <cstdio>
#include <set>

namespace clustersim {
namespace {

FatTreeParams params(int servers, int radix, int tiers) { return test::fat_tree_params(servers, radix, tiers); }

const SwitchTierCount& switch_tier(const FabricInventory& inv, const std::string& name) {
  for (const auto& t : inv.switch_tiers)
    if (t.name == name) return t;
  throw std::runtime_error("no switch tier " + name);
}

const LinkTierCount& link_tier(const FabricInventory& inv, const std::string& name) {
  for (const auto& t : inv.link_tiers)
    if (t.name == name) return t;
  throw std::runtime_error("no link tier " + name);
}

/// Cables on all edges of a vertex (its used ports).
int cables_at(const TopologyGraph& g, int v) {
  int n = 0;
  for (auto [e, end] = boost::out_edges(v, g); e != end; ++e) n += g[*e].cables;
  return n;
}

TEST(PortSplit, RatiosOn64Ports) {
  // 1:1: d = floor(64*1/2) = 32, u = ceil(32/1) = 32.
  EXPECT_EQ(split_ports(64, 1).down, 32);
  EXPECT_EQ(split_ports(64, 1).up, 32);
  // 3:1: d = floor(64*3/4) = 48, u = ceil(48/3) = 16.
  EXPECT_EQ(split_ports(64, 3).down, 48);
  EXPECT_EQ(split_ports(64, 3).up, 16);
  // 2:1: d = floor(128/3) = floor(42.67) = 42, u = ceil(42/2) = 21 (one port idle, exact 2:1).
  EXPECT_EQ(split_ports(64, 2).down, 42);
  EXPECT_EQ(split_ports(64, 2).up, 21);
  // 1.5:1: d = floor(96/2.5) = floor(38.4) = 38, u = ceil(38/1.5) = ceil(25.33) = 26 (38/26 = 1.46 <= 1.5).
  EXPECT_EQ(split_ports(64, 1.5).down, 38);
  EXPECT_EQ(split_ports(64, 1.5).up, 26);
}

// (1) 2 tiers, k = 64, 1:1, 8 NICs per server, 128 servers (1,024 GPUs).
//   d = 32, u = 32; servers_per_leaf = floor(32/8) = 4; leaves = 128/4 = 32.
//   spines = ceil(32 leaves * 32 uplinks / 64) = 16; each leaf: 32 uplinks / 16 spines = 2 cables per pair.
//   cables: server-leaf 128*8 = 1,024; leaf-spine 32*32 = 1,024. Transceiver ends 2 per cable: 2,048 each.
//   ports: leaves 1,024 + 1,024 = 2,048 = 32*64 (all used); spines 1,024 = 16*64 (all used).
//   bisection = half of 1,024 cables * 400 Gbit/s = 512 * 400e9 = 2.048e14 bit/s; diameter 3.
TEST(FatTree, TwoTiers1024Gpus) {
  const FatTree t = build_fat_tree(params(128, 64, 2));
  EXPECT_EQ(t.leaf_down_ports, 32);
  EXPECT_EQ(t.leaf_uplinks, 32);
  EXPECT_EQ(t.servers_per_leaf, 4);
  EXPECT_EQ(t.leaves, 32);
  EXPECT_EQ(t.spines(), 16);
  EXPECT_EQ(t.cores, 0);
  const FabricInventory& inv = t.inventory;
  EXPECT_EQ(inv.nics, 1024);
  EXPECT_EQ(switch_tier(inv, "leaf").switches, 32);
  EXPECT_EQ(switch_tier(inv, "spine").switches, 16);
  EXPECT_EQ(inv.total_switches(), 48);
  EXPECT_EQ(switch_tier(inv, "leaf").ports_used, 2048);
  EXPECT_EQ(switch_tier(inv, "spine").ports_used, 1024);
  EXPECT_EQ(link_tier(inv, "server-leaf").cables, 1024);
  EXPECT_EQ(link_tier(inv, "leaf-spine").cables, 1024);
  EXPECT_EQ(link_tier(inv, "server-leaf").transceiver_ends, 2048);
  EXPECT_EQ(link_tier(inv, "leaf-spine").transceiver_ends, 2048);
  EXPECT_EQ(inv.total_cables(), 2048);
  EXPECT_EQ(inv.link_tiers.size(), 2u);
  EXPECT_DOUBLE_EQ(inv.bisection_bandwidth_bps, 2.048e14);
  EXPECT_EQ(inv.diameter_switch_hops, 3);
  // Graph: 128 + 32 + 16 = 176 vertices; 128 server edges + 32*16 leaf-spine edges of 2 cables each.
  EXPECT_EQ(boost::num_vertices(t.graph), 176u);
  EXPECT_EQ(boost::num_edges(t.graph), 128u + 512u);
  for (auto [e, end] = boost::edges(t.graph); e != end; ++e) {
    if (t.graph[*e].tier != 2) continue;
    EXPECT_EQ(t.graph[*e].cables, 2);
    EXPECT_DOUBLE_EQ(t.graph[*e].bandwidth_bps, 800e9);
  }
  EXPECT_EQ(t.leaf_of(127), 31);
  EXPECT_TRUE(check_fat_tree(t).empty());
}

// 2-tier capacity: a leaf must reach every spine, so leaves <= k = 64: at most 64*4 = 256 servers.
TEST(FatTree, TwoTierCapacityLimit) {
  // 256 servers: 64 leaves, spines = 64*32/64 = 32, one cable per (leaf, spine) pair.
  const FatTree full = build_fat_tree(params(256, 64, 2));
  EXPECT_EQ(full.leaves, 64);
  EXPECT_EQ(full.spines(), 32);
  EXPECT_EQ(boost::num_edges(full.graph), 256u + 64u * 32u);
  // 257 servers need ceil(257/4) = 65 leaves > 64.
  try {
    build_fat_tree(params(257, 64, 2));
    FAIL() << "257 servers fit a 2-tier radix-64 fat-tree";
  } catch (const TopologyError& e) {
    EXPECT_NE(std::string(e.what()).find("256 servers"), std::string::npos) << e.what();
    EXPECT_EQ(e.hint(), "use tiers: 3 or a larger radix");
  }
}

// (2) 100,000 GPUs = 12,500 servers x 8 NICs, 3 tiers, 1:1.
// Radix 64: d = sd = 32, u = su = 32, 4 servers per leaf -> 3,125 leaves; leaves_per_pod = 32 ->
// ceil(3125/32) = 98 pods > 64 (a core needs a port per pod). Maximum: 64 pods * 32 leaves * 4 servers =
// 8,192 servers = 65,536 NICs = k^3/4.
TEST(FatTree, HundredThousandGpusDoNotFitRadix64) {
  try {
    build_fat_tree(params(12500, 64, 3));
    FAIL() << "100k GPUs fit 3 tiers of radix 64 at 1:1";
  } catch (const TopologyError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("98 pods"), std::string::npos) << what;
    EXPECT_NE(what.find("8192 servers"), std::string::npos) << what;
    EXPECT_NE(e.hint().find("larger radix"), std::string::npos) << e.hint();
  }
  // Exactly 8,192 servers fit: 2,048 leaves, 64 pods, 64*32 = 2,048 spines, cores = 64*32*32/64 = 1,024.
  const FatTree max = build_fat_tree(params(8192, 64, 3));
  EXPECT_EQ(max.pods, 64);
  EXPECT_EQ(max.cores, 1024);
  EXPECT_EQ(switch_tier(max.inventory, "core").ports_used, 1024 * 64);  // every core port used
}

// Radix 128, 1:1: d = u = sd = su = 64.
//   servers_per_leaf = 64/8 = 8; leaves = ceil(12,500/8) = ceil(1,562.5) = 1,563 (the last holds 4 servers).
//   leaves_per_pod = 64, spines_per_pod = 64; pods = ceil(1,563/64) = 25 (24*64 = 1,536; last pod 27 leaves).
//   spines = 25*64 = 1,600; cores = ceil(25 pods * 64 spines * 64 uplinks / 128) = 102,400/128 = 800.
//   switches = 1,563 + 1,600 + 800 = 3,963.
//   cables: server-leaf 12,500*8 = 100,000; leaf-spine 1,563*64 = 100,032 (uplinks are whole per leaf);
//   spine-core 1,600*64 = 102,400. Transceiver ends: 200,000; 200,064; 204,800.
//   ports: leaf 100,000 + 100,032 = 200,032; spine 100,032 + 102,400 = 202,432; core 102,400 = 800*128.
//   bisection = min(100,000, 100,032, 102,400) cables / 2 * 400e9 = 50,000 * 400e9 = 2e16 bit/s; diameter 5.
TEST(FatTree, HundredThousandGpusRadix128) {
  const auto start = std::chrono::steady_clock::now();
  const FatTree t = build_fat_tree(params(12500, 128, 3));
  const double build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("build_fat_tree(12,500 servers, 3 tiers, radix 128): %.3f s\n", build_s);
  EXPECT_LT(build_s, 1.0);
  EXPECT_EQ(t.servers_per_leaf, 8);
  EXPECT_EQ(t.leaves, 1563);
  EXPECT_EQ(t.servers_on_leaf(1562), 4);
  EXPECT_EQ(t.leaves_per_pod, 64);
  EXPECT_EQ(t.pods, 25);
  EXPECT_EQ(t.leaves_in_pod(24), 27);
  EXPECT_EQ(t.spines_per_pod, 64);
  EXPECT_EQ(t.spine_uplinks, 64);
  EXPECT_EQ(t.cores, 800);
  const FabricInventory& inv = t.inventory;
  EXPECT_EQ(switch_tier(inv, "leaf").switches, 1563);
  EXPECT_EQ(switch_tier(inv, "spine").switches, 1600);
  EXPECT_EQ(switch_tier(inv, "core").switches, 800);
  EXPECT_EQ(inv.total_switches(), 3963);
  EXPECT_EQ(link_tier(inv, "server-leaf").cables, 100000);
  EXPECT_EQ(link_tier(inv, "leaf-spine").cables, 100032);
  EXPECT_EQ(link_tier(inv, "spine-core").cables, 102400);
  EXPECT_EQ(link_tier(inv, "server-leaf").transceiver_ends, 200000);
  EXPECT_EQ(link_tier(inv, "leaf-spine").transceiver_ends, 200064);
  EXPECT_EQ(link_tier(inv, "spine-core").transceiver_ends, 204800);
  EXPECT_EQ(switch_tier(inv, "leaf").ports_used, 200032);
  EXPECT_EQ(switch_tier(inv, "spine").ports_used, 202432);
  EXPECT_EQ(switch_tier(inv, "core").ports_used, 102400);
  EXPECT_DOUBLE_EQ(inv.bisection_bandwidth_bps, 2e16);
  EXPECT_EQ(inv.diameter_switch_hops, 5);
  EXPECT_EQ(boost::num_vertices(t.graph), 12500u + 3963u);
  // A full leaf: 8 servers * 8 cables down + 64 spines * 1 cable up = 128 ports = radix.
  EXPECT_EQ(cables_at(t.graph, t.leaf_vertex(0)), 128);
  // A core reaches every pod: pod p deals 64*64 = 4,096 cables over 800 cores -> 5 or 6 per core per pod.
  std::set<int> pods_of_core0;
  for (auto [e, end] = boost::out_edges(t.core_vertex(0), t.graph); e != end; ++e)
    pods_of_core0.insert(t.graph[boost::target(*e, t.graph)].pod);
  EXPECT_EQ(pods_of_core0.size(), 25u);
  EXPECT_TRUE(check_fat_tree(t).empty());
}

// (3) Oversubscription 3:1, 2 tiers, k = 64, 128 servers x 8 NICs.
//   d = 48, u = 16 (vs 32 at 1:1); servers_per_leaf = 6; leaves = ceil(128/6) = 22 (the last holds 2).
//   spines = ceil(22*16/64) = ceil(5.5) = 6 (vs 16 at 1:1 for 32 leaves).
//   leaf-spine cables = 22*16 = 352: 16 = 2*6 + 4, so each leaf sends 2 or 3 cables to each spine; spine
//   ports 352 = 6*58 + 4 -> 58 or 59 each (<= 64). bisection = min(1,024, 352)/2 * 400e9 = 7.04e13.
TEST(FatTree, LeafOversubscription3To1) {
  FatTreeParams p = params(128, 64, 2);
  p.leaf_oversubscription = 3;
  const FatTree t = build_fat_tree(p);
  EXPECT_EQ(t.leaf_down_ports, 48);
  EXPECT_EQ(t.leaf_uplinks, 16);
  EXPECT_EQ(t.servers_per_leaf, 6);
  EXPECT_EQ(t.leaves, 22);
  EXPECT_EQ(t.servers_on_leaf(21), 2);
  EXPECT_EQ(t.spines(), 6);
  EXPECT_EQ(link_tier(t.inventory, "leaf-spine").cables, 352);
  EXPECT_EQ(link_tier(t.inventory, "server-leaf").cables, 1024);
  EXPECT_DOUBLE_EQ(t.inventory.bisection_bandwidth_bps, 7.04e13);
  for (int l = 0; l < t.leaves; ++l) {
    // One edge (of 2 or 3 cables) to each of the 6 spines.
    int spine_edges = 0;
    for (auto [e, end] = boost::out_edges(t.leaf_vertex(l), t.graph); e != end; ++e) {
      if (t.graph[*e].tier != 2) continue;
      ++spine_edges;
      EXPECT_TRUE(t.graph[*e].cables == 2 || t.graph[*e].cables == 3);
    }
    EXPECT_EQ(spine_edges, 6);
  }
  std::multiset<int> spine_ports;
  for (int s = 0; s < 6; ++s) spine_ports.insert(cables_at(t.graph, t.spine_vertex(s)));
  EXPECT_EQ(spine_ports.count(59), 4u);
  EXPECT_EQ(spine_ports.count(58), 2u);
}

// Spine oversubscription 3:1, 3 tiers, k = 64, 8,192 servers (leaf 1:1: d = u = 32, 4 servers/leaf).
//   sd = 48, su = 16: leaves_per_pod = 48; leaves = 2,048; pods = ceil(2048/48) = 43 (42*48 = 2,016; last
//   32). spines = 43*32 = 1,376; cores = ceil(43*32*16/64) = 344 (vs 64 pods, 2,048 spines, 1,024 cores at
//   1:1). spine-core cables = 1,376*16 = 22,016 -> bisection = 22,016/2 * 400e9 = 4.4032e15.
TEST(FatTree, SpineOversubscription3To1) {
  FatTreeParams p = params(8192, 64, 3);
  p.spine_oversubscription = 3;
  const FatTree t = build_fat_tree(p);
  EXPECT_EQ(t.spine_down_ports, 48);
  EXPECT_EQ(t.spine_uplinks, 16);
  EXPECT_EQ(t.pods, 43);
  EXPECT_EQ(t.leaves_in_pod(42), 32);
  EXPECT_EQ(t.spines(), 1376);
  EXPECT_EQ(t.cores, 344);
  EXPECT_EQ(link_tier(t.inventory, "leaf-spine").cables, 65536);
  EXPECT_EQ(link_tier(t.inventory, "spine-core").cables, 22016);
  EXPECT_DOUBLE_EQ(t.inventory.bisection_bandwidth_bps, 4.4032e15);
}

// Small fabrics: 4 servers fit one 64-port leaf (diameter 1, no spines); 3 tiers with one pod need no cores.
TEST(FatTree, OneLeafAndOnePod) {
  const FatTree one = build_fat_tree(params(4, 64, 2));
  EXPECT_EQ(one.leaves, 1);
  EXPECT_EQ(one.inventory.total_switches(), 1);
  EXPECT_EQ(link_tier(one.inventory, "leaf-spine").cables, 0);
  EXPECT_EQ(one.inventory.diameter_switch_hops, 1);
  EXPECT_DOUBLE_EQ(one.inventory.bisection_bandwidth_bps, 32 * 400e9 / 2);  // 4*8 cables
  // 3 tiers, 64 servers: 16 leaves in one pod of 32 spines (u = 32); no cores; diameter 3.
  const FatTree pod = build_fat_tree(params(64, 64, 3));
  EXPECT_EQ(pod.pods, 1);
  EXPECT_EQ(pod.spines(), 32);
  EXPECT_EQ(pod.cores, 0);
  EXPECT_EQ(switch_tier(pod.inventory, "core").switches, 0);
  EXPECT_EQ(pod.inventory.diameter_switch_hops, 3);
  EXPECT_TRUE(check_fat_tree(pod).empty());
}

// (4) Impossible inputs.
TEST(FatTree, ImpossibleInputs) {
  // Radix 8 at 1:1 leaves d = 4 down ports < 8 NICs; 8 NICs need d >= 8, i.e. k >= 8*(1+1)/1 = 16.
  try {
    build_fat_tree(params(16, 8, 2));
    FAIL();
  } catch (const TopologyError& e) {
    EXPECT_NE(std::string(e.what()).find("4 down ports"), std::string::npos) << e.what();
    EXPECT_NE(e.hint().find("at least 16"), std::string::npos) << e.hint();
  }
  FatTreeParams half = params(128, 64, 2);
  half.leaf_oversubscription = 0.5;
  EXPECT_THROW(build_fat_tree(half), TopologyError);
  FatTreeParams spine_half = params(128, 64, 3);
  spine_half.spine_oversubscription = 0.5;
  EXPECT_THROW(build_fat_tree(spine_half), TopologyError);
  try {
    build_fat_tree(params(128, 64, 4));
    FAIL();
  } catch (const TopologyError& e) {
    EXPECT_NE(std::string(e.what()).find("tiers: 4"), std::string::npos) << e.what();
    EXPECT_NE(e.hint().find("tiers: 2"), std::string::npos);
  }
  EXPECT_THROW(build_fat_tree(params(0, 64, 2)), TopologyError);
}

// check_fat_tree reports damage: a server cut off, a switch over its radix.
TEST(FatTree, CheckFindsProblems) {
  FatTree t = build_fat_tree(params(128, 64, 2));
  boost::clear_vertex(0, t.graph);  // server 0 loses its 8 cables
  const auto problems = check_fat_tree(t);
  ASSERT_FALSE(problems.empty());
  bool pieces = false, cables = false;
  for (const auto& p : problems) {
    pieces |= p.find("2 pieces") != std::string::npos;
    cables |= p.find("server 0 has 0 cables") != std::string::npos;
  }
  EXPECT_TRUE(pieces);
  EXPECT_TRUE(cables);

  FatTree over = build_fat_tree(params(128, 64, 2));
  auto [e, end] = boost::edges(over.graph);
  while (over.graph[*e].tier != 2) ++e;
  over.graph[*e].cables += 1;  // a full leaf and spine now use 65 ports; bandwidth no longer matches
  const auto over_problems = check_fat_tree(over);
  EXPECT_EQ(over_problems.size(), 3u);  // leaf over radix, spine over radix, bandwidth mismatch
}

}  // namespace
}  // namespace clustersim
