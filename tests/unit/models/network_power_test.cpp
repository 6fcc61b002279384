// Fabric component selection and network power, on a small hand-made catalog.
#include "models/power/network_power.hpp"

#include <gtest/gtest.h>

#include "topologies/fabric_components.hpp"

namespace clustersim {
namespace {

SwitchSpec make_switch(const std::string& name, int radix, double port_bps, double chassis_w, double port_w) {
  SwitchSpec s;
  s.name = name;
  s.radix = radix;
  s.port_bandwidth_bps = port_bps;
  s.chassis_w = chassis_w;
  s.port_w = port_w;
  return s;
}

Catalog test_catalog() {
  Catalog c;
  c.switches["a-400"] = make_switch("a-400", 64, 400e9, 340, 6.4);
  c.switches["c-400"] = make_switch("c-400", 128, 400e9, 540, 5.15);
  c.switches["b-400"] = make_switch("b-400", 128, 400e9, 500, 5);  // ties c-400 on radix, first by name
  c.switches["d-800"] = make_switch("d-800", 64, 800e9, 540, 10.3);
  c.nics["cx7"] = NicSpec{"cx7", 400e9, 25, ""};
  c.nics["cx8"] = NicSpec{"cx8", 800e9, 40, ""};
  c.transceivers["p-400"] = TransceiverSpec{"p-400", 400e9, "pluggable", 9, ""};
  c.transceivers["l-400"] = TransceiverSpec{"l-400", 400e9, "lpo", 5, ""};
  c.transceivers["p-1.6t"] = TransceiverSpec{"p-1.6t", 1.6e12, "pluggable", 27.5, ""};
  c.transceivers["c-1.6t"] = TransceiverSpec{"c-1.6t", 1.6e12, "cpo", 9, ""};
  return c;
}

TEST(FabricComponents, ChosenByLinkSpeed) {
  const Catalog c = test_catalog();
  // 400G: b-400 and c-400 both have radix 128 > 64; b-400 comes first by name.
  const FabricComponents f = select_fabric_components("", "", 400e9, "lpo", c);
  EXPECT_EQ(f.sw.name, "b-400");
  EXPECT_EQ(f.sw.radix, 128);
  EXPECT_EQ(f.nic.name, "cx7");
  EXPECT_EQ(f.transceiver.name, "l-400");
  // 800G: the only 800G switch and NIC; no 800G transceiver at all.
  EXPECT_THROW(select_fabric_components("", "", 800e9, "pluggable", c), TopologyError);
  // 200G: no NIC at 200G, the slowest faster one is cx7 (400G); but no 200G switch.
  EXPECT_THROW(select_fabric_components("", "", 200e9, "pluggable", c), TopologyError);
  Catalog c200 = c;
  c200.switches["e-200"] = make_switch("e-200", 256, 200e9, 540, 2.6);
  c200.transceivers["p-200"] = TransceiverSpec{"p-200", 200e9, "pluggable", 5, ""};
  EXPECT_EQ(select_fabric_components("", "", 200e9, "pluggable", c200).nic.name, "cx7");
}

TEST(FabricComponents, NamedParts) {
  const Catalog c = test_catalog();
  // a-400 named although b-400 has more ports.
  EXPECT_EQ(select_fabric_components("a-400", "cx8", 400e9, "pluggable", c).sw.radix, 64);
  EXPECT_EQ(select_fabric_components("a-400", "cx8", 400e9, "pluggable", c).nic.name, "cx8");
  // d-800 at 400G: breakout 800/400 = 2 -> 128 ports of 400G, 10.3/2 = 5.15 W each, same chassis.
  const SwitchSpec d = select_fabric_components("d-800", "", 400e9, "pluggable", c).sw;
  EXPECT_EQ(d.radix, 128);
  EXPECT_DOUBLE_EQ(d.port_bandwidth_bps, 400e9);
  EXPECT_DOUBLE_EQ(d.port_w, 5.15);
  EXPECT_DOUBLE_EQ(d.chassis_w, 540);
  // a-400 cannot carry 1.6T links; cx7 (400G) is slower than 800G links; unknown names.
  EXPECT_THROW(select_fabric_components("a-400", "", 1.6e12, "pluggable", c), TopologyError);
  EXPECT_THROW(select_fabric_components("d-800", "cx7", 800e9, "pluggable", c), TopologyError);
  EXPECT_THROW(select_fabric_components("z-400", "", 400e9, "pluggable", c), TopologyError);
  EXPECT_THROW(select_fabric_components("", "cx9", 400e9, "pluggable", c), TopologyError);
}

TEST(FabricComponents, MissingTransceiverSaysWhatExists) {
  Catalog c = test_catalog();
  c.switches["t6"] = make_switch("t6", 64, 1.6e12, 855, 16.3);
  c.nics["cx9"] = NicSpec{"cx9", 1.6e12, 60, ""};
  try {
    select_fabric_components("", "", 1.6e12, "lpo", c);
    FAIL() << "found a 1.6T lpo transceiver";
  } catch (const TopologyError& e) {
    EXPECT_STREQ(e.what(), "no 1.6 Tbit/s lpo transceiver in the catalog");
    // Kinds at 1.6T in name order: c-1.6t (cpo), p-1.6t (pluggable).
    EXPECT_NE(e.hint().find("add one under transceivers: or choose optics cpo, pluggable"), std::string::npos)
        << e.hint();
    EXPECT_NE(e.hint().find("l-400 (400 Gbit/s lpo)"), std::string::npos) << e.hint();
  }
  EXPECT_EQ(select_fabric_components("", "", 1.6e12, "cpo", c).transceiver.name, "c-1.6t");
}

// Hand example: 2-tier fat-tree of 128 servers x 8 NICs at 400 Gbit/s, radix 64, 1:1 (fat_tree_test (1)):
//   leaf: 32 switches, 2,048 ports; spine: 16 switches, 1,024 ports; 1,024 cables per link tier; 1,024 NICs.
// Parts: switch 340 W chassis + 6.4 W/port; transceiver 9 W/end; NIC 25 W.
//   leaf  = 32*340 + 2,048*6.4 = 10,880 + 13,107.2 = 23,987.2 W; server-leaf optics = 2,048*9 = 18,432 W
//   spine = 16*340 + 1,024*6.4 =  5,440 +  6,553.6 = 11,993.6 W; leaf-spine optics  = 2,048*9 = 18,432 W
//   switches 35,980.8 W; transceivers 36,864 W; NICs 1,024*25 = 25,600 W; total 98,444.8 W (96 W per GPU).
TEST(NetworkPower, TwoTierHandExample) {
  FatTreeParams p;
  p.servers = 128;
  p.radix = 64;
  const FatTree tree = build_fat_tree(p);
  FabricComponents parts;
  parts.sw = make_switch("sw", 64, 400e9, 340, 6.4);
  parts.nic = NicSpec{"nic", 400e9, 25, ""};
  parts.transceiver = TransceiverSpec{"opt", 400e9, "pluggable", 9, ""};
  const NetworkPower np = network_power(tree.inventory, parts);
  ASSERT_EQ(np.tiers.size(), 2u);
  EXPECT_EQ(np.tiers[0].name, "leaf");
  EXPECT_EQ(np.tiers[0].link_name, "server-leaf");
  EXPECT_EQ(np.tiers[0].switches, 32);
  EXPECT_NEAR(np.tiers[0].switch_w, 23987.2, 1e-6);
  EXPECT_EQ(np.tiers[0].transceiver_ends, 2048);
  EXPECT_NEAR(np.tiers[0].transceiver_w, 18432, 1e-6);
  EXPECT_NEAR(np.switch_tier_w("spine"), 11993.6, 1e-6);
  EXPECT_NEAR(np.link_tier_w("leaf-spine"), 18432, 1e-6);
  EXPECT_NEAR(np.switches_w(), 35980.8, 1e-6);
  EXPECT_NEAR(np.transceivers_w(), 36864, 1e-6);
  EXPECT_NEAR(np.nics_w, 25600, 1e-6);
  EXPECT_NEAR(np.total_w(), 98444.8, 1e-6);
  EXPECT_THROW(np.switch_tier_w("core"), std::out_of_range);
}

// 3 tiers by hand (no builder): leaf 2 switches / 10 ports, spine 1 / 4, core 0 / 0; cables 8, 2, 0; 4 NICs.
// Parts 100 W + 1 W/port, 2 W/end, 10 W/NIC: switches (200+10) + (100+4) + 0 = 314 W;
// ends 16, 4, 0 -> 32 + 8 = 40 W; NICs 40 W; total 394 W.
TEST(NetworkPower, ThreeTiersWithEmptyCore) {
  FabricInventory inv;
  inv.nics = 4;
  inv.switch_tiers = {{"leaf", 2, 10}, {"spine", 1, 4}, {"core", 0, 0}};
  inv.link_tiers = {{"server-leaf", 8, 400e9, 16}, {"leaf-spine", 2, 400e9, 4}, {"spine-core", 0, 400e9, 0}};
  FabricComponents parts;
  parts.sw = make_switch("sw", 8, 400e9, 100, 1);
  parts.nic = NicSpec{"nic", 400e9, 10, ""};
  parts.transceiver = TransceiverSpec{"opt", 400e9, "dac", 2, ""};
  const NetworkPower np = network_power(inv, parts);
  EXPECT_DOUBLE_EQ(np.switches_w(), 314);
  EXPECT_DOUBLE_EQ(np.transceivers_w(), 40);
  EXPECT_DOUBLE_EQ(np.link_tier_w("spine-core"), 0);
  EXPECT_DOUBLE_EQ(np.total_w(), 394);
}

}  // namespace
}  // namespace clustersim
