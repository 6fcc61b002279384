#include "topologies/fat_tree.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/graph/connected_components.hpp>
#include <cmath>
#include <utility>

#include "topologies/rail_optimized.hpp"

namespace clustersim {

namespace {

constexpr double kEps = 1e-9;

long long ceil_div(long long a, long long b) { return (a + b - 1) / b; }

const char* role_name(NodeRole role) {
  switch (role) {
    case NodeRole::kServer: return "server";
    case NodeRole::kLeaf: return "leaf";
    case NodeRole::kSpine: return "spine";
    case NodeRole::kCore: return "core";
    case NodeRole::kRouter: return "router";
  }
  return "?";
}

void validate(const FatTreeParams& p) {
  if (p.servers < 1)
    throw TopologyError(fmt::format("a fat-tree needs at least one server (got {})", p.servers),
                        "give the cluster at least one server");
  if (p.nics_per_server < 1)
    throw TopologyError(fmt::format("nics_per_server must be at least 1 (got {})", p.nics_per_server),
                        "each server needs a NIC (one cable per NIC) to join the fabric");
  if (!(p.link_bps > 0))
    throw TopologyError(fmt::format("link bandwidth must be positive (got {} bit/s)", p.link_bps),
                        "set fabric link, e.g. 400Gbps");
  if (p.tiers != 2 && p.tiers != 3)
    throw TopologyError(fmt::format("a fat-tree with tiers: {} is not supported", p.tiers),
                        "use tiers: 2 (leaf-spine) or 3 (leaf-spine-core)");
}

/// (target, cables) for `n` cables with consecutive round-robin indices first.. over `targets` switches.
std::vector<std::pair<int, int>> deal_cables(long long first, int n, int targets) {
  std::vector<std::pair<int, int>> out;
  const int distinct = std::min(n, targets);
  out.reserve(distinct);
  for (int i = 0; i < distinct; ++i)
    out.emplace_back(static_cast<int>((first + i) % targets), n / targets + (i < n % targets ? 1 : 0));
  return out;
}

/// Counts switches per tier: leaves, spines, cores (the structural fields of `t`).
void size_tiers(FatTree& t) {
  const FatTreeParams& p = t.params;
  const PortSplit leaf = split_ports(p.radix, p.leaf_oversubscription);
  t.leaf_down_ports = leaf.down;
  if (p.su_servers > 0) {
    size_rail_leaves(t);
  } else if (p.nics_per_server > leaf.down) {
    const int min_radix =
        static_cast<int>(std::ceil(p.nics_per_server * (1 + p.leaf_oversubscription) / p.leaf_oversubscription - kEps));
    throw TopologyError(
        fmt::format("a server's {} NICs do not fit on one leaf: radix {} at {}:1 leaves {} down ports",
                    p.nics_per_server, p.radix, p.leaf_oversubscription, leaf.down),
        fmt::format("use a radix of at least {} at this oversubscription, fewer NICs per server, or more "
                    "leaf oversubscription",
                    min_radix),
        "fabric.radix");
  } else {
    t.servers_per_leaf = leaf.down / p.nics_per_server;
  }
  t.leaves = static_cast<int>(ceil_div(p.servers, t.servers_per_leaf)) * t.leaves_per_group;
  t.leaves_per_pod = t.leaves;
  t.pods = 1;
  if (t.groups() == 1) return;  // one group (leaf or scalable unit) holds everything: no spines, no cores
  t.leaf_uplinks = leaf.up;
  if (p.tiers == 2) {
    if (t.leaves > p.radix)
      throw TopologyError(
          fmt::format("{} servers need {} leaves, but a 2-tier fat-tree of radix {} holds at most {} leaves "
                      "({} servers at {} per leaf), since every leaf must reach every spine",
                      p.servers, t.leaves, p.radix, p.radix, p.radix / t.leaves_per_group * t.servers_per_leaf,
                      t.servers_per_leaf),
          "use tiers: 3 or a larger radix", "fabric.tiers");
    t.spines_per_pod = static_cast<int>(ceil_div(static_cast<long long>(t.leaves) * leaf.up, p.radix));
    return;
  }
  const PortSplit spine = split_ports(p.radix, p.spine_oversubscription);
  t.spine_down_ports = spine.down;
  t.leaves_per_pod = spine.down / t.leaves_per_group * t.leaves_per_group;  // whole groups per pod
  if (t.leaves_per_pod == 0)
    throw TopologyError(
        fmt::format("a spine with {} down ports (radix {} at {}:1) cannot reach the {} rail leaves of one "
                    "scalable unit",
                    spine.down, p.radix, p.spine_oversubscription, t.leaves_per_group),
        "use a larger radix or less spine oversubscription", "fabric.spine_oversubscription");
  t.spines_per_pod = leaf.up;
  t.pods = static_cast<int>(ceil_div(t.leaves, t.leaves_per_pod));
  if (t.pods > p.radix) {
    const long long max_servers =
        static_cast<long long>(p.radix) * (t.leaves_per_pod / t.leaves_per_group) * t.servers_per_leaf;
    throw TopologyError(
        fmt::format("{} servers need {} pods, but a 3-tier fat-tree of radix {} holds at most {} pods "
                    "({} servers: {} pods x {} leaves x {} servers), since every core must reach every pod",
                    p.servers, t.pods, p.radix, p.radix, max_servers, p.radix, t.leaves_per_pod, t.servers_per_leaf),
        "use a larger radix or oversubscription (leaf or spine)", "fabric.radix");
  }
  if (t.pods == 1) return;  // one pod: spines need no uplinks
  t.spine_uplinks = spine.up;
  t.cores = static_cast<int>(ceil_div(static_cast<long long>(t.pods) * t.spines_per_pod * spine.up, p.radix));
}

void add_cables(TopologyGraph& g, int a, int b, int tier, int cables, double link_bps) {
  boost::add_edge(a, b, TopoEdge{tier, cables, cables * link_bps}, g);
}

void build_graph(FatTree& t) {
  const FatTreeParams& p = t.params;
  t.graph = TopologyGraph(t.core_vertex(t.cores));
  TopologyGraph& g = t.graph;
  for (int s = 0; s < p.servers; ++s) {
    g[s] = TopoNode{NodeRole::kServer, s, t.pod_of_leaf(t.leaf_of(s))};
    if (t.leaves_per_group == 1)
      add_cables(g, s, t.leaf_vertex(t.leaf_of(s)), 1, p.nics_per_server, p.link_bps);
    else  // rail-optimized: NIC k on rail leaf k of the scalable unit
      for (int k = 0; k < t.leaves_per_group; ++k) add_cables(g, s, t.leaf_vertex(t.leaf_of(s) + k), 1, 1, p.link_bps);
  }
  for (int l = 0; l < t.leaves; ++l) g[t.leaf_vertex(l)] = TopoNode{NodeRole::kLeaf, l, t.pod_of_leaf(l)};
  for (int s = 0; s < t.spines(); ++s) g[t.spine_vertex(s)] = TopoNode{NodeRole::kSpine, s, s / t.spines_per_pod};
  for (int c = 0; c < t.cores; ++c) g[t.core_vertex(c)] = TopoNode{NodeRole::kCore, c, 0};
  if (t.spines() == 0) return;
  for (int l = 0; l < t.leaves; ++l) {
    if (p.tiers == 2) {
      for (auto [spine, n] : deal_cables(static_cast<long long>(l) * t.leaf_uplinks, t.leaf_uplinks, t.spines()))
        add_cables(g, t.leaf_vertex(l), t.spine_vertex(spine), 2, n, p.link_bps);
    } else {
      const int first_spine = t.pod_of_leaf(l) * t.spines_per_pod;
      for (int j = 0; j < t.spines_per_pod; ++j)
        add_cables(g, t.leaf_vertex(l), t.spine_vertex(first_spine + j), 2, 1, p.link_bps);
    }
  }
  for (int s = 0; s < t.spines() && t.cores > 0; ++s)
    for (auto [core, n] : deal_cables(static_cast<long long>(s) * t.spine_uplinks, t.spine_uplinks, t.cores))
      add_cables(g, t.spine_vertex(s), t.core_vertex(core), 3, n, p.link_bps);
}

/// Mean switches crossed over ordered pairs of distinct servers: 1 in a group, 3 in a pod, 5 across pods.
double mean_switch_hops(const FatTree& t) {
  const double servers = t.params.servers;
  if (servers < 2) return 0;
  double group_pairs = 0, pod_pairs = 0;
  for (int g = 0; g < t.groups(); ++g) {
    const double n = t.servers_on_leaf(g * t.leaves_per_group);
    group_pairs += n * (n - 1);
  }
  for (int pod = 0; pod < t.pods; ++pod) {
    double n = 0;
    for (int l = pod * t.leaves_per_pod; l < pod * t.leaves_per_pod + t.leaves_in_pod(pod); l += t.leaves_per_group)
      n += t.servers_on_leaf(l);
    pod_pairs += n * (n - 1);
  }
  const double all_pairs = servers * (servers - 1);
  const double far_hops = t.cores == 0 ? 3 : 5;
  return (group_pairs + 3 * (pod_pairs - group_pairs) + far_hops * (all_pairs - pod_pairs)) / all_pairs;
}

FabricInventory count_inventory(const FatTree& t) {
  const FatTreeParams& p = t.params;
  FabricInventory inv;
  inv.servers = p.servers;
  inv.nics = p.servers * p.nics_per_server;
  inv.switch_tiers = {{"leaf", t.leaves, 0}, {"spine", t.spines(), 0}};
  inv.link_tiers = {{"server-leaf", 0, p.link_bps, 0}, {"leaf-spine", 0, p.link_bps, 0}};
  if (p.tiers == 3) {
    inv.switch_tiers.push_back({"core", t.cores, 0});
    inv.link_tiers.push_back({"spine-core", 0, p.link_bps, 0});
  }
  for (auto [e, end] = boost::edges(t.graph); e != end; ++e) {
    const TopoEdge& edge = t.graph[*e];
    inv.link_tiers[edge.tier - 1].cables += edge.cables;
    if (edge.tier >= 2) inv.switch_tiers[edge.tier - 2].ports_used += edge.cables;  // the lower switch
    inv.switch_tiers[edge.tier - 1].ports_used += edge.cables;                      // the upper switch
  }
  inv.bisection_bandwidth_bps = 0;
  for (LinkTierCount& tier : inv.link_tiers) {
    tier.transceiver_ends = 2 * tier.cables;
    if (tier.cables == 0) continue;
    const double half_bps = tier.cables * tier.link_bps / 2;
    if (inv.bisection_bandwidth_bps == 0 || half_bps < inv.bisection_bandwidth_bps)
      inv.bisection_bandwidth_bps = half_bps;
  }
  inv.diameter_switch_hops = t.groups() == 1 ? 1 : (t.cores == 0 ? 3 : 5);
  inv.mean_switch_hops = mean_switch_hops(t);
  return inv;
}

}  // namespace

PortSplit split_ports(int radix, double ratio) {
  if (radix < 2)
    throw TopologyError(fmt::format("switch radix {} is too small", radix), "a switch needs at least 2 ports");
  if (!(ratio >= 1))
    throw TopologyError(fmt::format("oversubscription {}:1 is below 1:1", ratio),
                        "oversubscription is down:up capacity, at least 1:1 (e.g. 1:1, 3:1)");
  PortSplit split;
  split.down = static_cast<int>(std::floor(radix * ratio / (1 + ratio) + kEps));
  split.up = static_cast<int>(std::ceil(split.down / ratio - kEps));
  return split;
}

int FatTree::servers_on_leaf(int leaf) const {
  return std::min(servers_per_leaf, params.servers - leaf / leaves_per_group * servers_per_leaf);
}

int FatTree::leaves_in_pod(int pod) const { return std::min(leaves_per_pod, leaves - pod * leaves_per_pod); }

FatTree build_fat_tree(const FatTreeParams& params) {
  validate(params);
  FatTree tree;
  tree.params = params;
  size_tiers(tree);
  build_graph(tree);
  tree.inventory = count_inventory(tree);
  const std::vector<std::string> problems = check_fat_tree(tree);
  if (!problems.empty()) throw std::logic_error("fat-tree builder produced an invalid graph: " + problems.front());
  return tree;
}

std::vector<std::string> check_fat_tree(const FatTree& tree) {
  const TopologyGraph& g = tree.graph;
  const FatTreeParams& p = tree.params;
  std::vector<std::string> problems;
  const int n = static_cast<int>(boost::num_vertices(g));
  if (n == 0) return {"the graph is empty"};
  std::vector<int> component(n);
  const int components = boost::connected_components(g, component.data());
  if (components != 1) problems.push_back(fmt::format("the fabric falls apart into {} pieces", components));

  std::vector<int> ports(n, 0), down(n, 0), up(n, 0);
  for (auto [e, end] = boost::edges(g); e != end; ++e) {
    const TopoEdge& edge = g[*e];
    int a = static_cast<int>(boost::source(*e, g)), b = static_cast<int>(boost::target(*e, g));
    if (g[a].role > g[b].role) std::swap(a, b);  // a is the lower end
    if (static_cast<int>(g[a].role) + 1 != static_cast<int>(g[b].role) || static_cast<int>(g[a].role) + 1 != edge.tier)
      problems.push_back(fmt::format("a tier-{} link joins {} {} to {} {}", edge.tier, role_name(g[a].role), g[a].index,
                                     role_name(g[b].role), g[b].index));
    if (std::abs(edge.bandwidth_bps - edge.cables * p.link_bps) > kEps * edge.bandwidth_bps)
      problems.push_back(fmt::format("the link {} {} - {} {} carries {} bit/s for {} cables", role_name(g[a].role),
                                     g[a].index, role_name(g[b].role), g[b].index, edge.bandwidth_bps, edge.cables));
    ports[a] += edge.cables;
    ports[b] += edge.cables;
    up[a] += edge.cables;
    down[b] += edge.cables;
  }
  for (int v = 0; v < n; ++v) {
    const TopoNode& node = g[v];
    const std::string who = fmt::format("{} {}", role_name(node.role), node.index);
    if (node.role == NodeRole::kServer) {
      if (ports[v] != p.nics_per_server)
        problems.push_back(fmt::format("{} has {} cables, expected {}", who, ports[v], p.nics_per_server));
      continue;
    }
    if (ports[v] > p.radix)
      problems.push_back(fmt::format("{} uses {} ports, more than its radix {}", who, ports[v], p.radix));
    if (down[v] == 0) problems.push_back(fmt::format("{} is dangling: nothing below it", who));
    const bool upper_tier_exists =
        (node.role == NodeRole::kLeaf && tree.spines() > 0) || (node.role == NodeRole::kSpine && tree.cores > 0);
    if (upper_tier_exists && up[v] == 0) problems.push_back(fmt::format("{} is dangling: no uplink", who));
  }
  return problems;
}

}  // namespace clustersim
