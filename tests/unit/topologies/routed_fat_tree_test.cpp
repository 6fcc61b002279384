// Routed fat-trees (routing ecmp and dmodk): routes cable by cable, the K-connection weighting, and flow times
// against the formulas: on an idle fabric a set of flows ends when the busiest cable lets it, at
// bytes x n_max / (K x cable bandwidth) with n_max the most connections any cable carries; ECMP's n_max on a leaf
// matches balls-into-bins. Each TEST builds its own Engine, so each runs in its own process.
#include "topologies/routed_fat_tree.hpp"

#include "tests/unit/simgrid_test_util.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <random>
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

constexpr double kLinkBps = 400e9;
constexpr double kNicBps = kLinkBps / 8;  // B/s

FatTreeParams params(int servers, int radix, int tiers, int su_servers = 0) {
  FatTreeParams p;
  p.servers = servers;
  p.radix = radix;
  p.nics_per_server = 8;
  p.tiers = tiers;
  p.link_bps = kLinkBps;
  p.su_servers = su_servers;
  return p;
}

Platform routed(const FatTree& tree, RoutingKind mode, uint64_t seed = 7, int qps = 1) {
  PlatformParams pp;
  FabricRouting r;
  r.mode = mode;
  r.seed = seed;
  r.connections_per_nic = qps;
  return instantiate_routed_platform(tree, pp, r);
}

int count_prefix(const std::vector<std::string>& names, const std::string& prefix) {
  return static_cast<int>(
      std::count_if(names.begin(), names.end(), [&](const std::string& n) { return n.rfind(prefix, 0) == 0; }));
}

/// The most connections any cable (not a server's NIC link) carries over all routes of `flows`.
int busiest_cable(const std::vector<std::pair<sg4::Host*, sg4::Host*>>& flows) {
  std::map<std::string, int> load;
  int most = 0;
  for (const auto& [a, b] : flows)
    for (const std::string& n : route_names(a, b))
      if (n.rfind("server-", 0) != 0) most = std::max(most, ++load[n]);
  return most;
}

// 2 tiers, radix 64, 8 NICs: 4 servers per leaf, 32 uplinks per leaf. Same leaf: each of the 8 connections NIC k
// up and NIC k down, nothing above. Other leaf: 8 x (NIC, leaf uplink, destination leaf's uplink down, NIC).
TEST(RoutedFatTree, RoutesCableByCable) {
  auto e = make_engine();
  const FatTree tree = build_fat_tree(params(128, 64, 2));
  const Platform plat = routed(tree, RoutingKind::kEcmp);
  EXPECT_EQ(e->get_host_count(), 129u);
  const auto same = route_names(plat.servers[0], plat.servers[1]);
  ASSERT_EQ(same.size(), 16u);
  EXPECT_EQ(same[0], "server-0-nics_UP");
  EXPECT_EQ(same[1], "server-1-nics_DOWN");
  EXPECT_EQ(count_prefix(same, "leaf-"), 0);
  const auto across = route_names(plat.servers[0], plat.servers[4]);
  ASSERT_EQ(across.size(), 32u);
  EXPECT_EQ(count_prefix(across, "leaf-0-up-"), 8);
  EXPECT_EQ(count_prefix(across, "leaf-1-up-"), 8);
  for (size_t i = 0; i < across.size(); i += 4) {
    EXPECT_EQ(across[i].substr(across[i].size() - 3), "_UP");
    EXPECT_EQ(across[i + 2].substr(across[i + 2].size() - 5), "_DOWN");
  }
  // The frontend: every connection climbs one leaf uplink, then the frontend's link.
  const auto fe = route_names(plat.servers[0], plat.frontend);
  EXPECT_EQ(fe.size(), 24u);
  EXPECT_EQ(count_prefix(fe, "frontend-link"), 8);
  EXPECT_EQ(fe.size(), route_names(plat.frontend, plat.servers[0]).size());
}

