#include "sim/setup/fabric_params.hpp"

#include "common/diagnostics.hpp"
#include "common/random.hpp"
#include "common/units.hpp"

namespace clustersim {

FabricBuildParams fabric_build_params(const ExperimentSpec& spec, int radix) {
  const FabricSpec& f = spec.fabric;
  FabricBuildParams p;
  p.topology = topology_name(f.topology);
  p.tree.servers = spec.cluster.servers;
  p.tree.nics_per_server = f.nics_per_server;
  p.tree.link_bps = f.link_bps;
  p.tree.radix = f.radix > 0 ? f.radix : radix;
  p.tree.tiers = f.tiers;
  p.tree.leaf_oversubscription = f.leaf_oversubscription;
  p.tree.spine_oversubscription = f.spine_oversubscription;
  p.tree.hop_latency_s = f.hop_latency_s;
  p.su_servers = f.su_servers;
  p.dragonfly.routers_per_group = f.dragonfly.routers_per_group;
  p.dragonfly.servers_per_router = f.dragonfly.servers_per_router;
  p.dragonfly.global_links_per_router = f.dragonfly.global_links_per_router;
  p.dragonfly.groups = f.dragonfly.groups;
  p.gpus_per_server = spec.cluster.gpus_per_server;
  p.scaleup_domain_gpus = spec.cluster.scaleup_domain;
  p.scaleup_bandwidth_Bps = bytes_per_s(spec.cluster.scaleup_bandwidth_bps);
  p.routing.mode = f.routing;
  p.routing.connections_per_nic = f.connections_per_nic;
  p.routing.pxn = f.pxn;
  constexpr uint64_t kRoutingStream = 0x726f757465;  // "route"
  p.routing.seed = substream_seed(spec.seed, kRoutingStream);
  return p;
}

FabricComponents experiment_fabric_components(const ExperimentSpec& spec, const Catalog& catalog) {
  const FabricSpec& f = spec.fabric;
  return select_fabric_components(f.switch_model, f.nic, f.link_bps, optics_name(f.optics), catalog);
}

ExperimentFabric build_fabric(const ExperimentSpec& spec, const Catalog& catalog) {
  ExperimentFabric out;
  out.components = experiment_fabric_components(spec, catalog);
  out.fabric = build_fabric(fabric_build_params(spec, out.components.sw.radix));
  return out;
}

ExperimentFabric build_experiment_fabric(const LoadedExperiment& exp) {
  try {
    return build_fabric(exp.spec, exp.catalog);
  } catch (const TopologyError& e) {
    Diagnostics d;
    d.add({exp.source_path, 0, 0}, e.key().empty() ? "fabric" : e.key(), e.what(), e.hint());
    throw ConfigError(d);
  }
}

}  // namespace clustersim
