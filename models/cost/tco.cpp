#include "models/cost/tco.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace clustersim {

namespace {
constexpr double kHoursPerYear = 8760.0;
}  // namespace

double network_parts_usd(const FabricInventory& inventory, const FabricComponents& c) {
  if (c.sw.price_usd <= 0 || c.nic.price_usd <= 0 || c.transceiver.price_usd <= 0)
    return std::numeric_limits<double>::quiet_NaN();
  double ends = 0;
  for (const LinkTierCount& t : inventory.link_tiers) ends += t.transceiver_ends;
  return inventory.total_switches() * c.sw.price_usd + inventory.nics * c.nic.price_usd +
         ends * c.transceiver.price_usd;
}

TcoResult total_cost_of_ownership(const TcoParams& p) {
  if (!(p.network_share >= 0 && p.network_share < 1) || !(p.facility_life_years > 0) || !(p.server_life_years > 0) ||
      p.facility_usd_per_w < 0 || p.design_it_power_w < 0 || p.electricity_usd_per_kwh < 0 ||
      p.facility_power_mean_w < 0 || p.tokens_per_s < 0)
    throw std::invalid_argument(
        "total_cost_of_ownership: a negative cost, power or rate, a network share outside "
        "[0, 1) or a life <= 0");
  TcoResult r;
  bool known = true;
  for (const ServerPurchase& s : p.servers) {
    if (s.servers < 0 || s.price_usd < 0) throw std::invalid_argument("total_cost_of_ownership: negative servers");
    if (s.servers > 0 && s.price_usd == 0) known = false;
    r.servers_usd += s.servers * s.price_usd;
  }
  if (!known) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return {nan, nan, nan, nan, nan, nan, nan};
  }
  r.network_usd = std::isfinite(p.network_parts_usd) ? p.network_parts_usd
                                                     : p.network_share / (1 - p.network_share) * r.servers_usd;
  r.facility_usd = p.facility_usd_per_w * p.design_it_power_w;
  r.capital_usd_per_hour = (r.servers_usd + r.network_usd) / (p.server_life_years * kHoursPerYear) +
                           r.facility_usd / (p.facility_life_years * kHoursPerYear);
  r.energy_usd_per_hour = p.facility_power_mean_w / 1000.0 * p.electricity_usd_per_kwh;
  r.tco_usd_per_hour = r.capital_usd_per_hour + r.energy_usd_per_hour;
  r.usd_per_million_tokens = p.tokens_per_s > 0 ? r.tco_usd_per_hour / (p.tokens_per_s * 3600.0) * 1e6
                                                : std::numeric_limits<double>::quiet_NaN();
  return r;
}

}  // namespace clustersim
