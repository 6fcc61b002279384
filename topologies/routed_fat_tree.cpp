#include "topologies/routed_fat_tree.hpp"

#include <xbt/asserts.h>

#include <algorithm>
#include <functional>
#include <tuple>

#include "common/host_properties.hpp"
#include "topologies/routed_zone.hpp"

namespace clustersim {

bool operator==(const FabricRouting& a, const FabricRouting& b) {
  return std::tie(a.mode, a.connections_per_nic, a.seed, a.pxn) ==
         std::tie(b.mode, b.connections_per_nic, b.seed, b.pxn);
}

namespace {

namespace sg4 = simgrid::s4u;
using Cable = RoutedCable;
using Connection = RoutedConnection;

class RoutedFatTreeZone : public RoutedZone {
 public:
  RoutedFatTreeZone(const FatTree& tree, const PlatformParams& pp, const FabricRouting& routing)
      : RoutedZone(tree.params.nics_per_server, routing.connections_per_nic,
                   pp.link_latency ? tree.params.hop_latency_s : 0.0, routing.mode == RoutingKind::kAdaptive),
        shape_(shape_of(tree)),
        routing_(routing) {
    if (!routing.pxn) record_link_interfaces();
  }

  /// Creates the hosts and links (see the header); returns the servers and the frontend.
  Platform build(const FatTree& tree, const PlatformParams& pp) {
    const FatTreeParams& p = tree.params;
    Platform out;
    add_servers(pp, p.servers, p.link_bps, out);
    if (!routing_.pxn && shape_.leaves_per_group > 1)  // the collectives bound all-to-all on cross-rail routes
      for (sg4::Host* h : out.servers) h->set_property(kCrossRailAllToAllProperty, "1");
    // Leaf and spine uplink cables, in the graph's edge order (parallel cables of one edge consecutively).
    leaf_up_first_.push_back(0);
    for (int l = 0; l < tree.leaves; ++l) {
      int t = 0;
      for (int upper : uplink_neighbours(tree, tree.leaf_vertex(l), tree.spine_vertex(0), tree.spines()))
        leaf_up_.push_back(make_cable(up_name("leaf-", l, t++), p.link_bps, upper));
      leaf_up_first_.push_back(static_cast<int>(leaf_up_.size()));
    }
    spine_up_first_.push_back(0);
    for (int x = 0; x < tree.spines(); ++x) {
      int t = 0;
      if (tree.cores > 0)
        for (int upper : uplink_neighbours(tree, tree.spine_vertex(x), tree.core_vertex(0), tree.cores))
          spine_up_.push_back(make_cable(up_name("spine-", x, t++), p.link_bps, upper));
      spine_up_first_.push_back(static_cast<int>(spine_up_.size()));
    }
    // Per core: its spine cables sorted by (pod, spine), to find the cables down to one pod.
    core_down_.resize(tree.cores);
    for (int x = 0; x < tree.spines(); ++x)
      for (int c = spine_up_first_[x]; c < spine_up_first_[x + 1]; ++c)
        core_down_[spine_up_[c].upper].push_back({x / tree.spines_per_pod, x, c});
    for (auto& v : core_down_) std::sort(v.begin(), v.end());
    leaf_load_.assign(2 * leaf_up_.size(), 0);
    spine_load_.assign(2 * spine_up_.size(), 0);
    add_frontend(pp, out);
    return out;
  }

 private:
  struct CoreCable {
    int pod = 0;
    int spine = 0;
    int cable = 0;  ///< index in spine_up_
    bool operator<(const CoreCable& o) const { return std::tie(pod, spine, cable) < std::tie(o.pod, o.spine, o.cable); }
  };

  static std::string up_name(const char* tier, int index, int t) {
    return tier + std::to_string(index) + "-up-" + std::to_string(t);
  }

  /// The upper switches of vertex `v`'s cables to vertices [first, first + count), one entry per cable.
  static std::vector<int> uplink_neighbours(const FatTree& tree, int v, int first, int count) {
    std::vector<int> out;
    for (auto [e, end] = boost::out_edges(v, tree.graph); e != end; ++e) {
      const int u = static_cast<int>(boost::target(*e, tree.graph));
      if (u < first || u >= first + count) continue;
      out.insert(out.end(), tree.graph[*e].cables, u - first);
    }
    return out;
  }

  /// The leaf of NIC k of server s.
  int leaf_of(int s, int k) const {
    return s / shape_.servers_per_leaf * shape_.leaves_per_group + (shape_.leaves_per_group > 1 ? k : 0);
  }

  bool dmodk() const { return routing_.mode == RoutingKind::kDmodk; }

  /// D-mod-K's digit of the destination at `level` (0: leaf uplinks, 1: spine uplinks): the destination NIC's port
  /// index (destination_port) modulo the leaf's uplinks, then the quotient modulo the spine's.
  long long digit(const Connection& c, int level) const {
    const long long port = destination_port(c);
    return level == 0 ? port : port / std::max(1, shape_.leaf_uplinks);
  }

