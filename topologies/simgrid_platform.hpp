#pragma once
/// @file
/// Instantiates a fat-tree as SimGrid 3.32 NetZones: a hierarchy of star zones (root > pods > leaves
/// > servers) with one aggregated split-duplex uplink per leaf and per pod, as measured in
/// ../shared/SIMGRID.md (12,500 servers in about 1 s). One SimGrid host per server, with one core per
/// GPU. Plus one "frontend" host on the root zone for request routers and traffic sources.

#include <simgrid/s4u.hpp>
#include <vector>

#include "topologies/fat_tree.hpp"

namespace clustersim {

struct PlatformParams {
  int gpus_per_server = 8;       ///< cores per server host
  double gpu_flops = 1e15;       ///< speed of one core (one GPU), FLOP/s
  double frontend_bandwidth_bps = 400e9;  ///< the frontend host's link
};

struct Platform {
  std::vector<simgrid::s4u::Host*> servers;  ///< index = server id in the fat-tree
  simgrid::s4u::Host* frontend = nullptr;
};

/// Builds the zones inside the running engine (which must exist and have no platform yet).
/// Bandwidths are converted from bit/s to SimGrid's B/s here and nowhere else.
Platform instantiate_platform(const FatTree& tree, const PlatformParams& params);

}  // namespace clustersim
