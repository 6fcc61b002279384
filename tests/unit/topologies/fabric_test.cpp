// The fabric abstraction: dispatch by topology name through the registry, per-server placement, scale-up domains,
// network power of a dragonfly (one switch tier, three link tiers), and SimGrid instantiation through Fabric.
#include "topologies/fabric.hpp"

#include <gtest/gtest.h>

#include "models/power/network_power.hpp"
#include "tests/unit/simgrid_test_util.hpp"

namespace clustersim {
namespace {

FabricBuildParams params(const std::string& topology, int servers) {
  FabricBuildParams p;
  p.topology = topology;
  p.tree.servers = servers;
  p.tree.nics_per_server = 8;
  p.tree.link_bps = 400e9;
  p.tree.radix = 64;
  p.tree.tiers = 2;
  return p;
}

TEST(Fabric, UnknownTopologyIsATopologyError) {
  try {
    build_fabric(params("torus", 16));
    FAIL() << "no error";
  } catch (const TopologyError& e) {
    EXPECT_EQ(e.key(), "fabric.topology");
    EXPECT_EQ(std::string(e.what()), "unknown topology 'torus'");
  }
}

// 128 servers, radix 64 1:1, 8 NICs, 2 tiers.
//   fat-tree: 32 down ports / 8 NICs = 4 servers per leaf -> server 37 on leaf 9 (group 9), pod 0.
//   rail-optimized (SU 32): server 37 in SU 1.
//   dragonfly: 2 servers per router, 32 routers per group -> 64 per group: server 70 in group 1.
TEST(Fabric, DispatchAndPlacement) {
  const Fabric ft = build_fabric(params("fat-tree", 128));
  ASSERT_TRUE(ft.built);
  EXPECT_EQ(ft.topology->name(), "fat-tree");
  EXPECT_EQ(ft.group_of(37), 9);
  EXPECT_EQ(ft.pod_of(37), 0);
  EXPECT_EQ(ft.inventory.switch_tiers[0].switches, 32);
  EXPECT_EQ(boost::num_vertices(ft.graph()), 128u + 32 + 16);  // servers, leaves, spines (32 x 32 / 64)

  const Fabric rail = build_fabric(params("rail-optimized", 128));
  EXPECT_EQ(rail.topology->name(), "rail-optimized");
  EXPECT_EQ(rail.inventory.switch_tiers[0].switches, 32);  // 4 SUs x 8 rail leaves
  EXPECT_EQ(rail.group_of(37), 1);
  EXPECT_EQ(rail.inventory.link_tiers[0].cables, 1024);  // 128 x 8 single-cable rail edges

  const Fabric fly = build_fabric(params("dragonfly", 128));
  EXPECT_EQ(fly.topology->name(), "dragonfly");
  EXPECT_EQ(fly.group_of(127), 1);  // 2 groups
  EXPECT_EQ(fly.group_of(70), 1);
  EXPECT_EQ(fly.pod_of(70), 1);
  EXPECT_EQ(fly.servers(), 128);
}

// Scale-up domains: GB200 NVL72 = 72 GPUs / 4 per server = 18 servers; Ascend CloudMatrix 384 / 8 = 48;
// an 8-GPU HGX = 1 server; a 4-GPU domain inside an 8-GPU server = 1 server; 12 GPUs over 8-GPU servers
// is not whole servers.
TEST(Fabric, ScaleupDomains) {
  FabricBuildParams p = params("fat-tree", 72);
  p.gpus_per_server = 4;
  p.scaleup_domain_gpus = 72;
  p.scaleup_bandwidth_Bps = 900e9;
  const Fabric nvl72 = build_fabric(p);
  EXPECT_EQ(nvl72.scaleup_domain_servers, 18);
  EXPECT_EQ(nvl72.scaleup_domain_of(17), 0);
  EXPECT_EQ(nvl72.scaleup_domain_of(18), 1);
  EXPECT_EQ(nvl72.scaleup_domains(), 4);  // 72 servers / 18
  EXPECT_DOUBLE_EQ(nvl72.scaleup_bandwidth_Bps, 900e9);

  p.gpus_per_server = 8;
  p.scaleup_domain_gpus = 384;
  p.tree.servers = 100;
  EXPECT_EQ(build_fabric(p).scaleup_domain_servers, 48);
  EXPECT_EQ(build_fabric(p).scaleup_domains(), 3);  // ceil(100 / 48)
  p.scaleup_domain_gpus = 8;
  EXPECT_EQ(build_fabric(p).scaleup_domain_servers, 1);
  p.scaleup_domain_gpus = 4;
  EXPECT_EQ(build_fabric(p).scaleup_domain_servers, 1);
  p.scaleup_domain_gpus = 12;
  try {
    build_fabric(p);
    FAIL() << "no error";
  } catch (const TopologyError& e) {
    EXPECT_EQ(e.key(), "cluster.scaleup_domain");
  }
}

// Network power of the 24-server radix-8 dragonfly (dragonfly_test.cpp: 12 routers, 84 ports used,
// cables 24 / 18 / 12) with chassis 100 W, 2 W per port, 5 W per transceiver end and 20 W NICs:
//   router tier 12 x 100 + 84 x 2 = 1,368 W; transceivers (24 + 18 + 12) x 2 x 5 = 540 W; NICs 24 x 20 = 480 W.
TEST(Fabric, DragonflyNetworkPower) {
  FabricBuildParams p = params("dragonfly", 24);
  p.tree.nics_per_server = 1;
  p.tree.radix = 8;
  p.gpus_per_server = 1;
  p.scaleup_domain_gpus = 1;
  const Fabric f = build_fabric(p);
  FabricComponents c;
  c.sw.chassis_w = 100;
  c.sw.port_w = 2;
  c.transceiver.power_w = 5;
  c.nic.power_w = 20;
  const NetworkPower power = network_power(f.inventory, c);
  ASSERT_EQ(power.tiers.size(), 3u);
  EXPECT_DOUBLE_EQ(power.switch_tier_w("router"), 1368);
  EXPECT_DOUBLE_EQ(power.link_tier_w("global"), 120);
  EXPECT_EQ(power.tiers[2].name, "");
  EXPECT_DOUBLE_EQ(power.total_w(), 1368 + 540 + 480);
}

// Through Fabric: a rail-optimized fabric of 64 servers is 2 SU zones; one 1 GB flow between SUs takes
// 4 links x 1 us + 1 GB / (8 x 400G = 400 GB/s) = 2.504 ms.
TEST(FabricPlatform, InstantiatesEachKind) {
  auto e = test::make_engine();
  FabricBuildParams p = params("rail-optimized", 64);
  p.tree.hop_latency_s = 1e-6;
  const Platform plat = instantiate_platform(build_fabric(p), PlatformParams{});
  EXPECT_EQ(e->get_host_count(), 65u);
  const auto done = test::run_flows(*e, {{plat.servers[3], plat.servers[40]}}, 1e9);
  EXPECT_NEAR(done[0], 2.504e-3, 2.504e-5);
}

}  // namespace
}  // namespace clustersim
