#pragma once
/// @file
/// The fabric abstraction the engine sees, whatever the topology: its kind, the Boost.Graph graph, the
/// inventory (switches, cables, transceivers, bisection, diameter, mean hops), where each server sits
/// (group, pod) and its scale-up domain. build_fabric dispatches to the builders (fat_tree.hpp,
/// rail_optimized.hpp, dragonfly.hpp); instantiate_platform (simgrid_platform.hpp) turns it into SimGrid
/// zones.
///
/// Scale-up domains: GPUs joined by NVLink/NVSwitch, HCCS or UB without NICs (8 in an HGX server, 72 in a
/// GB200 NVL72 rack of 18 servers of 4, 384 in an Ascend CloudMatrix of 48 servers of 8). A domain of
/// D >= gpus_per_server GPUs spans D / gpus_per_server consecutive servers (D must be a multiple); a domain
/// smaller than a server (D divides gpus_per_server) keeps scaleup_domain_servers = 1. Servers are
/// numbered so that domain i holds servers [i x scaleup_domain_servers, (i + 1) x scaleup_domain_servers).

#include <memory>
#include <string>
#include <vector>

#include "topologies/dragonfly.hpp"
#include "topologies/fat_tree.hpp"
#include "topologies/simgrid_platform.hpp"

namespace clustersim {

enum class FabricKind { kFatTree, kRailOptimized, kDragonfly };

/// "fat-tree", "rail-optimized", "dragonfly" (the experiment's fabric.topology values).
const char* fabric_kind_name(FabricKind kind);
/// The kind named `name`; TopologyError (key "fabric.topology") for an unknown name.
FabricKind fabric_kind_from_name(const std::string& name);

/// Everything a fabric is built from.
struct FabricBuildParams {
  FabricKind kind = FabricKind::kFatTree;
  /// servers, nics_per_server, link_bps, radix and hop_latency_s are read for every kind; tiers and
  /// oversubscription for fat-tree and rail-optimized.
  FatTreeParams tree;
  int su_servers = 32;         ///< rail-optimized: servers per scalable unit
  DragonflyParams dragonfly;   ///< dragonfly: only its own sizes (servers_per_router .. groups) are read
  int gpus_per_server = 8;
  int scaleup_domain_gpus = 8;         ///< GPUs per scale-up domain
  double scaleup_bandwidth_Bps = 0;    ///< per GPU per direction inside a scale-up domain, B/s
};

/// A built fabric.
struct Fabric {
  FabricKind kind = FabricKind::kFatTree;
  FabricBuildParams params;
  std::shared_ptr<const FatTree> tree;         ///< fat-tree and rail-optimized, else null
  std::shared_ptr<const Dragonfly> dragonfly;  ///< dragonfly, else null
  FabricInventory inventory;
  int scaleup_domain_servers = 1;       ///< servers per scale-up domain (1 when a domain fits in a server)
  double scaleup_bandwidth_Bps = 0;     ///< per GPU per direction inside a domain, B/s

  const TopologyGraph& graph() const;
  int servers() const { return inventory.servers; }

  /// The servers' group: leaf (fat-tree), scalable unit (rail-optimized) or group (dragonfly): servers of
  /// one group talk without crossing the group's uplinks.
  int group_of(int server) const;
  /// The pod of a server (3-tier fat-trees; dragonfly: its group; else 0).
  int pod_of(int server) const;
  /// The scale-up domain of a server (consecutive servers share one) and the number of domains.
  int scaleup_domain_of(int server) const { return server / scaleup_domain_servers; }
  int scaleup_domains() const { return (servers() + scaleup_domain_servers - 1) / scaleup_domain_servers; }
};

/// Builds and checks the fabric of `params.kind`. Throws TopologyError when it is impossible.
Fabric build_fabric(const FabricBuildParams& params);

/// The fabric's SimGrid zones (see simgrid_platform.hpp for each kind).
Platform instantiate_platform(const Fabric& fabric, const PlatformParams& params);

}  // namespace clustersim