// Connections per NIC pair: K = 8 x 2 entries per hop; 3 tiers across pods: 6 links per connection.
TEST(RoutedFatTree, ConnectionsAndThreeTiers) {
  auto e = make_engine();
  // radix 16, 3 tiers: 8 down / 8 up per leaf, 1 server per leaf, 8 leaves per pod.
  const FatTree tree = build_fat_tree(params(32, 16, 3));
  ASSERT_GT(tree.pods, 1);
  const Platform plat = routed(tree, RoutingKind::kEcmp, 3, 2);
  const auto across_pods = route_names(plat.servers[0], plat.servers[31]);
  EXPECT_EQ(across_pods.size(), 16u * 6u);
  EXPECT_EQ(count_prefix(across_pods, "spine-"), 32);
  const auto in_pod = route_names(plat.servers[0], plat.servers[1]);
  EXPECT_EQ(in_pod.size(), 16u * 4u);
  EXPECT_EQ(count_prefix(in_pod, "spine-"), 0);
}

// Rail-optimized: NIC k on rail leaf k of the scalable unit; same unit, any servers: no uplink.
TEST(RoutedFatTree, RailsStayOnTheirLeaf) {
  auto e = make_engine();
  const FatTree tree = build_fat_tree(params(64, 64, 2, 16));
  const Platform plat = routed(tree, RoutingKind::kEcmp);
  EXPECT_EQ(count_prefix(route_names(plat.servers[0], plat.servers[15]), "leaf-"), 0);
  const auto across = route_names(plat.servers[0], plat.servers[16]);
  for (int k = 0; k < 8; ++k) EXPECT_EQ(count_prefix(across, "leaf-" + std::to_string(k) + "-up-"), 1) << k;
}

// The weighting: a lone flow on one leaf runs at its server's 8 NICs; across leaves at K x cable / (its busiest
// cable's connections) when that is less (two of its 8 connections on one 400G cable: 4 x 50 GB/s).
TEST(RoutedFatTree, LoneFlowTimeFollowsItsBusiestCable) {
  auto e = make_engine();
  const FatTree tree = build_fat_tree(params(128, 64, 2));
  const Platform plat = routed(tree, RoutingKind::kEcmp, 11);
  const double bytes = 1e9;
  const std::vector<std::pair<sg4::Host*, sg4::Host*>> flows = {{plat.servers[0], plat.servers[1]},
                                                                {plat.servers[8], plat.servers[100]}};
  const int n_across = busiest_cable({flows[1]});
  const auto t = run_flows(*e, flows, bytes);
  EXPECT_NEAR(t[0], bytes / (8 * kNicBps), 1e-9);
  EXPECT_NEAR(t[1], bytes * std::max(1, n_across) / (8 * kNicBps), 1e-9);
}

// A shift by one leaf (server s to s + 4): every flow crosses leaves. Ideal spreading moves it at the NICs' speed;
// ECMP at the busiest cable's share (n_max from the routes); D-mod-K gives each destination its own cables and
// adaptive routing balances the cables, so the shift runs at full speed again.
TEST(RoutedFatTree, ShiftAgainstFormulas) {
  const double bytes = 1e9;
  auto shift_time = [&](RoutingKind mode) {
    const std::string out = test::run_in_child([&] {
      auto e = make_engine();
      const FatTree tree = build_fat_tree(params(128, 64, 2));
      PlatformParams pp;
      const Platform plat = mode == RoutingKind::kIdeal ? instantiate_platform(tree, pp) : routed(tree, mode, 5);
      std::vector<std::pair<sg4::Host*, sg4::Host*>> flows;
      for (int s = 0; s < 128; ++s) flows.emplace_back(plat.servers[s], plat.servers[(s + 4) % 128]);
      const int n_max = mode == RoutingKind::kIdeal ? 1 : busiest_cable(flows);
      const double formula_s = bytes / bottleneck_share_Bps(flows);
      const auto t = run_flows(*e, flows, bytes);
      return std::to_string(*std::max_element(t.begin(), t.end())) + " " + std::to_string(n_max) + " " +
             std::to_string(formula_s);
    });
    double t = 0, formula_s = 0;
    int n = 0;
    std::sscanf(out.c_str(), "%lf %d %lf", &t, &n, &formula_s);
    EXPECT_NEAR(t, formula_s, 1e-6);
    return std::make_pair(t, n);
  };
  const double full_speed_s = bytes / (8 * kNicBps);
  const auto [ideal_s, one] = shift_time(RoutingKind::kIdeal);
  EXPECT_NEAR(ideal_s, full_speed_s, 1e-6);
  const auto [ecmp_s, n_max] = shift_time(RoutingKind::kEcmp);
  EXPECT_GE(n_max, 2);  // 32 connections hashed onto 32 cables collide (P(no collision) ~ 1e-13)
  EXPECT_NEAR(ecmp_s, full_speed_s * n_max, 1e-6);  // a cable of 8 NICs' K x 50 GB/s / n_max
  std::printf("shift by one leaf: ideal %.6f s, ecmp %.6f s (busiest cable %d connections)\n", ideal_s, ecmp_s, n_max);
  // Adaptive: each connection on the least-loaded cable at each switch: the 32 connections of a leaf take its 32
  // uplinks one each, and each spine's two connections to the next leaf its two cables there: full speed.
  const auto [adaptive_s, n_adaptive] = shift_time(RoutingKind::kAdaptive);
  EXPECT_EQ(n_adaptive, 1);
  EXPECT_NEAR(adaptive_s, full_speed_s, 1e-6);
  const auto [dmodk_s, n_dmodk] = shift_time(RoutingKind::kDmodk);
  EXPECT_EQ(n_dmodk, 1);
  EXPECT_NEAR(dmodk_s, full_speed_s, 1e-6);
}

