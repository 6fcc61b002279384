#include "models/power/network_power.hpp"

#include <algorithm>
#include <stdexcept>

namespace clustersim {

double NetworkPower::switches_w() const {
  double w = 0;
  for (const TierPower& t : tiers) w += t.switch_w;
  return w;
}

double NetworkPower::transceivers_w() const {
  double w = 0;
  for (const TierPower& t : tiers) w += t.transceiver_w;
  return w;
}

double NetworkPower::total_w() const { return switches_w() + transceivers_w() + nics_w; }

double NetworkPower::switch_tier_w(const std::string& switch_tier) const {
  for (const TierPower& t : tiers)
    if (t.name == switch_tier) return t.switch_w;
  throw std::out_of_range("no switch tier '" + switch_tier + "' in the network power");
}

double NetworkPower::link_tier_w(const std::string& link_tier) const {
  for (const TierPower& t : tiers)
    if (t.link_name == link_tier) return t.transceiver_w;
  throw std::out_of_range("no link tier '" + link_tier + "' in the network power");
}

NetworkPower network_power(const FabricInventory& inventory, const FabricComponents& components) {
  NetworkPower p;
  const size_t n = std::max(inventory.switch_tiers.size(), inventory.link_tiers.size());
  for (size_t i = 0; i < n; ++i) {
    TierPower t;
    if (i < inventory.switch_tiers.size()) {
      const SwitchTierCount& sw = inventory.switch_tiers[i];
      t.name = sw.name;
      t.switches = sw.switches;
      t.switch_w = sw.switches * components.sw.chassis_w + sw.ports_used * components.sw.port_w;
    }
    if (i < inventory.link_tiers.size()) {
      const LinkTierCount& link = inventory.link_tiers[i];
      t.link_name = link.name;
      t.transceiver_ends = link.transceiver_ends;
      t.transceiver_w = link.transceiver_ends * components.transceiver.power_w;
    }
    p.tiers.push_back(t);
  }
  p.nics_w = inventory.nics * components.nic.power_w;
  return p;
}

}  // namespace clustersim