  /// The destination NIC's index in leaf order (its LID order: leaf by leaf, the leaf's ports in turn), on which
  /// D-mod-K spreads. A plain fat-tree's NICs are numbered so already (server x nics + NIC); on a rail-optimized one
  /// NIC k of every server of a unit sits on rail leaf k, so server x nics + NIC would be k mod nics on every port
  /// of that leaf and send all its traffic down one cable.
  long long destination_port(const Connection& c) const {
    if (shape_.leaves_per_group <= 1) return c.dst_nic;
    const long long d = c.dst_nic / nics(), k = c.dst_nic % nics();
    return static_cast<long long>(leaf_of(static_cast<int>(d), static_cast<int>(k))) * shape_.servers_per_leaf +
           d % shape_.servers_per_leaf;
  }

  /// One of `n` candidates at switch `sw` (level: 0 leaf up, 1 spine up, 2 core down, 3 spine down): ECMP's hash;
  /// D-mod-K: the destination's digit of that level; adaptive: the candidate whose `load` (connections placed on
  /// it by the routes kept, in its direction; one more once chosen) is least, the hash among equals.
  int pick(int n, long long sw, int level, const Connection& c, const std::function<int&(int)>& load = {}) const {
    if (n <= 1) {
      if (load) place(load(0));
      return 0;
    }
    if (dmodk()) return static_cast<int>(digit(c, level == 1 ? 1 : 0) % n);
    if (load && routing_.mode == RoutingKind::kAdaptive) {
      const int start = hashed(n, sw, level, c);
      int best = start;
      for (int j = 1; j < n; ++j) {
        const int i = (start + j) % n;
        if (load(i) < load(best)) best = i;
      }
      place(load(best));
      return best;
    }
    return hashed(n, sw, level, c);
  }

  /// ECMP's choice: a hash of (seed, switch, level, source NIC, destination NIC, QP) modulo n.
  int hashed(int n, long long sw, int level, const Connection& c) const {
    uint64_t h = route_mix(routing_.seed ^ route_mix(static_cast<uint64_t>(sw) * 4 + static_cast<uint64_t>(level)));
    h = route_mix(h ^ static_cast<uint64_t>(c.src_nic));
    h = route_mix(h ^ static_cast<uint64_t>(c.dst_nic));
    h = route_mix(h ^ static_cast<uint64_t>(c.qp));
    return static_cast<int>(h % static_cast<uint64_t>(n));
  }

  /// Leaf l's uplink cable to spine x that connection c takes down (level 3), as index into leaf_up_. D-mod-K:
  /// the leaf's cable of the destination's digit when it comes from x (one path down per destination).
  int cable_down_to_leaf(int x, int l, const Connection& c) const {
    const int nl = leaf_up_first_[l + 1] - leaf_up_first_[l];
    if (dmodk() && nl > 0) {
      const int own = leaf_up_first_[l] + static_cast<int>(digit(c, 0) % nl);
      if (leaf_up_[own].upper == x) return own;
    }
    int candidates[256];
    int n = 0;
    for (int i = leaf_up_first_[l]; i < leaf_up_first_[l + 1] && n < 256; ++i)
      if (leaf_up_[i].upper == x) candidates[n++] = i;
    xbt_assert(n > 0, "routed fat-tree: spine %d has no cable to leaf %d", x, l);
    return candidates[pick(n, x, 3, c, [&](int j) -> int& { return leaf_load_[2 * candidates[j] + 1]; })];
  }

  /// The core's cable down to the destination pod among [lo, hi). D-mod-K: to the pod's spine of the destination's
  /// digit when the core reaches it (the same plane as the way up), the next digit among its cables.
  template <typename It>
  const CoreCable& core_cable_down(It lo, It hi, int core, const Connection& c) const {
    if (dmodk()) {
      const int own = static_cast<int>(digit(c, 0) % shape_.spines_per_pod);
      auto a = lo;
      while (a != hi && a->spine % shape_.spines_per_pod != own) ++a;
      auto b = a;
      while (b != hi && b->spine % shape_.spines_per_pod == own) ++b;
      if (b > a) return *(a + digit(c, 1) % (b - a));
    }
    return *(lo + pick(static_cast<int>(hi - lo), core, 2, c,
                       [&](int j) -> int& { return spine_load_[2 * (lo + j)->cable + 1]; }));
  }

  /// Connection c (NIC k of server s) from its NIC to the top tier (toward the frontend); `down`: the other way.
  void climb(int s, int k, const Connection& c, RouteLinks& links, bool down) const override {
    const Cable& nic = server_link(s);
    const int l = leaf_of(s, k);
    const int nl = leaf_up_first_[l + 1] - leaf_up_first_[l];
    RouteLinks path = {down ? nic.down : nic.up};
    if (nl > 0) {
      const int f = leaf_up_first_[l];
      const Cable& up = leaf_up_[f + pick(nl, l, 0, c, [&](int j) -> int& { return leaf_load_[2 * (f + j) + down]; })];
      path.push_back(down ? up.down : up.up);
      const int x = up.upper, ns = spine_up_first_[x + 1] - spine_up_first_[x];
      if (ns > 0) {
        const int g = spine_up_first_[x];
        const Cable& sup =
            spine_up_[g + pick(ns, x, 1, c, [&](int j) -> int& { return spine_load_[2 * (g + j) + down]; })];
        path.push_back(down ? sup.down : sup.up);
      }
    }
    if (down) std::reverse(path.begin(), path.end());
    links.insert(links.end(), path.begin(), path.end());
  }