/// E[max bin] of `balls` thrown into `bins` uniformly: exact, from the distribution of the maximum
/// (P(max <= m) by dynamic programming over bins with multinomial counts).
double expected_max_load(int balls, int bins) {
  // ways[j][b]: number of ways (weighted by 1/b! products) to put b balls into j bins with each <= m.
  std::vector<double> log_fact(balls + 1, 0);
  for (int i = 1; i <= balls; ++i) log_fact[i] = log_fact[i - 1] + std::log(i);
  auto p_max_le = [&](int m) {
    std::vector<double> w(balls + 1, 0);  // sum over fillings of prod 1/c_i!
    w[0] = 1;
    for (int j = 0; j < bins; ++j) {
      std::vector<double> next(balls + 1, 0);
      for (int b = 0; b <= balls; ++b)
        if (w[b] > 0)
          for (int c = 0; c <= m && b + c <= balls; ++c) next[b + c] += w[b] * std::exp(-log_fact[c]);
      w = next;
    }
    return w[balls] * std::exp(log_fact[balls] - balls * std::log(bins));
  };
  double e = 0;
  for (int m = 0; m < balls; ++m) e += 1 - p_max_le(m);
  return e;
}

// ECMP's collisions are balls into bins: over the 32 leaves of the shift (each an independent hash), the mean
// of the busiest uplink's connections matches the expectation for 32 connections on 32 cables (about 3.5).
TEST(RoutedFatTree, EcmpMatchesBallsIntoBins) {
  auto e = make_engine();
  const FatTree tree = build_fat_tree(params(128, 64, 2));
  const Platform plat = routed(tree, RoutingKind::kEcmp, 2024);
  std::map<std::string, std::map<std::string, int>> per_leaf;  // leaf -> its uplink cable -> connections up
  for (int s = 0; s < 128; ++s)
    for (const std::string& n : route_names(plat.servers[s], plat.servers[(s + 4) % 128]))
      if (n.find("-up-") != std::string::npos && n.substr(n.size() - 3) == "_UP")
        ++per_leaf[n.substr(0, n.find("-up-"))][n];
  ASSERT_EQ(per_leaf.size(), 32u);
  double mean_max = 0;
  for (const auto& [leaf, cables] : per_leaf) {
    int most = 0, total = 0;
    for (const auto& [c, n] : cables) {
      most = std::max(most, n);
      total += n;
    }
    EXPECT_EQ(total, 32) << leaf;
    mean_max += most / 32.0;
  }
  const double expected = expected_max_load(32, 32);
  std::printf("busiest uplink of a leaf: mean over 32 leaves %.3f, balls-into-bins %.3f\n", mean_max, expected);
  EXPECT_NEAR(expected, 3.53, 0.05);  // the known value for n = 32
  EXPECT_NEAR(mean_max, expected, 0.45) << "sample mean over 32 leaves; sd of the max ~0.7";
}

