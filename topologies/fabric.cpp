#include "topologies/fabric.hpp"

#include <fmt/format.h>

#include <tuple>

#include "topologies/topology_registry.hpp"

namespace clustersim {

namespace {

int scaleup_domain_servers(const FabricBuildParams& p) {
  const int gpus = p.gpus_per_server, domain = p.scaleup_domain_gpus;
  if (gpus < 1 || domain < 1)
    throw TopologyError(fmt::format("a scale-up domain of {} GPUs in servers of {} GPUs", domain, gpus),
                        "both must be at least 1", "cluster.scaleup_domain");
  if (domain <= gpus && gpus % domain == 0) return 1;
  if (domain > gpus && domain % gpus == 0) return domain / gpus;
  throw TopologyError(
      fmt::format("a scale-up domain of {} GPUs does not split into whole servers of {} GPUs", domain, gpus),
      fmt::format("use a multiple of {} (a domain spanning servers) or a divisor of it", gpus),
      "cluster.scaleup_domain");
}

auto fields(const FatTreeParams& p) {
  return std::tie(p.servers, p.nics_per_server, p.link_bps, p.radix, p.tiers, p.leaf_oversubscription,
                  p.spine_oversubscription, p.hop_latency_s, p.su_servers);
}

auto fields(const DragonflyParams& p) {
  return std::tie(p.servers, p.nics_per_server, p.link_bps, p.radix, p.servers_per_router, p.routers_per_group,
                  p.global_links_per_router, p.groups, p.hop_latency_s);
}

auto fields(const FabricBuildParams& p) {
  return std::tie(p.topology, p.su_servers, p.gpus_per_server, p.scaleup_domain_gpus, p.scaleup_bandwidth_Bps);
}

}  // namespace

bool operator==(const FabricBuildParams& a, const FabricBuildParams& b) {
  return fields(a) == fields(b) && fields(a.tree) == fields(b.tree) && fields(a.dragonfly) == fields(b.dragonfly) &&
         a.routing == b.routing;
}

Fabric build_fabric(const FabricBuildParams& params) {
  Fabric f;
  f.topology = &topologies().at(params.topology);
  f.params = params;
  f.scaleup_domain_servers = scaleup_domain_servers(params);
  f.scaleup_bandwidth_Bps = params.scaleup_bandwidth_Bps;
  f.built = f.topology->build(params);
  f.inventory = f.built->inventory();
  return f;
}

Platform instantiate_platform(const Fabric& fabric, const PlatformParams& params) {
  return fabric.built->instantiate(params);
}

}  // namespace clustersim
