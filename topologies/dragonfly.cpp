#include "topologies/dragonfly.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/graph/connected_components.hpp>
#include <cmath>
#include <map>
#include <set>
#include <utility>

namespace clustersim {

namespace {

constexpr int kServerRouter = 1, kLocal = 2, kGlobal = 3;

long long ceil_div(long long a, long long b) { return (a + b - 1) / b; }

void validate(const DragonflyParams& p) {
  if (p.servers < 1)
    throw TopologyError(fmt::format("a dragonfly needs at least one server (got {})", p.servers),
                        "give the cluster at least one server");
  if (p.nics_per_server < 1)
    throw TopologyError(fmt::format("nics_per_server must be at least 1 (got {})", p.nics_per_server),
                        "each server needs a NIC to join the fabric", "fabric.nics_per_server");
  if (!(p.link_bps > 0))
    throw TopologyError(fmt::format("link bandwidth must be positive (got {} bit/s)", p.link_bps),
                        "set fabric link, e.g. 400Gbps", "fabric.link");
  if (p.radix < 2)
    throw TopologyError(fmt::format("router radix {} is too small", p.radix), "a router needs at least 2 ports",
                        "fabric.radix");
  if (p.servers_per_router < 0 || p.routers_per_group < 0 || p.global_links_per_router < 0 || p.groups < 0)
    throw TopologyError("dragonfly sizes cannot be negative", "use 0 for a derived value", "fabric.dragonfly");
}

/// Global cables between group pairs: (router in i, router in j) -> cables, for i < j.
std::map<std::pair<int, int>, int> global_cables(const Dragonfly& f) {
  const DragonflyParams& p = f.params;
  const int a = p.routers_per_group, g = p.groups, c = f.global_cables_per_pair;
  std::map<std::pair<int, int>, int> out;
  for (int i = 0; i < g; ++i)
    for (int j = i + 1; j < g; ++j)
      for (int m = 0; m < c; ++m) {
        const int ri = i * a + ((j - 1) * c + m) % a;  // j is peer j-1 of i (j > i)
        const int rj = j * a + (i * c + m) % a;        // i is peer i of j (i < j)
        ++out[{ri, rj}];
      }
  return out;
}

void build_graph(Dragonfly& f) {
  const DragonflyParams& p = f.params;
  f.graph = TopologyGraph(p.servers + f.routers());
  TopologyGraph& g = f.graph;
  auto add = [&](int u, int v, int tier, int cables) {
    boost::add_edge(u, v, TopoEdge{tier, cables, cables * p.link_bps}, g);
  };
  for (int s = 0; s < p.servers; ++s) {
    g[s] = TopoNode{NodeRole::kServer, s, f.group_of(s)};
    add(s, f.router_vertex(f.router_of(s)), kServerRouter, p.nics_per_server);
  }
  const int a = p.routers_per_group;
  for (int r = 0; r < f.routers(); ++r) {
    g[f.router_vertex(r)] = TopoNode{NodeRole::kRouter, r, f.group_of_router(r)};
    for (int q = r % a + 1; q < a; ++q) add(f.router_vertex(r), f.router_vertex(r - r % a + q), kLocal, 1);
  }
  f.router_global_cables.assign(f.routers(), 0);
  for (const auto& [pair, n] : global_cables(f)) {
    add(f.router_vertex(pair.first), f.router_vertex(pair.second), kGlobal, n);
    f.router_global_cables[pair.first] += n;
    f.router_global_cables[pair.second] += n;
  }
}

/// Diameter and mean of routers crossed over ordered pairs of distinct servers (see the file comment).
void count_hops(const Dragonfly& f, FabricInventory& inv) {
  const DragonflyParams& p = f.params;
  const double servers = p.servers;
  if (servers < 2) return;
  double sum = 0;  // over ordered pairs
  int diameter = 0;
  for (int r = 0; r < f.routers(); ++r) {
    const double n = f.servers_on_router(r);
    sum += n * (n - 1);  // 1 router
    if (n > 1) diameter = std::max(diameter, 1);
  }
  for (int g = 0; g < p.groups; ++g) {
    double same_router = 0;
    for (int r = g * p.routers_per_group; r < (g + 1) * p.routers_per_group; ++r)
      same_router += f.servers_on_router(r) * static_cast<double>(f.servers_on_router(r));
    const double n = f.servers_in_group(g);
    sum += 2 * (n * n - same_router);  // 2 routers
    if (n * n - same_router > 0) diameter = std::max(diameter, 2);
  }
  // Across groups i < j: 4 by default, 3 when x or y has a global cable to the other group, 2 when direct.
  std::map<std::pair<int, int>, std::set<int>> ends;  // (group, peer group) -> routers with cables to peer
  std::map<std::pair<int, int>, double> direct;       // (i, j) -> sum of n_x n_y over directly cabled (x, y)
  std::map<std::pair<int, int>, long long> direct_pairs;
  for (const auto& [pair, n] : global_cables(f)) {
    const int gi = f.group_of_router(pair.first), gj = f.group_of_router(pair.second);
    ends[{gi, gj}].insert(pair.first);
    ends[{gj, gi}].insert(pair.second);
    const double w = f.servers_on_router(pair.first) * static_cast<double>(f.servers_on_router(pair.second));
    direct[{gi, gj}] += w;
    if (w > 0) ++direct_pairs[{gi, gj}];
  }
  auto servers_on = [&](const std::set<int>& routers) {
    double n = 0;
    for (int r : routers) n += f.servers_on_router(r);
    return n;
  };
  auto servered_routers = [&](int g) {
    int n = 0;
    for (int r = g * p.routers_per_group; r < (g + 1) * p.routers_per_group; ++r) n += f.servers_on_router(r) > 0;
    return n;
  };
  for (int i = 0; i < p.groups; ++i)
    for (int j = i + 1; j < p.groups; ++j) {
      const double ni = f.servers_in_group(i), nj = f.servers_in_group(j);
      if (ni == 0 || nj == 0) continue;
      const double nx = servers_on(ends[{i, j}]), ny = servers_on(ends[{j, i}]);
      const double near = nx * nj + ni * ny - nx * ny;  // pairs with x or y holding a cable
      sum += 2 * (4 * ni * nj - near - direct[{i, j}]);
      if (ni - nx > 0 && nj - ny > 0)
        diameter = std::max(diameter, 4);
      else if (direct_pairs[{i, j}] < static_cast<long long>(servered_routers(i)) * servered_routers(j))
        diameter = std::max(diameter, 3);
      else
        diameter = std::max(diameter, 2);
    }
  inv.mean_switch_hops = sum / (servers * (servers - 1));
  inv.diameter_switch_hops = diameter;
}

FabricInventory count_inventory(const Dragonfly& f) {
  const DragonflyParams& p = f.params;
  FabricInventory inv;
  inv.servers = p.servers;
  inv.nics = p.servers * p.nics_per_server;
  inv.switch_tiers = {{"router", f.routers(), 0}};
  inv.link_tiers = {{"server-router", 0, p.link_bps, 0}, {"local", 0, p.link_bps, 0}, {"global", 0, p.link_bps, 0}};
  for (auto [e, end] = boost::edges(f.graph); e != end; ++e) {
    const TopoEdge& edge = f.graph[*e];
    inv.link_tiers[edge.tier - 1].cables += edge.cables;
    inv.switch_tiers[0].ports_used += edge.tier == kServerRouter ? edge.cables : 2 * edge.cables;
  }
  for (LinkTierCount& t : inv.link_tiers) t.transceiver_ends = 2 * t.cables;
  const long long g = p.groups, a = p.routers_per_group;
  const double cut_cables = g > 1 ? static_cast<double>(g / 2) * ((g + 1) / 2) * f.global_cables_per_pair
                                  : static_cast<double>(a / 2) * ((a + 1) / 2);
  const double half_terminal_bps = inv.link_tiers[0].cables * p.link_bps / 2;
  inv.bisection_bandwidth_bps =
      cut_cables > 0 ? std::min(cut_cables * p.link_bps, half_terminal_bps) : half_terminal_bps;
  count_hops(f, inv);
  return inv;
}

}  // namespace

int Dragonfly::servers_on_router(int router) const {
  return std::clamp(params.servers - router * params.servers_per_router, 0, params.servers_per_router);
}

int Dragonfly::servers_in_group(int group) const {
  const int per_group = params.servers_per_router * params.routers_per_group;
  return std::clamp(params.servers - group * per_group, 0, per_group);
}

DragonflyParams resolve_dragonfly_params(const DragonflyParams& params) {
  validate(params);
  DragonflyParams p = params;
  const int nics = p.nics_per_server;
  if (p.servers_per_router == 0) {
    if (p.routers_per_group > 0 && p.global_links_per_router > 0)
      p.servers_per_router = (p.radix - (p.routers_per_group - 1) - p.global_links_per_router) / nics;
    else
      p.servers_per_router = std::max(1, (p.radix + 1) / 4 / nics);
    if (p.servers_per_router < 1)
      throw TopologyError(
          fmt::format("a router of radix {} with {} local and {} global ports has no room for a server's {} NICs",
                      p.radix, p.routers_per_group - 1, p.global_links_per_router, nics),
          "use a larger radix or fewer routers per group or global links", "fabric.radix");
  }
  const int terminal = p.servers_per_router * nics;
  if (p.routers_per_group == 0) p.routers_per_group = 2 * terminal;
  if (p.global_links_per_router == 0) p.global_links_per_router = terminal;
  const int a = p.routers_per_group, h = p.global_links_per_router;
  const int needed = terminal + (a - 1) + h;
  if (needed > p.radix)
    throw TopologyError(
        fmt::format("a dragonfly router needs p + (a - 1) + h = {} + {} + {} = {} ports ({} servers x {} NICs, {} "
                    "routers per group, {} global links), more than its radix {}",
                    terminal, a - 1, h, needed, p.servers_per_router, nics, a, h, p.radix),
        fmt::format("use a radix of at least {}, or fewer servers per router, routers per group or global links",
                    needed),
        "fabric.radix");
  const long long per_group = static_cast<long long>(a) * p.servers_per_router;
  if (p.groups == 0) p.groups = static_cast<int>(ceil_div(p.servers, per_group));
  if (static_cast<long long>(p.groups) * per_group < p.servers)
    throw TopologyError(fmt::format("{} groups of {} routers x {} servers hold {} servers, fewer than the {} asked",
                                    p.groups, a, p.servers_per_router, p.groups * per_group, p.servers),
                        fmt::format("use at least {} groups", ceil_div(p.servers, per_group)),
                        "fabric.dragonfly.groups");
  const long long max_groups = static_cast<long long>(a) * h + 1;
  if (p.groups > max_groups)
    throw TopologyError(
        fmt::format("{} groups need {} global cables per group to reach every other group, but a group has only "
                    "a x h = {} x {} = {} global ports (at most {} groups)",
                    p.groups, p.groups - 1, a, h, max_groups - 1, max_groups),
        "use more routers per group or global links per router (a larger radix), or fewer servers",
        "fabric.dragonfly.groups");
  return p;
}

Dragonfly build_dragonfly(const DragonflyParams& params) {
  Dragonfly f;
  f.params = resolve_dragonfly_params(params);
  const DragonflyParams& p = f.params;
  f.terminal_ports = p.servers_per_router * p.nics_per_server;
  f.global_cables_per_pair = p.groups > 1 ? p.routers_per_group * p.global_links_per_router / (p.groups - 1) : 0;
  build_graph(f);
  f.inventory = count_inventory(f);
  const std::vector<std::string> problems = check_dragonfly(f);
  if (!problems.empty()) throw std::logic_error("dragonfly builder produced an invalid graph: " + problems.front());
  return f;
}

std::vector<std::string> check_dragonfly(const Dragonfly& f) {
  const TopologyGraph& g = f.graph;
  const DragonflyParams& p = f.params;
  const int n = static_cast<int>(boost::num_vertices(g));
  if (n == 0) return {"the graph is empty"};
  std::vector<std::string> problems;
  std::vector<int> component(n);
  const int components = boost::connected_components(g, component.data());
  // Routers without servers are still cabled, so the whole graph must be one piece.
  if (components != 1) problems.push_back(fmt::format("the fabric falls apart into {} pieces", components));
  std::vector<std::array<int, 4>> ports(n, {0, 0, 0, 0});  // [tier] per vertex
  for (auto [e, end] = boost::edges(g); e != end; ++e) {
    const TopoEdge& edge = g[*e];
    const int a = static_cast<int>(boost::source(*e, g)), b = static_cast<int>(boost::target(*e, g));
    const bool server_edge = g[a].role == NodeRole::kServer || g[b].role == NodeRole::kServer;
    if (server_edge != (edge.tier == kServerRouter) || edge.tier < 1 || edge.tier > 3)
      problems.push_back(fmt::format("a tier-{} link joins vertices {} and {}", edge.tier, a, b));
    if (edge.tier == kLocal && f.group_of_router(g[a].index) != f.group_of_router(g[b].index))
      problems.push_back(
          fmt::format("a local link joins routers {} and {} of different groups", g[a].index, g[b].index));
    if (std::abs(edge.bandwidth_bps - edge.cables * p.link_bps) > 1e-9 * edge.bandwidth_bps)
      problems.push_back(
          fmt::format("the link {} - {} carries {} bit/s for {} cables", a, b, edge.bandwidth_bps, edge.cables));
    ports[a][edge.tier] += edge.cables;
    ports[b][edge.tier] += edge.cables;
  }
  for (int v = 0; v < n; ++v) {
    const auto& pt = ports[v];
    if (g[v].role == NodeRole::kServer) {
      if (pt[kServerRouter] != p.nics_per_server)
        problems.push_back(
            fmt::format("server {} has {} cables, expected {}", v, pt[kServerRouter], p.nics_per_server));
      continue;
    }
    const std::string who = fmt::format("router {}", g[v].index);
    if (pt[1] + pt[2] + pt[3] > p.radix)
      problems.push_back(fmt::format("{} uses {} ports, more than its radix {}", who, pt[1] + pt[2] + pt[3], p.radix));
    if (pt[kServerRouter] > f.terminal_ports || pt[kLocal] != p.routers_per_group - 1 ||
        pt[kGlobal] > p.global_links_per_router)
      problems.push_back(fmt::format("{} has {} terminal, {} local and {} global cables (limits {}, {}, {})", who,
                                     pt[1], pt[2], pt[3], f.terminal_ports, p.routers_per_group - 1,
                                     p.global_links_per_router));
  }
  return problems;
}

}  // namespace clustersim
