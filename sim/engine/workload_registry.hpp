#pragma once
/// @file
/// The workload kinds of the engine, keyed by their `workload.<kind>` name, each with a description and a
/// factory (SimGrid's model tables: {name, description, init}). An explicit list (workload_kinds()), not
/// self-registering globals: those would vanish from the static library that nothing references. The order of
/// the list is the order in which run_experiment places, launches and reports the workloads (see
/// workload.hpp; changing it moves placements, power groups and actor order, so numbers).

#include <memory>
#include <string>
#include <vector>

#include "sim/engine/workload.hpp"
#include "spec/experiment_spec.hpp"

namespace clustersim {

struct WorkloadKind {
  const char* name;         ///< the key under `workload:` ("training", "inference")
  const char* description;  ///< one line for listings
  /// The workload of `spec` (all its entries of this kind; none is fine), or null to skip the kind.
  std::unique_ptr<Workload> (*make)(const ExperimentSpec& spec);
};

/// Every workload kind, in placement order.
const std::vector<WorkloadKind>& workload_kinds();

/// The kind registered under `name`, or null.
const WorkloadKind* find_workload_kind(const std::string& name);

/// One workload per registered kind (those whose factory returns one), in registry order.
std::vector<std::unique_ptr<Workload>> make_workloads(const ExperimentSpec& spec);

}  // namespace clustersim
