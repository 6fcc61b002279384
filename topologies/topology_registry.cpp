#include "topologies/topology_registry.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "common/diagnostics.hpp"
#include "topologies/dragonfly.hpp"
#include "topologies/fat_tree.hpp"
#include "topologies/rail_optimized.hpp"

namespace clustersim {

namespace {

TopologyRegistry builtin_topologies() {
  TopologyRegistry r;
  r.add(fat_tree_topology());
  r.add(rail_optimized_topology());
  r.add(dragonfly_topology());
  return r;
}

}  // namespace

void TopologyRegistry::add(std::unique_ptr<const Topology> topology) {
  if (!topology || topology->name().empty()) throw std::invalid_argument("a topology needs a name");
  if (find(topology->name()) != nullptr)
    throw std::invalid_argument("topology '" + topology->name() + "' is registered twice");
  topologies_.push_back(std::move(topology));
}

const Topology* TopologyRegistry::find(const std::string& name) const {
  for (const auto& t : topologies_)
    if (t->name() == name) return t.get();
  return nullptr;
}

const Topology& TopologyRegistry::at(const std::string& name) const {
  if (const Topology* t = find(name)) return *t;
  throw TopologyError(fmt::format("unknown topology '{}'", name), did_you_mean(name, names()), "fabric.topology");
}

std::vector<std::string> TopologyRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& t : topologies_) out.push_back(t->name());
  return out;
}

const TopologyRegistry& topologies() {
  static const TopologyRegistry registry = builtin_topologies();
  return registry;
}

}  // namespace clustersim
