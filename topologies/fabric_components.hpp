#pragma once
/// @file
/// Picks the switch, NIC and transceiver models of a fabric from the catalog, by name or by link speed.

#include <string>

#include "spec/catalog.hpp"
#include "spec/fabric_inventory.hpp"
#include "topologies/fat_tree.hpp"

namespace clustersim {

/// Selects the fabric hardware for links of `link_bps` and optics kind `optics` ("pluggable", "lpo",
/// "cpo", "dac"). Names that are not empty must exist in the catalog (TopologyError otherwise; the
/// config loader offers "did you mean"). Rules:
/// - named switch: its ports must run at link_bps, or at an integer multiple m >= 2 of it (breakout: the
///   switch is used as radix x m ports of link_bps, port_w / m each, same chassis_w);
///   otherwise the switch with port_bandwidth_bps == link_bps and the largest radix (ties: name order).
/// - named NIC: its bandwidth must be >= link_bps; otherwise the NIC with bandwidth == link_bps (ties:
///   name order), or failing that the slowest NIC faster than the link.
/// - transceiver: bandwidth == link_bps and kind == optics (ties: name order); none is a TopologyError
///   ("no 1.6 Tbit/s lpo transceiver in the catalog") whose hint lists the kinds at that speed.
/// Throws TopologyError when nothing fits.
FabricComponents select_fabric_components(const std::string& switch_name, const std::string& nic_name, double link_bps,
                                          const std::string& optics, const Catalog& catalog);

/// The switch alone, by the same rules (the named one with breakout, or the largest radix at link_bps).
SwitchSpec select_switch(const std::string& switch_name, double link_bps, const Catalog& catalog);

}  // namespace clustersim
