#pragma once
/// @file
/// What a built fabric is made of (counts per switch and link tier, bisection, hops) and the hardware it is
/// built from: the records topologies/ produce and models/power/network_power prices. Plain data.

#include <string>
#include <vector>

#include "spec/catalog.hpp"

namespace clustersim {

/// Counts for one switch tier.
struct SwitchTierCount {
  std::string name;  ///< "leaf", "spine", "core"
  int switches = 0;
  int ports_used = 0;  ///< connected ports over all switches of the tier
};

/// Counts for one link tier.
struct LinkTierCount {
  std::string name;  ///< "server-leaf", "leaf-spine", "spine-core"
  int cables = 0;
  double link_bps = 0;
  int transceiver_ends = 0;  ///< 2 per cable (a module or port at each end)
};

struct FabricInventory {
  int servers = 0;
  int nics = 0;
  std::vector<SwitchTierCount> switch_tiers;
  std::vector<LinkTierCount> link_tiers;
  double bisection_bandwidth_bps = 0;  ///< min over link tiers of half the tier's capacity, one direction
  int diameter_switch_hops = 0;        ///< max switches crossed between two servers
  double mean_switch_hops = 0;         ///< switches crossed, mean over ordered pairs of distinct servers
  int total_switches() const;
  int total_cables() const;
};

/// The hardware a fabric is built from (every port and cable at the fabric's link speed).
struct FabricComponents {
  SwitchSpec sw;  ///< as used: radix and port power at the link speed
  NicSpec nic;
  TransceiverSpec transceiver;  ///< one link end
};

}  // namespace clustersim
