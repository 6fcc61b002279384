#pragma once
/// @file
/// Power of the scale-out network: switches (chassis + active ports), transceivers (per link end, by
/// speed and kind) and NICs. Pure arithmetic on a fabric inventory, no SimGrid.
///
/// Fabric power is taken as constant over a run: switch ASICs, SerDes and optics draw nearly the same
/// power idle and busy (no link power management in AI fabrics), so power does not follow the traffic.
///   switch tier:  switches x chassis_w + ports_used x port_w
///   link tier:    transceiver_ends x transceiver.power_w (2 ends per cable; the server-leaf tier counts
///                 the NIC-side module too)
///   NICs:         nics x nic.power_w (card without optics)

#include <string>
#include <vector>

#include "spec/fabric_inventory.hpp"

namespace clustersim {

/// One switch tier with the link tier just below it: leaf + server-leaf, spine + leaf-spine,
/// core + spine-core. Tier lists of unequal length pair by position, the missing side empty (dragonfly:
/// router + server-router, then local and global links with no switch tier: name "").
struct TierPower {
  std::string name;       ///< switch tier: "leaf", "spine", "core"
  std::string link_name;  ///< link tier below it: "server-leaf", "leaf-spine", "spine-core"
  int switches = 0;
  double switch_w = 0;  ///< chassis + active ports of all the tier's switches, W
  int transceiver_ends = 0;
  double transceiver_w = 0;  ///< all transceiver ends of the link tier, W
};

struct NetworkPower {
  std::vector<TierPower> tiers;
  double nics_w = 0;
  double switches_w() const;
  double transceivers_w() const;
  double total_w() const;  ///< switches + transceivers + NICs, W
  /// Switch power of the tier named `switch_tier` ("leaf", ...); throws std::out_of_range if absent.
  double switch_tier_w(const std::string& switch_tier) const;
  /// Transceiver power of the link tier named `link_tier` ("server-leaf", ...); throws std::out_of_range.
  double link_tier_w(const std::string& link_tier) const;
};

/// Network power of a fabric built from `components`.
NetworkPower network_power(const FabricInventory& inventory, const FabricComponents& components);

}  // namespace clustersim
