#pragma once
/// @file
/// The topologies an experiment can name, by name. `topologies()` holds the built-ins (fat-tree,
/// rail-optimized, dragonfly), registered on first use by an explicit list (topology_registry.cpp), so that
/// static linking keeps them.
///
/// Adding a topology (topologies/README.md has the recipe):
/// 1. topologies/<name>.{hpp,cpp}: its params, builder and a `Topology` subclass (topology.hpp) whose
///    BuiltTopology gives the graph, inventory, group/pod of a server, describe-fabric line and SimGrid zones;
///    a factory `std::unique_ptr<Topology> <name>_topology();` declared in its header;
/// 2. one line in builtin_topologies() (topology_registry.cpp);
/// 3. its name in the `fabric.topology` choices (spec/) and any keys of its own (spec/ + sim/config, mapped
///    in sim/setup/fabric_params.cpp);
/// 4. a unit test (tests/unit/<name>_test.cpp) and an example (experiments/<name>-*.yaml).

#include <memory>
#include <string>
#include <vector>

#include "topologies/topology.hpp"

namespace clustersim {

class TopologyRegistry {
 public:
  /// Registers `topology`; std::invalid_argument when its name is taken or empty.
  void add(std::unique_ptr<const Topology> topology);

  /// The topology named `name`, or nullptr.
  const Topology* find(const std::string& name) const;

  /// The topology named `name`; TopologyError on key "fabric.topology" for an unknown name, with "did you
  /// mean" or the list of names as its hint.
  const Topology& at(const std::string& name) const;

  /// Names in registration order.
  std::vector<std::string> names() const;

  const std::vector<std::unique_ptr<const Topology>>& all() const { return topologies_; }

 private:
  std::vector<std::unique_ptr<const Topology>> topologies_;
};

/// The registry of the built-in topologies.
const TopologyRegistry& topologies();

}  // namespace clustersim
