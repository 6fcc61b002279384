#pragma once
/// @file
/// Rows of the `fabric_switches` table (one per switch tier) and the `fabric_links` table (one per link
/// tier): the fabric inventory with its power.

#include <cstdint>
#include <string>

#include "sim/results/column_table.hpp"

namespace clustersim {

struct SwitchTierRow {
  std::string name;  ///< "leaf", "spine", "core", "router"
  int64_t switches = 0;
  int64_t ports_used = 0;  ///< connected ports
  double power_w = 0;      ///< chassis + active ports
};

struct LinkTierRow {
  std::string name;  ///< "server-leaf", "leaf-spine", ...
  int64_t cables = 0;
  double link_bandwidth_bps = 0;  ///< bandwidth of each cable
  int64_t transceiver_ends = 0;   ///< 2 per cable
  double power_w = 0;             ///< transceivers of the tier
};

/// The `fabric_switches` group: dimension `switch_tier`.
const RowTable<SwitchTierRow>& switch_tier_table();
/// The `fabric_links` group: dimension `link_tier`.
const RowTable<LinkTierRow>& link_tier_table();

}  // namespace clustersim