  void server_to_server(int s, int d, int k, const Connection& c, RouteLinks& links) const override {
    links.push_back(server_link(s).up);
    const int ls = leaf_of(s, k), ld = leaf_of(d, static_cast<int>(c.dst_nic % nics()));
    if (ls != ld) {
      const int nl = leaf_up_first_[ls + 1] - leaf_up_first_[ls];
      xbt_assert(nl > 0, "routed fat-tree: leaf %d has no uplink", ls);
      const int f = leaf_up_first_[ls];
      const Cable& up = leaf_up_[f + pick(nl, ls, 0, c, [&](int j) -> int& { return leaf_load_[2 * (f + j)]; })];
      links.push_back(up.up);
      int x = up.upper;
      const int dst_pod = ld / shape_.leaves_per_pod;
      if (x / shape_.spines_per_pod != dst_pod) {
        const int ns = spine_up_first_[x + 1] - spine_up_first_[x];
        xbt_assert(ns > 0, "routed fat-tree: spine %d has no uplink", x);
        const int g = spine_up_first_[x];
        const Cable& sup = spine_up_[g + pick(ns, x, 1, c, [&](int j) -> int& { return spine_load_[2 * (g + j)]; })];
        links.push_back(sup.up);
        const std::vector<CoreCable>& down = core_down_[sup.upper];
        const auto lo = std::lower_bound(down.begin(), down.end(), CoreCable{dst_pod, -1, -1});
        const auto hi = std::lower_bound(down.begin(), down.end(), CoreCable{dst_pod + 1, -1, -1});
        xbt_assert(hi > lo, "routed fat-tree: core %d has no cable to pod %d", sup.upper, dst_pod);
        const CoreCable& cc = core_cable_down(lo, hi, sup.upper, c);
        links.push_back(spine_up_[cc.cable].down);
        x = cc.spine;
      }
      links.push_back(leaf_up_[cable_down_to_leaf(x, ld, c)].down);
    }
    links.push_back(server_link(d).down);
  }

  /// What routing needs of the tree (the zone outlives nothing it holds: no reference to the tree).
  struct Shape {
    int servers_per_leaf = 1;
    int leaves_per_group = 1;
    int leaves_per_pod = 1;
    int spines_per_pod = 1;
    int leaf_uplinks = 0;
    int spine_uplinks = 0;
  };
  static Shape shape_of(const FatTree& t) {
    return {t.servers_per_leaf, t.leaves_per_group, std::max(1, t.leaves_per_pod), std::max(1, t.spines_per_pod),
            t.leaf_uplinks,     t.spine_uplinks};
  }

  Shape shape_;
  FabricRouting routing_;
  std::vector<Cable> leaf_up_;
  std::vector<int> leaf_up_first_;  ///< per leaf, its first cable in leaf_up_ (and one past the last leaf)
  std::vector<Cable> spine_up_;
  std::vector<int> spine_up_first_;
  std::vector<std::vector<CoreCable>> core_down_;  ///< per core
  /// adaptive: connections placed on each cable so far, per direction (2 i: up, 2 i + 1: down)
  mutable std::vector<int> leaf_load_;
  mutable std::vector<int> spine_load_;
};

}  // namespace

Platform instantiate_routed_platform(const FatTree& tree, const PlatformParams& params, const FabricRouting& routing) {
  xbt_assert(routing.mode != RoutingKind::kIdeal, "instantiate_routed_platform: ideal routing has its own platform");
  auto* zone = new RoutedFatTreeZone(tree, params, routing);  // owned by the engine (the root zone)
  Platform out = zone->build(tree, params);
  zone->get_iface()->seal();
  return out;
}

std::vector<std::string> routed_pod_cable_names(const FatTree& tree, int pod) {
  std::vector<std::string> names;
  const int first_leaf = pod * tree.leaves_per_pod;
  for (int l = first_leaf; l < first_leaf + tree.leaves_in_pod(pod); ++l)
    for (int t = 0; t < tree.leaf_uplinks; ++t)
      names.push_back("leaf-" + std::to_string(l) + "-up-" + std::to_string(t));
  if (tree.cores > 0)
    for (int x = pod * tree.spines_per_pod; x < (pod + 1) * tree.spines_per_pod; ++x)
      for (int t = 0; t < tree.spine_uplinks; ++t)
        names.push_back("spine-" + std::to_string(x) + "-up-" + std::to_string(t));
  return names;
}

std::vector<std::string> routed_core_cable_names(const FatTree& tree) {
  std::vector<std::string> names;
  for (int x = 0; x < tree.spines(); ++x)
    for (int t = 0; t < tree.spine_uplinks; ++t)
      names.push_back("spine-" + std::to_string(x) + "-up-" + std::to_string(t));
  return names;
}

}  // namespace clustersim
