// Routed dragonflies (routing minimal and valiant): routes over the global links, and a group-to-group shift
// against the formulas. Radix 16, 1 NIC of 400G (50 GB/s) per server: 4 servers per router, 8 routers per group
// (32 servers), 4 global links per router; 128 servers in 4 groups, c = floor(8 x 4 / 3) = 10 cables per pair.
// Shift: server i of group 0 sends to server i of group 1 (32 flows of 50 GB/s):
// - ideal: group 0's 30 global cables as one link: 32 x B / (30 x 50 GB/s);
// - minimal: the 10 cables between groups 0 and 1: 32 x B / (10 x 50 GB/s), 3 x slower;
// - valiant: each flow through group 2 or 3 (hashed), on two pair links each: the busier of the two intermediate
//   groups gates it, at most 32 x B / (10 x 50 GB/s) and about half that.
// Each TEST builds its own Engine (one process per TEST).
#include "topologies/routed_dragonfly.hpp"

#include "tests/unit/simgrid_test_util.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace clustersim {
namespace {

namespace sg4 = simgrid::s4u;
using test::bottleneck_share_Bps;
using test::make_engine;
using test::route_names;
using test::run_flows;

constexpr double kNicBps = 400e9 / 8;

Dragonfly small_dragonfly() {
  DragonflyParams p;
  p.servers = 128;
  p.nics_per_server = 1;
  p.link_bps = 400e9;
  p.radix = 16;
  return build_dragonfly(p);
}

Platform make(const Dragonfly& fly, RoutingKind mode) {
  if (mode == RoutingKind::kIdeal) return instantiate_platform(fly, PlatformParams{});
  FabricRouting r;
  r.mode = mode;
  r.seed = 3;
  return instantiate_routed_platform(fly, PlatformParams{}, r);
}

TEST(RoutedDragonfly, Shape) {
  const Dragonfly fly = small_dragonfly();
  EXPECT_EQ(fly.params.groups, 4);
  EXPECT_EQ(fly.servers_in_group(0), 32);
  EXPECT_EQ(fly.global_cables_per_pair, 10);
}

TEST(RoutedDragonfly, MinimalAndValiantRoutes) {
  auto e = make_engine();
  const Dragonfly fly = small_dragonfly();
  const Platform plat = make(fly, RoutingKind::kValiant);
  EXPECT_EQ(route_names(plat.servers[0], plat.servers[31]),
            (std::vector<std::string>{"server-0-nics_UP", "server-31-nics_DOWN"}));  // same group
  const auto via = route_names(plat.servers[0], plat.servers[32]);                   // group 0 to 1, via 2 or 3
  ASSERT_EQ(via.size(), 4u);
  EXPECT_TRUE(via[1] == "global-0-2_UP" || via[1] == "global-0-3_UP") << via[1];
  EXPECT_TRUE(via[2] == "global-1-2_DOWN" || via[2] == "global-1-3_DOWN") << via[2];
}

TEST(RoutedDragonfly, GroupShiftAgainstFormulas) {
  const double bytes = 1e9;
  auto shift_s = [&](RoutingKind mode) {
    const std::string out = test::run_in_child([&] {
      auto e = make_engine();
      const Dragonfly fly = small_dragonfly();
      const Platform plat = make(fly, mode);
      std::vector<std::pair<sg4::Host*, sg4::Host*>> flows;
      for (int i = 0; i < 32; ++i) flows.emplace_back(plat.servers[i], plat.servers[32 + i]);
      const double formula_s = bytes / bottleneck_share_Bps(flows);
      const auto t = run_flows(*e, flows, bytes);
      return std::to_string(*std::max_element(t.begin(), t.end())) + " " + std::to_string(formula_s);
    });
    double t = 0, formula_s = 0;
    std::sscanf(out.c_str(), "%lf %lf", &t, &formula_s);
    if (mode != RoutingKind::kIdeal) {
      EXPECT_NEAR(t, formula_s, 1e-6) << kind_name(mode);
    }
    return t;
  };
  const double ideal_s = shift_s(RoutingKind::kIdeal), minimal_s = shift_s(RoutingKind::kMinimal);
  const double valiant_s = shift_s(RoutingKind::kValiant);
  const double ugal_s = shift_s(RoutingKind::kUgal);
  std::printf("group shift: ideal %.2f ms, minimal %.2f ms, valiant %.2f ms, ugal %.2f ms\n", ideal_s * 1e3,
              minimal_s * 1e3, valiant_s * 1e3, ugal_s * 1e3);
  EXPECT_NEAR(ideal_s, 32 * bytes / (30 * kNicBps), 1e-6);
  EXPECT_NEAR(minimal_s, 32 * bytes / (10 * kNicBps), 1e-6);
  EXPECT_LT(valiant_s, minimal_s);
  EXPECT_GT(valiant_s, ideal_s);
  // UGAL: the direct link takes connections until it holds more than twice a detour hop's (a detour is two hops):
  // 16 of the 32 minimal, 8 through each of groups 2 and 3: the direct link then carries as much as Valiant puts on
  // each hop, 16 on 10 cables, so the shift takes Valiant's time and a third of minimal's.
  EXPECT_LE(ugal_s, valiant_s * (1 + 1e-9));
  EXPECT_LT(ugal_s, minimal_s);
  EXPECT_GE(ugal_s, ideal_s * (1 - 1e-9));
}

}  // namespace
}  // namespace clustersim
