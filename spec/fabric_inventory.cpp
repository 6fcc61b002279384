#include "spec/fabric_inventory.hpp"

namespace clustersim {

int FabricInventory::total_switches() const {
  int n = 0;
  for (const SwitchTierCount& t : switch_tiers) n += t.switches;
  return n;
}

int FabricInventory::total_cables() const {
  int n = 0;
  for (const LinkTierCount& t : link_tiers) n += t.cables;
  return n;
}

}  // namespace clustersim
