#pragma once
/// @file
/// Fat-trees (plain and rail-optimized) as SimGrid platforms whose flows take real paths: every NIC and every
/// switch-to-switch cable is its own SimGrid link, and the route of each flow is chosen cable by cable by the
/// fabric's routing (fabric.routing):
/// - `ecmp`: at each switch going up (leaf, spine) and at the core going down, the cable is picked by a hash of
///   (switch, source NIC, destination NIC, connection, seed), as a switch hashes a flow's 5-tuple: flows can
///   collide on one cable while others stay idle.
/// - `dmodk`: InfiniBand's static destination-based routing (D-mod-K): the up cable at the leaf is the destination
///   NIC's index modulo the leaf's uplinks, at the spine the quotient's next digit, and so on; every flow to one
///   destination takes one path down.
/// - `adaptive`: at each switch the cable with the fewest connections placed on it so far (in its direction), the
///   hash among equals: least-loaded routing with the connections routed before as the load. A pair's route is
///   chosen when the pair first talks and kept (routed_zone.hpp): training repeats its pairs every step. When a job
///   ends its pairs' routes are released (release_routes): later jobs are routed on the load of the jobs still running.
/// `ideal` (simgrid_platform.hpp) keeps each leaf's and pod's uplinks as one aggregated link: perfect spreading.
///
/// **Connections.** A server-to-server flow of the engine (the collectives send one flow per server pair and phase)
/// stands for K = nics_per_server x connections_per_nic connections: connection i leaves on NIC i mod nics
/// (GPU-NIC affinity: rail k to rail k; rail-optimized: NIC k sits on rail leaf k of its scalable unit), with
/// connections_per_nic connections (NCCL's QPs per connection) per NIC pair, each routed on its own. The flow's
/// route lists the links of all K connections, a link crossed by n of them n times; SimGrid's max-min solver adds
/// the repeats into one consumption weight n. Every link's SimGrid bandwidth is K x its real bandwidth, so a link
/// crossed by n connections gives the flow at most K x bandwidth / n, i.e. each connection carries 1/K of the flow
/// and the link carries n/K of it: the K connections of a flow move at one rate, that of their busiest cable (the
/// flow ends when its slowest connection does, as a collective step does). Every route has exactly K connections,
/// so the scaling is the same for every flow (frontend routes too). Reported link usage / bandwidth is the real
/// utilization; bandwidths read from these links are K x real.
///
/// **Paths.** Source NIC up to its leaf; same leaf: down to the destination NIC (no uplink). Otherwise one of the
/// leaf's uplink cables to a spine; same pod (or 2 tiers): one of that spine's cables down to the destination leaf;
/// other pod: one of the spine's uplink cables to a core, one of the core's cables down to a spine of the
/// destination pod, one of that spine's cables down to the destination leaf. The frontend hangs above the top tier:
/// a server's connections climb to the top (hashed likewise) and take the frontend's link.
///
/// **Zone.** One flat zone (a StarZone subclass with its own get_local_route): every host and link in the root, so
/// names are checked against one zone (SIMGRID.md trap 4) and routes are computed per flow, never stored.
/// Link names: "server-<s>-nic-<k>", "leaf-<l>-up-<t>" (the leaf's t-th uplink cable), "spine-<x>-up-<t>",
/// "frontend-link"; each split-duplex, _UP towards the upper tier.

#include <cstdint>
#include <string>
#include <vector>

#include "spec/kinds.hpp"
#include "topologies/fat_tree.hpp"
#include "topologies/simgrid_platform.hpp"

namespace clustersim {

/// How a fabric's flows pick their paths (fabric.routing and fabric.connections_per_nic).
struct FabricRouting {
  RoutingKind mode = RoutingKind::kIdeal;
  int connections_per_nic = 1;  ///< connections (QPs) per NIC pair, each routed on its own
  bool pxn = true;    ///< rail-optimized: all-to-all rail to rail (NCCL's PXN); false: cross-rail through the spines
  uint64_t seed = 0;  ///< ecmp: the switches' hash seed (from the experiment's seed)
};

bool operator==(const FabricRouting& a, const FabricRouting& b);

/// The fat-tree as one flat zone with a link per NIC and per cable, routed by `routing` (mode ecmp or dmodk).
/// Builds inside the running engine, which must have no platform yet.
Platform instantiate_routed_platform(const FatTree& tree, const PlatformParams& params, const FabricRouting& routing);

/// The SimGrid link names of the cables above the leaves of `pod` (its leaves' uplink cables and, with cores, its
/// spines' uplink cables), and of every spine's uplink cables: the routed counterparts of the ideal platform's
/// aggregated "leaf-<l>-up"/"pod-<p>-up" links, for spine-plane failures.
std::vector<std::string> routed_pod_cable_names(const FatTree& tree, int pod);
std::vector<std::string> routed_core_cable_names(const FatTree& tree);

}  // namespace clustersim
