// The NIC host-slot limit (issue 14): PCIe usable bandwidth by hand, and the effective NIC bandwidth.
#include <gtest/gtest.h>

#include "spec/catalog.hpp"

namespace clustersim {
namespace {

TEST(NicHost, PcieUsableIsLanesTimesLaneRateTimesEfficiency) {
  PcieGenerationSpec gen5{"gen5", 31.508e9, 0.86, ""};
  EXPECT_NEAR(gen5.usable_bps(16), 16 * 31.508e9 * 0.86, 1);  // 433.5 Gbit/s
  EXPECT_NEAR(gen5.usable_bps(8), 216.8e9, 0.1e9);
}

TEST(NicHost, ServerSlotFromCatalog) {
  Catalog c;
  c.pcie["gen5"] = {"gen5", 31.508e9, 0.86, ""};
  ServerSpec hgx;
  hgx.nic_pcie = "gen5";
  hgx.nic_pcie_lanes = 16;
  EXPECT_NEAR(nic_host_bandwidth_bps(hgx, c), 433.55e9, 0.01e9);
  ServerSpec on_chip;  // no nic_pcie: the NIC is part of the accelerator
  EXPECT_EQ(nic_host_bandwidth_bps(on_chip, c), 0);
  ServerSpec unknown;
  unknown.nic_pcie = "gen9";
  EXPECT_EQ(nic_host_bandwidth_bps(unknown, c), 0);  // the loader reports it; no limit here
}

TEST(NicHost, EffectiveIsTheSmallerOfLinkAndSlot) {
  EXPECT_DOUBLE_EQ(nic_effective_bps(800e9, 433.6e9), 433.6e9);
  EXPECT_DOUBLE_EQ(nic_effective_bps(400e9, 433.6e9), 400e9);
  EXPECT_DOUBLE_EQ(nic_effective_bps(800e9, 0), 800e9);  // no limit
}

}  // namespace
}  // namespace clustersim
