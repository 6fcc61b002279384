#pragma once
/// @file
/// Instantiates a fat-tree (routing ideal; ecmp and dmodk: routed_fat_tree.hpp) as SimGrid 3.32 NetZones: a hierarchy
/// of star zones (root > pods > leaves > servers) with one aggregated split-duplex uplink per leaf and per pod, as
/// measured in
/// ../shared/SIMGRID.md (12,500 servers in about 1 s). One SimGrid host per server, with one core per
/// GPU. Plus one "frontend" host on the root zone for request routers and traffic sources.
///
/// Zones and links (every link split-duplex, latency hop_latency_s, bandwidth in B/s = bit/s / 8):
/// - leaf zone "leaf-<l>": hosts "server-<s>" (gpus_per_server cores of gpu_flops), each with a private
///   link "server-<s>-link" of nics_per_server x link_bps; a gateway router "leaf-<l>-sw".
/// - leaf uplink "leaf-<l>-up" of leaf_uplinks x link_bps, in the parent zone (the root for 2 tiers, the
///   pod for 3 tiers). It stands for the leaf's uplink cables and the spines behind them (ECMP assumed
///   perfect, spines non-blocking). A one-leaf fabric has no leaf uplink cables; its uplink then only
///   serves the frontend and gets the leaf's server-facing capacity.
/// - 3 tiers: pod zone "pod-<p>" holding its leaf zones and a child zone "pod-<p>-core" with the
///   gateway router "pod-<p>-sw" (SIMGRID.md trap 3); pod uplink "pod-<p>-up" of spines_per_pod x
///   spine_uplinks x link_bps in the root (with a single pod, spines have no core cables; the pod uplink
///   then only serves the frontend and gets the pod's leaf-spine capacity).
/// - frontend zone "frontend" in the root: host "frontend" (1 core of gpu_flops) with its link
///   "frontend-link" of frontend_bandwidth_bps, and a gateway router "frontend-sw" (no link above it).
/// A one-leaf fabric is that leaf zone alone in the root, whatever the tiers.
/// Rail-optimized (rail_optimized.hpp): the zone of a scalable unit "su-<g>" replaces the leaf zone
/// (gateway "su-<g>-sw", uplink "su-<g>-up" of rails x leaf_uplinks x link_bps); the rest is the same.
/// Routes cross one link per level: same leaf: 2 links; other leaf (same pod): 4 links; other pod: 6
/// links; server to frontend: 3 (2 tiers) or 4 (3 tiers) links. Each link adds hop_latency_s.

#include <simgrid/s4u.hpp>
#include <vector>

#include "topologies/dragonfly.hpp"
#include "topologies/fat_tree.hpp"

namespace clustersim {

struct PlatformParams {
  int gpus_per_server = 8;  ///< cores per server host
  double gpu_flops = 1e15;  ///< speed of one core (one GPU), FLOP/s
  /// Per server id, the speed of its cores where servers differ (accelerator pools); empty = gpu_flops for all.
  std::vector<double> server_gpu_flops;
  double frontend_bandwidth_bps = 400e9;  ///< the frontend host's link
  /// What one NIC's host slot (PCIe) carries, bit/s; 0 = no limit. A server's private link is nics x
  /// min(link_bps, this): a link faster than the host can feed moves only what the host gives it.
  double nic_host_bps = 0;
  /// Per server id, the same where servers differ (accelerator pools); empty = nic_host_bps for all.
  std::vector<double> server_nic_host_bps;
  /// Give SimGrid links the fabric's hop latency. Off by default: SimGrid's CM02 model shares a link's
  /// bandwidth in inverse proportion to each flow's route latency (TCP's RTT unfairness), which RDMA fabrics
  /// do not show; with zero-latency links sharing is max-min fair and the collectives add the latency terms
  /// analytically (alpha per step).
  bool link_latency = false;
};

struct Platform {
  std::vector<simgrid::s4u::Host*> servers;  ///< index = server id in the fat-tree
  simgrid::s4u::Host* frontend = nullptr;
};

/// Records what server `host` injects into the fabric, B/s (all its NICs after the host-slot cap), as the host
/// property kServerInjectionProperty (common/host_properties.hpp) that the collectives read.
void set_server_injection_Bps(simgrid::s4u::Host* host, double bandwidth_Bps);

/// Builds the zones inside the running engine (which must exist and have no platform yet).
/// Bandwidths are converted from bit/s to SimGrid's B/s here and nowhere else.
Platform instantiate_platform(const FatTree& tree, const PlatformParams& params);

/// A dragonfly (dragonfly.hpp) as star zones: root > one zone per group "group-<g>" (its servers, each
/// with its link of nics_per_server x link_bps, gateway "group-<g>-sw") with the aggregated uplink
/// "group-<g>-up" of c (g - 1) x link_bps (the group's global cables; one group: its servers' capacity,
/// which only the frontend uses); plus the frontend as above. Routes: same group 2 links, other group 4.
/// Approximation: inside a group the routers are taken as one non-blocking switch (adaptive routing
/// spreads a router pair's traffic over the a - 1 local links; a router's a - 1 + h >= 3p - 1 ports
/// outnumber its p terminal ports in balanced designs), and a group's global cables as one pool (perfect
/// spreading over all peers; minimal-routing hot spots between two groups are not modelled). Groups
/// without servers are left out. create_dragonfly_zone is not used: it has one bandwidth for every link
/// (see the build-time measurements in the topologies report).
Platform instantiate_platform(const Dragonfly& fly, const PlatformParams& params);

/// Load-aware routed fabrics (fabric.routing adaptive, ugal; routed_zone.hpp): a job's flows ended for good, so
/// the routes kept for the pairs with an end among `servers` are forgotten and their connections leave the load
/// the next routes are chosen on. Does nothing on other platforms. Returns the number of pairs released.
size_t release_routes(const std::vector<simgrid::s4u::Host*>& servers);

}  // namespace clustersim
