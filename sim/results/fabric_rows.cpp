#include "sim/results/fabric_rows.hpp"

namespace clustersim {

const RowTable<SwitchTierRow>& switch_tier_table() {
  using R = SwitchTierRow;
  static const RowTable<SwitchTierRow> table{
      "fabric_switches",
      "switch_tier",
      {text("name", "switch tier", &R::name), count("switches", "switches", &R::switches),
       count("ports_used", "connected ports", &R::ports_used),
       number("power", "W", "switch power (chassis + active ports)", &R::power_w)},
      "name"};
  return table;
}

const RowTable<LinkTierRow>& link_tier_table() {
  using R = LinkTierRow;
  static const RowTable<LinkTierRow> table{
      "fabric_links",
      "link_tier",
      {text("name", "link tier", &R::name), count("cables", "cables", &R::cables),
       number("link_bandwidth", "bit/s", "bandwidth of each cable", &R::link_bandwidth_bps),
       count("transceiver_ends", "transceiver ends (2 per cable)", &R::transceiver_ends),
       number("power", "W", "transceiver power of the tier", &R::power_w)},
      "name"};
  return table;
}

}  // namespace clustersim
