#pragma once
/// @file
/// The fabric the engine sees, whatever the topology: the registry entry that built it (topology.hpp,
/// topology_registry.hpp), the built graph behind the BuiltTopology interface, its inventory (switches, cables,
/// transceivers, bisection, diameter, mean hops), where each server sits (group, pod) and its scale-up
/// domain. build_fabric looks the topology up by name; instantiate_platform turns the fabric into SimGrid
/// zones.
///
/// Scale-up domains: GPUs joined by NVLink/NVSwitch, HCCS or UB without NICs (8 in an HGX server, 72 in a
/// GB200 NVL72 rack of 18 servers of 4, 384 in an Ascend CloudMatrix of 48 servers of 8). A domain of
/// D >= gpus_per_server GPUs spans D / gpus_per_server consecutive servers (D must be a multiple); a domain
/// smaller than a server (D divides gpus_per_server) keeps scaleup_domain_servers = 1. Servers are
/// numbered so that domain i holds servers [i x scaleup_domain_servers, (i + 1) x scaleup_domain_servers).

#include <memory>
#include <string>

#include "topologies/dragonfly.hpp"
#include "topologies/fat_tree.hpp"
#include "topologies/routed_fat_tree.hpp"
#include "topologies/simgrid_platform.hpp"
#include "topologies/topology.hpp"

namespace clustersim {

/// Everything a fabric is built from.
struct FabricBuildParams {
  std::string topology = "fat-tree";  ///< a name in topologies() (the experiment's fabric.topology)
  /// servers, nics_per_server, link_bps, radix and hop_latency_s are read by every topology; tiers and
  /// oversubscription by fat-tree and rail-optimized.
  FatTreeParams tree;
  int su_servers = 32;        ///< rail-optimized: servers per scalable unit
  DragonflyParams dragonfly;  ///< dragonfly: only its own sizes (servers_per_router .. groups) are read
  int gpus_per_server = 8;
  int scaleup_domain_gpus = 8;       ///< GPUs per scale-up domain
  double scaleup_bandwidth_Bps = 0;  ///< per GPU per direction inside a scale-up domain, B/s
  FabricRouting routing;             ///< how flows pick paths (routed_fat_tree.hpp); fat-tree and rail-optimized
};

/// Field by field (a fabric built from equal parameters is the same fabric).
bool operator==(const FabricBuildParams& a, const FabricBuildParams& b);
inline bool operator!=(const FabricBuildParams& a, const FabricBuildParams& b) { return !(a == b); }

/// A built fabric. Copies share the built graph.
struct Fabric {
  const Topology* topology = nullptr;  ///< the registry entry that built it
  FabricBuildParams params;
  std::shared_ptr<const BuiltTopology> built;  ///< graph, placement, summary, SimGrid zones
  FabricInventory inventory;
  int scaleup_domain_servers = 1;    ///< servers per scale-up domain (1 when a domain fits in a server)
  double scaleup_bandwidth_Bps = 0;  ///< per GPU per direction inside a domain, B/s

  const TopologyGraph& graph() const { return built->graph(); }
  int servers() const { return inventory.servers; }

  /// The servers' group: leaf (fat-tree), scalable unit (rail-optimized) or group (dragonfly): servers of
  /// one group talk without crossing the group's uplinks.
  int group_of(int server) const { return built->group_of(server); }
  /// The pod of a server (3-tier fat-trees; dragonfly: its group; else 0).
  int pod_of(int server) const { return built->pod_of(server); }
  /// The scale-up domain of a server (consecutive servers share one) and the number of domains.
  int scaleup_domain_of(int server) const { return server / scaleup_domain_servers; }
  int scaleup_domains() const { return (servers() + scaleup_domain_servers - 1) / scaleup_domain_servers; }
  /// The topology's one-line description of this fabric (describe-fabric).
  std::string summary() const { return built->summary(); }
};

/// Builds and checks the fabric of topology `params.topology` (topologies()). Throws TopologyError when it is
/// impossible (an unknown topology: key "fabric.topology", hint from the registry).
Fabric build_fabric(const FabricBuildParams& params);

/// The fabric's SimGrid zones (see simgrid_platform.hpp for each topology).
Platform instantiate_platform(const Fabric& fabric, const PlatformParams& params);

}  // namespace clustersim
