#include "topologies/routed_dragonfly.hpp"

#include <xbt/asserts.h>

#include <algorithm>
#include <string>
#include <vector>

#include "topologies/routed_zone.hpp"

namespace clustersim {

namespace {

class RoutedDragonflyZone : public RoutedZone {
 public:
  RoutedDragonflyZone(const Dragonfly& fly, const PlatformParams& pp, const FabricRouting& routing)
      : RoutedZone(fly.params.nics_per_server, routing.connections_per_nic,
                   pp.link_latency ? fly.params.hop_latency_s : 0.0, routing.mode == RoutingKind::kUgal),
        routing_(routing),
        groups_(fly.params.groups),
        servers_per_group_(fly.params.routers_per_group * fly.params.servers_per_router) {}

  Platform build(const Dragonfly& fly, const PlatformParams& pp) {
    const DragonflyParams& p = fly.params;
    Platform out;
    add_servers(pp, p.servers, p.link_bps, out);
    pair_.assign(static_cast<size_t>(groups_) * groups_, -1);
    if (groups_ > 1)
      for (int a = 0; a < groups_; ++a)
        for (int b = a + 1; b < groups_; ++b) {
          pair_[static_cast<size_t>(a) * groups_ + b] = static_cast<int>(global_.size());
          global_.push_back(make_cable("global-" + std::to_string(a) + "-" + std::to_string(b),
                                       fly.global_cables_per_pair * p.link_bps, b));
        }
    load_.assign(2 * global_.size(), 0);
    add_frontend(pp, out);
    return out;
  }

 private:
  int group_of(int s) const { return s / servers_per_group_; }

  /// The index of the global link between groups a and b (a != b) in global_.
  int pair(int a, int b) const {
    const int i = pair_[static_cast<size_t>(std::min(a, b)) * groups_ + std::max(a, b)];
    xbt_assert(i >= 0, "routed dragonfly: no global link between groups %d and %d", a, b);
    return i;
  }

  /// ugal: connections placed so far on the global link from a to b, in that direction.
  int& load(int a, int b) const { return load_[2 * pair(a, b) + (a < b ? 0 : 1)]; }

  /// The global link from group a to group b (a != b), in that direction (ugal: one more connection on it).
  void hop(int a, int b, RouteLinks& links) const {
    const RoutedCable& c = global_[pair(a, b)];
    links.push_back(a < b ? c.up : c.down);
    if (routing_.mode == RoutingKind::kUgal) place(load(a, b));
  }

  /// UGAL's intermediate group for a connection from a to b, or -1 for the minimal path: the least-loaded detour
  /// (the busier of its two hops), taken when the direct link carries more than twice that (a detour is two hops).
  int ugal_intermediate(int a, int b) const {
    int best = -1, best_load = 0;
    for (int i = 0; i < groups_; ++i) {
      if (i == a || i == b) continue;
      const int l = std::max(load(a, i), load(i, b));
      if (best < 0 || l < best_load) {
        best = i;
        best_load = l;
      }
    }
    return best >= 0 && load(a, b) > 2 * best_load ? best : -1;
  }

  /// Valiant's intermediate group of connection c from group a to group b: one of the other g - 2, by hash.
  int intermediate(int a, int b, const RoutedConnection& c) const {
    uint64_t h = route_mix(routing_.seed ^ route_mix(static_cast<uint64_t>(c.src_nic)));
    h = route_mix(h ^ static_cast<uint64_t>(c.dst_nic));
    h = route_mix(h ^ static_cast<uint64_t>(c.qp));
    int i = static_cast<int>(h % static_cast<uint64_t>(groups_ - 2));
    if (i >= std::min(a, b)) ++i;  // skip a and b
    if (i >= std::max(a, b)) ++i;
    return i;
  }

  void server_to_server(int s, int d, int /*k*/, const RoutedConnection& c, RouteLinks& links) const override {
    links.push_back(server_link(s).up);
    const int a = group_of(s), b = group_of(d);
    if (a != b) {
      const int i = routing_.mode == RoutingKind::kValiant && groups_ > 2 ? intermediate(a, b, c)
                    : routing_.mode == RoutingKind::kUgal                 ? ugal_intermediate(a, b)
                                                                          : -1;
      if (i >= 0) {
        hop(a, i, links);
        hop(i, b, links);
      } else {
        hop(a, b, links);
      }
    }
    links.push_back(server_link(d).down);
  }

  void climb(int s, int /*k*/, const RoutedConnection& /*c*/, RouteLinks& links, bool down) const override {
    links.push_back(down ? server_link(s).down : server_link(s).up);
  }

  FabricRouting routing_;
  int groups_ = 1;
  int servers_per_group_ = 1;
  std::vector<int> pair_;  ///< per (a, b), a < b: index in global_ (-1 elsewhere)
  std::vector<RoutedCable> global_;
  mutable std::vector<int> load_;  ///< ugal: connections placed per global link and direction (2 i: up)
};

}  // namespace

Platform instantiate_routed_platform(const Dragonfly& fly, const PlatformParams& params, const FabricRouting& routing) {
  xbt_assert(routing.mode == RoutingKind::kMinimal || routing.mode == RoutingKind::kValiant ||
                 routing.mode == RoutingKind::kUgal,
             "instantiate_routed_platform: a dragonfly routes minimal, valiant or ugal");
  auto* zone = new RoutedDragonflyZone(fly, params, routing);  // owned by the engine (the root zone)
  Platform out = zone->build(fly, params);
  zone->get_iface()->seal();
  return out;
}

}  // namespace clustersim
