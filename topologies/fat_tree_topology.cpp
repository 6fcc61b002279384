// The fat-tree behind the Topology interface (topology.hpp); rail_optimized.cpp reuses its built fabric.
#include <fmt/format.h>

#include "topologies/fabric.hpp"

namespace clustersim {

namespace {

class FatTreeFabric : public BuiltTopology {
 public:
  // The tree is built in place: a Boost adjacency_list has no move constructor, so a FatTree passed on is copied.
  FatTreeFabric(const FatTreeParams& params, std::string name, const FabricRouting& routing)
      : tree_(build_fat_tree(params)), name_(std::move(name)), routing_(routing) {}

  const TopologyGraph& graph() const override { return tree_.graph; }

  const FabricInventory& inventory() const override { return tree_.inventory; }

  int group_of(int server) const override { return tree_.group_of(server); }

  int pod_of(int server) const override { return tree_.pod_of_leaf(tree_.leaf_of(server)); }

  std::string summary() const override {
    const FatTreeParams& p = tree_.params;
    std::string line = fmt::format("{}: {} tiers, oversubscription leaf {}:1", name_, p.tiers, p.leaf_oversubscription);
    if (p.tiers == 3) line += fmt::format(", spine {}:1", p.spine_oversubscription);
    if (p.su_servers > 0)
      line += fmt::format("; {} scalable units of {} servers on {} rails", tree_.groups(), tree_.servers_per_leaf,
                          tree_.leaves_per_group);
    if (tree_.pods > 1) line += fmt::format("; {} pods of {} leaves", tree_.pods, tree_.leaves_per_pod);
    if (routed())
      line += fmt::format("; routing {}, {} connections per server pair{}", kind_name(routing_.mode),
                          p.nics_per_server * routing_.connections_per_nic, routing_.pxn ? "" : ", PXN off");
    return line;
  }

  Platform instantiate(const PlatformParams& params) const override {
    return routed() ? instantiate_routed_platform(tree_, params, routing_) : instantiate_platform(tree_, params);
  }

  std::vector<SpinePlane> spine_planes() const override {
    std::vector<SpinePlane> planes;
    if (tree_.leaf_uplinks == 0 || tree_.spines_per_pod == 0) return planes;  // one leaf: no spine
    const char* group = tree_.leaves_per_group == 1 ? "leaf-" : "su-";
    for (int pod = 0; pod < tree_.pods; ++pod) {
      SpinePlane plane{tree_.spines_per_pod, {}};
      if (routed()) {  // every cable of the plane
        plane.links = routed_pod_cable_names(tree_, pod);
        planes.push_back(std::move(plane));
        continue;
      }
      const int first = pod * tree_.leaves_per_pod / tree_.leaves_per_group;
      for (int g = first; g < first + tree_.leaves_in_pod(pod) / tree_.leaves_per_group; ++g)
        plane.links.push_back(group + std::to_string(g) + "-up");
      if (tree_.pods > 1) plane.links.push_back("pod-" + std::to_string(pod) + "-up");  // the spines' core cables
      planes.push_back(std::move(plane));
    }
    if (tree_.pods > 1 && tree_.cores > 0) {  // each core carries an equal share of every pod's core cables
      SpinePlane core{tree_.cores, {}, true};
      if (routed())
        core.links = routed_core_cable_names(tree_);
      else
        for (int pod = 0; pod < tree_.pods; ++pod) core.links.push_back("pod-" + std::to_string(pod) + "-up");
      planes.push_back(std::move(core));
    }
    return planes;
  }

 private:
  bool routed() const { return routing_.mode != RoutingKind::kIdeal; }

  FatTree tree_;
  std::string name_;
  FabricRouting routing_;
};

class FatTreeTopology : public Topology {
 public:
  std::string name() const override { return "fat-tree"; }

  std::string description() const override {
    return "2- or 3-tier folded Clos (leaf-spine; leaf-spine-core with spines in pods), every NIC of a server on\n"
           "one leaf; SimGrid: one host per server, star zones per leaf and pod with aggregated uplinks (routing\n"
           "ideal), or one zone with a link per cable and routes per connection (routing ecmp, dmodk)";
  }

  std::vector<std::string> keys() const override {
    return {"fabric.tiers", "fabric.oversubscription", "fabric.spine_oversubscription", "fabric.routing",
            "fabric.connections_per_nic"};
  }

  std::unique_ptr<const BuiltTopology> build(const FabricBuildParams& params) const override {
    FatTreeParams p = params.tree;
    p.su_servers = 0;
    return fat_tree_fabric(p, name(), params.routing);
  }
};

}  // namespace

std::unique_ptr<const BuiltTopology> fat_tree_fabric(const FatTreeParams& params, std::string name,
                                                     const FabricRouting& routing) {
  if (routing.mode == RoutingKind::kMinimal || routing.mode == RoutingKind::kValiant ||
      routing.mode == RoutingKind::kUgal)
    throw TopologyError(fmt::format("routing {} is for dragonflies: a {} routes ideal, ecmp, dmodk or adaptive",
                                    kind_name(routing.mode), name),
                        "use routing: ecmp (hashed per connection) or dmodk (InfiniBand's D-mod-K)", "fabric.routing");
  if (!routing.pxn && (routing.mode == RoutingKind::kIdeal || params.su_servers == 0))
    throw TopologyError(
        fmt::format("pxn: false changes routes only on a rail-optimized fabric with per-cable routes; this is a {} "
                    "with routing {}",
                    name, kind_name(routing.mode)),
        "use topology: rail-optimized with routing: ecmp, dmodk or adaptive (ideal spreads every flow over all "
        "paths, PXN or not), or leave pxn out",
        "fabric.pxn");
  return std::make_unique<const FatTreeFabric>(params, std::move(name), routing);
}

std::unique_ptr<Topology> fat_tree_topology() { return std::make_unique<FatTreeTopology>(); }

}  // namespace clustersim
