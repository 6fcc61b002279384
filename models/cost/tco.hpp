#pragma once
/// @file
/// Total cost of ownership of a site, from capital and energy (data/catalog: server prices in servers.yaml, the
/// cost constants in calibration.yaml, each with its source). Straight-line depreciation, no cost of capital:
///   servers  = sum over pools of servers x price per server, written off over server_life_years;
///   network  = the fabric's parts at their catalog price (network_parts_usd: switches, NICs, a transceiver per link
///              end) when each has one; else network_share of the IT capital (servers + network): network =
///              share / (1 - share) x servers (a published share of AI cluster capex); over the servers' life;
///   facility = facility_usd_per_w x the IT capacity the site is built for (design IT power), over
///              facility_life_years;
///   energy   = the mean facility power x the electricity price.
/// TCO per hour = the capital's hourly write-off + the energy per hour; cost per million tokens = TCO per hour /
/// (tokens per hour) x 1e6. A server without a price (0) makes every figure NaN: unknown, not free.

#include <limits>
#include <vector>

#include "spec/fabric_inventory.hpp"

namespace clustersim {

/// The fabric's parts at their catalog prices: every switch, every NIC and a transceiver per link end; NaN when one
/// of the three has no price (0).
double network_parts_usd(const FabricInventory& inventory, const FabricComponents& components);

struct ServerPurchase {
  double servers = 0;    ///< count
  double price_usd = 0;  ///< per server; 0 = unknown
};

struct TcoParams {
  std::vector<ServerPurchase> servers;
  double network_share = 0.19;  ///< network / (servers + network) capital, when the parts have no price
  double network_parts_usd = std::numeric_limits<double>::quiet_NaN();  ///< the fabric's parts priced (NaN: none)
  double facility_usd_per_w = 11.7;                                     ///< facility capital per W of IT capacity
  double design_it_power_w = 0;                                         ///< IT capacity the site is built for
  double facility_life_years = 15;
  double server_life_years = 5;  ///< servers and network
  double electricity_usd_per_kwh = 0.08;
  double facility_power_mean_w = 0;
  double tokens_per_s = 0;  ///< training and generated tokens per second
};

struct TcoResult {
  double servers_usd = 0, network_usd = 0, facility_usd = 0;
  double capital_usd_per_hour = 0;  ///< the hourly straight-line write-off of all three
  double energy_usd_per_hour = 0;
  double tco_usd_per_hour = 0;
  double usd_per_million_tokens = 0;  ///< NaN without tokens
};

/// Throws std::invalid_argument for a negative count, price or power, a share outside [0, 1) or a life <= 0.
TcoResult total_cost_of_ownership(const TcoParams& p);

}  // namespace clustersim
