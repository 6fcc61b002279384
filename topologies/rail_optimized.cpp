#include "topologies/rail_optimized.hpp"

#include <fmt/format.h>

#include "topologies/fabric.hpp"

namespace clustersim {

FatTreeParams rail_optimized_params(FatTreeParams params, int su_servers) {
  if (su_servers < 1)
    throw TopologyError(fmt::format("a scalable unit needs at least one server (got {})", su_servers),
                        "set su_servers, e.g. 32", "fabric.su_servers");
  params.su_servers = su_servers;
  return params;
}

FatTree build_rail_optimized(FatTreeParams params, int su_servers) {
  return build_fat_tree(rail_optimized_params(std::move(params), su_servers));
}

void size_rail_leaves(FatTree& t) {
  const FatTreeParams& p = t.params;
  if (p.su_servers > t.leaf_down_ports)
    throw TopologyError(
        fmt::format("a scalable unit of {} servers needs {} down ports on each rail leaf, but radix {} at {}:1 "
                    "leaves {}",
                    p.su_servers, p.su_servers, p.radix, p.leaf_oversubscription, t.leaf_down_ports),
        fmt::format("use su_servers <= {}, a larger radix or less leaf oversubscription", t.leaf_down_ports),
        "fabric.su_servers");
  t.leaves_per_group = p.nics_per_server;
  t.servers_per_leaf = p.su_servers;
}

}  // namespace clustersim

namespace clustersim {

namespace {

class RailOptimizedTopology : public Topology {
 public:
  std::string name() const override { return "rail-optimized"; }

  std::string description() const override {
    return "fat-tree whose leaves are rails: servers in scalable units of fabric.su_servers, NIC k of each server\n"
           "on rail leaf k of its unit; SimGrid: one star zone per unit with the rail leaves' uplinks aggregated\n"
           "(same-rail traffic stays in the unit); routing ecmp / dmodk: a link per cable, routes per connection";
  }

  std::vector<std::string> keys() const override {
    return {"fabric.su_servers",
            "fabric.tiers",
            "fabric.oversubscription",
            "fabric.spine_oversubscription",
            "fabric.routing",
            "fabric.connections_per_nic",
            "fabric.pxn"};
  }

  std::unique_ptr<const BuiltTopology> build(const FabricBuildParams& params) const override {
    return fat_tree_fabric(rail_optimized_params(params.tree, params.su_servers), name(), params.routing);
  }
};

}  // namespace

std::unique_ptr<Topology> rail_optimized_topology() { return std::make_unique<RailOptimizedTopology>(); }

}  // namespace clustersim
