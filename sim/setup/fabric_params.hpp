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

/// Selects the components and builds the fabric (Boost graph, no SimGrid). A TopologyError becomes a
/// ConfigError on its key (or `fabric`) in the experiment file.
ExperimentFabric build_experiment_fabric(const LoadedExperiment& exp);

}  // namespace clustersim
