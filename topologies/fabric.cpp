#include "topologies/fabric.hpp"

#include <fmt/format.h>

#include "topologies/rail_optimized.hpp"

namespace clustersim {

namespace {

int scaleup_domain_servers(const FabricBuildParams& p) {
  const int gpus = p.gpus_per_server, domain = p.scaleup_domain_gpus;
  if (gpus < 1 || domain < 1)
    throw TopologyError(fmt::format("a scale-up domain of {} GPUs in servers of {} GPUs", domain, gpus),
                        "both must be at least 1", "cluster.scaleup_domain");
  if (domain <= gpus && gpus % domain == 0)
    return 1;
  if (domain > gpus && domain % gpus == 0)
    return domain / gpus;
  throw TopologyError(
      fmt::format("a scale-up domain of {} GPUs does not split into whole servers of {} GPUs", domain, gpus),
      fmt::format("use a multiple of {} (a domain spanning servers) or a divisor of it", gpus),
      "cluster.scaleup_domain");
}

}  // namespace

const char* fabric_kind_name(FabricKind kind) {
  switch (kind) {
    case FabricKind::kFatTree:
      return "fat-tree";
    case FabricKind::kRailOptimized:
      return "rail-optimized";
    case FabricKind::kDragonfly:
      return "dragonfly";
  }
  return "?";
}

FabricKind fabric_kind_from_name(const std::string& name) {
  for (FabricKind k : {FabricKind::kFatTree, FabricKind::kRailOptimized, FabricKind::kDragonfly})
    if (name == fabric_kind_name(k))
      return k;
  throw TopologyError(fmt::format("unknown topology '{}'", name), "use fat-tree, rail-optimized or dragonfly",
                      "fabric.topology");
}

const TopologyGraph& Fabric::graph() const {
  return tree ? tree->graph : dragonfly->graph;
}

int Fabric::group_of(int server) const {
  return tree ? tree->group_of(server) : dragonfly->group_of(server);
}

int Fabric::pod_of(int server) const {
  return tree ? tree->pod_of_leaf(tree->leaf_of(server)) : dragonfly->group_of(server);
}

Fabric build_fabric(const FabricBuildParams& params) {
  Fabric f;
  f.kind = params.kind;
  f.params = params;
  f.scaleup_domain_servers = scaleup_domain_servers(params);
  f.scaleup_bandwidth_Bps = params.scaleup_bandwidth_Bps;
  switch (params.kind) {
    case FabricKind::kFatTree: {
      FatTreeParams p = params.tree;
      p.su_servers = 0;
      f.tree = std::make_shared<const FatTree>(build_fat_tree(p));
      break;
    }
    case FabricKind::kRailOptimized:
      f.tree = std::make_shared<const FatTree>(build_rail_optimized(params.tree, params.su_servers));
      break;
    case FabricKind::kDragonfly: {
      DragonflyParams p = params.dragonfly;
      p.servers = params.tree.servers;
      p.nics_per_server = params.tree.nics_per_server;
      p.link_bps = params.tree.link_bps;
      p.radix = params.tree.radix;
      p.hop_latency_s = params.tree.hop_latency_s;
      f.dragonfly = std::make_shared<const Dragonfly>(build_dragonfly(p));
      break;
    }
  }
  f.inventory = f.tree ? f.tree->inventory : f.dragonfly->inventory;
  return f;
}

Platform instantiate_platform(const Fabric& fabric, const PlatformParams& params) {
  return fabric.tree ? instantiate_platform(*fabric.tree, params) : instantiate_platform(*fabric.dragonfly, params);
}

}  // namespace clustersim
