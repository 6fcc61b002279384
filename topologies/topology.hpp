#pragma once
/// @file
/// One fabric topology behind one interface. A `Topology` is a registry entry (topology_registry.hpp): its
/// name (the experiment's `fabric.topology` value), a description for `clustersim describe topologies`, the
/// experiment keys it reads, and its builder. The builder checks its own parameters (TopologyError naming the
/// key to blame) and returns a `BuiltTopology`: the Boost graph, the inventory, where each server sits, the
/// describe-fabric line and the SimGrid platform. Nothing outside topologies/ branches on a topology name:
/// code holds a Fabric (fabric.hpp) and calls through these interfaces.

#include <memory>
#include <string>
#include <vector>

#include "topologies/simgrid_platform.hpp"

namespace clustersim {

struct FabricBuildParams;

/// Switches whose failure degrades the fabric without cutting a server off (a fat-tree's spines): in one plane (a
/// pod, or the whole 2-tier fabric) `spines` of them carry equal shares of the SimGrid `links` (the names
/// instantiate() gives the aggregated uplinks of the plane's leaves, and of the pod).
struct SpinePlane {
  int spines = 0;
  std::vector<std::string> links;
  bool core = false;  ///< the core switches of a 3-tier fat-tree (links: every pod's uplink)
};

/// A fabric graph built by one topology.
class BuiltTopology {
 public:
  virtual ~BuiltTopology() = default;

  /// The Boost graph: servers are vertices 0..servers-1 (see each topology's header for the rest).
  virtual const TopologyGraph& graph() const = 0;
  /// Switches, cables, transceivers per tier; bisection; diameter and mean hops.
  virtual const FabricInventory& inventory() const = 0;
  /// The server's group: servers of one group talk without crossing the group's uplinks (fat-tree: leaf;
  /// rail-optimized: scalable unit; dragonfly: group).
  virtual int group_of(int server) const = 0;
  /// The server's pod (3-tier fat-trees; dragonfly: its group; else 0).
  virtual int pod_of(int server) const = 0;
  /// Its spine planes (failures that degrade it), one per pod, then the core plane of a 3-tier tree with several
  /// pods; empty: none (one leaf, dragonfly).
  virtual std::vector<SpinePlane> spine_planes() const { return {}; }
  /// The `topology` line of `clustersim describe-fabric`, e.g. "fat-tree: 2 tiers, oversubscription leaf 1:1".
  virtual std::string summary() const = 0;
  /// The fabric's SimGrid zones, inside the running engine (which must have no platform yet).
  virtual Platform instantiate(const PlatformParams& params) const = 0;
};

/// A topology: what `fabric.topology: <name>` selects.
class Topology {
 public:
  virtual ~Topology() = default;

  /// The `fabric.topology` value ("fat-tree").
  virtual std::string name() const = 0;
  /// What it is and how SimGrid sees it, for `clustersim describe topologies`: lines of at most ~100
  /// characters separated by '\n', no trailing newline.
  virtual std::string description() const = 0;
  /// The experiment keys it reads besides those every fabric reads (fabric.link, fabric.nics_per_server,
  /// fabric.radix / fabric.switch, cluster.*).
  virtual std::vector<std::string> keys() const = 0;
  /// Checks `params` and builds the graph. Throws TopologyError (with the key to blame) when impossible.
  virtual std::unique_ptr<const BuiltTopology> build(const FabricBuildParams& params) const = 0;
};

}  // namespace clustersim
