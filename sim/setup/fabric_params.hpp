#pragma once
/// @file
/// From an experiment to its fabric: the build parameters (FabricSpec + ClusterSpec + the switch radix)
/// and the built fabric with its components, for the engine and `clustersim describe-fabric`.

#include "sim/config/experiment_loader.hpp"
#include "topologies/fabric.hpp"
#include "topologies/fabric_components.hpp"

namespace clustersim {

/// The fabric parameters of `spec` for switches of `radix` ports at the link speed (fabric.radix when
/// given takes precedence over `radix`).
FabricBuildParams fabric_build_params(const ExperimentSpec& spec, int radix);

/// A fabric and the hardware it is built from.
struct ExperimentFabric {
  FabricComponents components;
  Fabric fabric;
};

/// The switch, NIC and transceiver of `spec`'s fabric (select_fabric_components). Throws TopologyError.
FabricComponents experiment_fabric_components(const ExperimentSpec& spec, const Catalog& catalog);

/// Selects the components and builds the fabric of `spec` (Boost graph, no SimGrid). Throws TopologyError.
ExperimentFabric build_fabric(const ExperimentSpec& spec, const Catalog& catalog);

/// build_fabric for a loaded experiment: a TopologyError becomes a ConfigError on its key (or `fabric`) in
/// the experiment file.
ExperimentFabric build_experiment_fabric(const LoadedExperiment& exp);

}  // namespace clustersim
