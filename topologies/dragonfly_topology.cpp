// The dragonfly behind the Topology interface (topology.hpp).
#include <fmt/format.h>

#include "topologies/fabric.hpp"
#include "topologies/routed_dragonfly.hpp"

namespace clustersim {

namespace {

class DragonflyFabric : public BuiltTopology {
 public:
  // Built in place (a Boost adjacency_list passed on is copied).
  DragonflyFabric(const DragonflyParams& params, const FabricRouting& routing)
      : fly_(build_dragonfly(params)), routing_(routing) {}

  const TopologyGraph& graph() const override { return fly_.graph; }

  const FabricInventory& inventory() const override { return fly_.inventory; }

  int group_of(int server) const override { return fly_.group_of(server); }

  int pod_of(int server) const override { return fly_.group_of(server); }

  std::string summary() const override {
    const DragonflyParams& p = fly_.params;
    return fmt::format(
               "dragonfly: {} groups x {} routers x {} servers, {} global links per router, {} global "
               "cables per group pair",
               p.groups, p.routers_per_group, p.servers_per_router, p.global_links_per_router,
               fly_.global_cables_per_pair) +
           (routed() ? fmt::format("; routing {}, {} connections per server pair", kind_name(routing_.mode),
                                   p.nics_per_server * routing_.connections_per_nic)
                     : std::string());
  }

  Platform instantiate(const PlatformParams& params) const override {
    return routed() ? instantiate_routed_platform(fly_, params, routing_) : instantiate_platform(fly_, params);
  }

 private:
  bool routed() const { return routing_.mode != RoutingKind::kIdeal; }

  Dragonfly fly_;
  FabricRouting routing_;
};

class DragonflyTopology : public Topology {
 public:
  std::string name() const override { return "dragonfly"; }

  std::string description() const override {
    return "groups of all-to-all routers joined by global links (0 = balanced a = 2p = 2h from fabric.radix);\n"
           "SimGrid: one star zone per group with its global cables as one aggregated uplink (routing ideal), or\n"
           "one zone with a link per group pair, routed minimal, valiant or ugal per connection";
  }

  std::vector<std::string> keys() const override {
    return {"fabric.dragonfly.routers_per_group",
            "fabric.dragonfly.servers_per_router",
            "fabric.dragonfly.global_links_per_router",
            "fabric.dragonfly.groups",
            "fabric.routing",
            "fabric.connections_per_nic"};
  }

  std::unique_ptr<const BuiltTopology> build(const FabricBuildParams& params) const override {
    const RoutingKind r = params.routing.mode;
    if (r != RoutingKind::kIdeal && r != RoutingKind::kMinimal && r != RoutingKind::kValiant && r != RoutingKind::kUgal)
      throw TopologyError(
          fmt::format("routing {} is for fat-trees: a dragonfly routes ideal, minimal, valiant or ugal", kind_name(r)),
          "use routing: minimal (direct global cables), valiant (via a random group) or ugal (minimal unless loaded)",
          "fabric.routing");
    if (!params.routing.pxn)
      throw TopologyError(
          "pxn: false changes routes only on a rail-optimized fabric; a dragonfly's NICs share their "
          "router",
          "leave pxn out", "fabric.pxn");
    DragonflyParams p = params.dragonfly;
    p.servers = params.tree.servers;
    p.nics_per_server = params.tree.nics_per_server;
    p.link_bps = params.tree.link_bps;
    p.radix = params.tree.radix;
    p.hop_latency_s = params.tree.hop_latency_s;
    return std::make_unique<const DragonflyFabric>(p, params.routing);
  }
};

}  // namespace

std::unique_ptr<Topology> dragonfly_topology() { return std::make_unique<DragonflyTopology>(); }

}  // namespace clustersim