// Adaptive routing counts the connections of the routes kept; a job that ends releases them (release_routes): the
// next pairs are routed as on a fabric without it. One flow 0 -> 4 takes 8 of leaf 0's 32 uplinks; a flow 1 -> 5
// routed while it is kept avoids them, and once servers 0 and 4 are released takes the routes it takes alone.
TEST(RoutedFatTree, AdaptiveLoadLeavesWithTheJob) {
  auto uplinks = [](const std::vector<std::string>& names) {
    std::vector<std::string> up;
    for (const std::string& n : names)
      if (n.rfind("leaf-0-up-", 0) == 0) up.push_back(n);
    std::sort(up.begin(), up.end());
    return up;
  };
  // "fresh": 1 -> 5 alone; "kept": after 0 -> 4; "released": after 0 -> 4 and its release. Each returns the
  // routes of 1 -> 5, then of 0 -> 4 (kept and released), and the pairs released.
  auto routes = [&](const std::string& how) {
    return test::run_in_child([&] {
      auto e = make_engine();
      const FatTree tree = build_fat_tree(params(128, 64, 2));
      const Platform plat = routed(tree, RoutingKind::kAdaptive, 3);
      std::string first, released = "0";
      if (how != "fresh") {
        for (const std::string& n : uplinks(route_names(plat.servers[0], plat.servers[4]))) first += n + ",";
        if (how == "released") released = std::to_string(release_routes({plat.servers[0], plat.servers[4]}));
      }
      std::string second;
      for (const std::string& n : uplinks(route_names(plat.servers[1], plat.servers[5]))) second += n + ",";
      return second + "|" + first + "|" + released;
    });
  };
  auto split = [](const std::string& s) {
    std::vector<std::string> parts;
    size_t a = 0;
    for (size_t b; (b = s.find('|', a)) != std::string::npos; a = b + 1) parts.push_back(s.substr(a, b - a));
    parts.push_back(s.substr(a));
    return parts;
  };
  const auto fresh = split(routes("fresh")), kept = split(routes("kept")), released = split(routes("released"));
  ASSERT_EQ(fresh.size(), 3u);
  ASSERT_EQ(kept.size(), 3u);
  ASSERT_EQ(released.size(), 3u);
  // While 0 -> 4 is kept, 1 -> 5 takes 8 other uplinks of leaf 0 (16 in use: 8 each).
  std::vector<std::string> both;
  for (const std::string& part : {kept[0], kept[1]})
    for (size_t a = 0, b; (b = part.find(',', a)) != std::string::npos; a = b + 1)
      both.push_back(part.substr(a, b - a));
  std::sort(both.begin(), both.end());
  EXPECT_EQ(both.size(), 16u);
  EXPECT_EQ(std::unique(both.begin(), both.end()) - both.begin(), 16);
  EXPECT_NE(kept[0], fresh[0]);  // with this seed, the fresh route shares uplinks with 0 -> 4
  // Released: the same routes as alone, and the one pair (0, 4) released.
  EXPECT_EQ(released[0], fresh[0]);
  EXPECT_EQ(released[2], "1");
}

// The seed picks the hashes: the same seed gives the same routes, another seed others.
TEST(RoutedFatTree, SeededAndDeterministic) {
  auto routes = [](uint64_t seed) {
    return test::run_in_child([seed] {
      auto e = make_engine();
      const FatTree tree = build_fat_tree(params(128, 64, 2));
      const Platform plat = routed(tree, RoutingKind::kEcmp, seed);
      std::string all;
      for (int s = 0; s < 128; s += 9)
        for (const std::string& n : route_names(plat.servers[s], plat.servers[(s + 37) % 128])) all += n + ",";
      return all;
    });
  };
  EXPECT_EQ(routes(1), routes(1));
  EXPECT_NE(routes(1), routes(2));
}

}  // namespace
}  // namespace clustersim
