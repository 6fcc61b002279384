#pragma once
/// @file
/// `clustersim describe-fabric EXP.yaml`: the fabric of an experiment, built as a Boost graph only (no
/// SimGrid, no simulation): topology, servers and GPUs, scale-up domains, switch tiers (count, ports used,
/// radix, power), link tiers (cables, speed, transceiver kind and count, power), NICs, total network power
/// (and per GPU), bisection bandwidth (total and per GPU), diameter and mean hop count.

#include <string>

#include "sim/setup/fabric_params.hpp"

namespace clustersim {

/// The report text for a built fabric of experiment `spec`.
std::string describe_fabric(const ExperimentSpec& spec, const ExperimentFabric& built);

}  // namespace clustersim
