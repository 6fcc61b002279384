// Total cost of ownership (models/cost/tco.hpp), by hand.
#include "models/cost/tco.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace clustersim {
namespace {

// 12 servers at $300k, network share 0.19, facility $11.7/W on 110 kW of IT capacity over 15 years, servers over 5
// years, 99 kW of facility power at $0.08/kWh, 42,000 tokens/s.
TEST(Tco, ByHand) {
  TcoParams p;
  p.servers = {{12, 300000}};
  p.network_share = 0.19;
  p.facility_usd_per_w = 11.7;
  p.design_it_power_w = 110000;
  p.facility_life_years = 15;
  p.server_life_years = 5;
  p.electricity_usd_per_kwh = 0.08;
  p.facility_power_mean_w = 99000;
  p.tokens_per_s = 42000;
  const TcoResult r = total_cost_of_ownership(p);
  EXPECT_DOUBLE_EQ(r.servers_usd, 3.6e6);
  EXPECT_NEAR(r.network_usd, 0.19 / 0.81 * 3.6e6, 1e-6);  // 844,444: 19 % of servers + network
  EXPECT_NEAR(r.network_usd / (r.network_usd + r.servers_usd), 0.19, 1e-12);
  EXPECT_DOUBLE_EQ(r.facility_usd, 11.7 * 110000);
  const double capital_h = (3.6e6 + r.network_usd) / (5 * 8760.0) + 11.7 * 110000 / (15 * 8760.0);
  EXPECT_NEAR(r.capital_usd_per_hour, capital_h, 1e-9);
  EXPECT_NEAR(r.energy_usd_per_hour, 99.0 * 0.08, 1e-12);  // 99 kW x $0.08
  EXPECT_NEAR(r.tco_usd_per_hour, capital_h + 7.92, 1e-9);
  EXPECT_NEAR(r.usd_per_million_tokens, r.tco_usd_per_hour / (42000 * 3600.0) * 1e6, 1e-12);
}

TEST(Tco, AServerWithoutAPriceMakesCostsUnknown) {
  TcoParams p;
  p.servers = {{4, 300000}, {2, 0}};
  p.tokens_per_s = 1;
  const TcoResult r = total_cost_of_ownership(p);
  EXPECT_TRUE(std::isnan(r.servers_usd));
  EXPECT_TRUE(std::isnan(r.usd_per_million_tokens));
}

TEST(Tco, NoTokensNoCostPerToken) {
  TcoParams p;
  p.servers = {{1, 100000}};
  const TcoResult r = total_cost_of_ownership(p);
  EXPECT_GT(r.tco_usd_per_hour, 0);
  EXPECT_TRUE(std::isnan(r.usd_per_million_tokens));
}

// The network from its parts: 10 switches at $36k, 100 NICs at $2k, 300 link ends at $700 = $770k; a part without a
// price leaves it to the share.
TEST(Tco, NetworkFromItsPricedParts) {
  FabricInventory inv;
  inv.nics = 100;
  inv.switch_tiers = {{"leaf", 6, 0}, {"spine", 4, 0}};
  inv.link_tiers = {{"server-leaf", 100, 400e9, 200}, {"leaf-spine", 50, 400e9, 100}};
  FabricComponents c;
  c.sw.price_usd = 36000;
  c.nic.price_usd = 2000;
  c.transceiver.price_usd = 700;
  EXPECT_DOUBLE_EQ(network_parts_usd(inv, c), 10 * 36000 + 100 * 2000 + 300 * 700);
  TcoParams p;
  p.servers = {{10, 300000}};
  p.network_parts_usd = network_parts_usd(inv, c);
  EXPECT_DOUBLE_EQ(total_cost_of_ownership(p).network_usd, 770000);
  c.transceiver.price_usd = 0;
  EXPECT_TRUE(std::isnan(network_parts_usd(inv, c)));
  p.network_parts_usd = network_parts_usd(inv, c);
  EXPECT_NEAR(total_cost_of_ownership(p).network_usd, 0.19 / 0.81 * 3e6, 1e-6);  // the share
}

TEST(Tco, BadInputThrows) {
  TcoParams p;
  p.network_share = 1;
  EXPECT_THROW(total_cost_of_ownership(p), std::invalid_argument);
  p.network_share = 0.2;
  p.server_life_years = 0;
  EXPECT_THROW(total_cost_of_ownership(p), std::invalid_argument);
}

}  // namespace
}  // namespace clustersim
