#pragma once
/// @file
/// Dragonflies as SimGrid platforms whose group-to-group traffic takes real global paths (fabric.routing):
/// - `minimal`: each connection from group A to group B on the c global cables between A and B (the pair's link);
///   a shift pattern from one group to another gets c cables, not the group's c (g - 1);
/// - `valiant`: each connection through an intermediate group I drawn by a seeded hash (Valiant's randomized
///   routing: A to I, then I to B): two global hops, every pair link loaded evenly whatever the pattern.
/// - `ugal`: each connection minimal unless its direct global link already carries more than twice the connections
///   of the least-loaded Valiant detour (the busier of its two hops), counting the connections routed before
///   (UGAL-G with placed connections as the queue estimate; a pair's route is chosen when the pair first talks
///   and kept until its job ends, routed_zone.hpp).
/// `ideal` (simgrid_platform.hpp) keeps each group's global cables as one aggregated link: perfect spreading.
///
/// The machinery is routed_zone.hpp's (one flat zone, K = nics x connections_per_nic connections per server flow,
/// links at K x their bandwidth, repeats as max-min weights). Links: "server-<s>-nics" (the server's NICs),
/// "global-<a>-<b>" for each pair of groups a < b (its c cables as one link, _UP from a to b), "frontend-link".
/// Inside a group the routers are taken as one non-blocking switch, as in the ideal platform (adaptive routing
/// spreads a router pair's traffic over the a - 1 local links); the c cables of a pair as one link (spread evenly
/// over the routers that hold them). The frontend hangs above the groups: a server's connections reach it over
/// the server's link. One group: no global link.

#include "topologies/dragonfly.hpp"
#include "topologies/routed_fat_tree.hpp"
#include "topologies/simgrid_platform.hpp"

namespace clustersim {

/// The dragonfly as one flat zone, routed by `routing` (mode minimal, valiant or ugal). Builds inside the running
/// engine, which must have no platform yet.
Platform instantiate_routed_platform(const Dragonfly& fly, const PlatformParams& params, const FabricRouting& routing);

}  // namespace clustersim
