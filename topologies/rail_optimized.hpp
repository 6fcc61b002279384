#pragma once
/// @file
/// Rail-optimized fat-trees (DGX SuperPOD, Alibaba HPN): servers come in scalable units (SU) of
/// su_servers; NIC k of every server of an SU is cabled to rail leaf k of that SU, so an SU has
/// nics_per_server rail leaves ("rails"). Above the leaves the fabric is the fat-tree of fat_tree.hpp
/// (2 tiers: leaves to spines; 3 tiers: pods of leaves and spines, then cores), with the same port split
/// and oversubscription per tier. It is a FatTree built with FatTreeParams::su_servers > 0.
///
/// Semantics (k = radix, d/u = leaf down/up ports from split_ports):
/// - rails = nics_per_server; each rail leaf gives one down port to each server of its SU, so
///   su_servers <= d (TopologyError otherwise, key "su_servers"); servers_per_leaf = su_servers.
/// - SUs = ceil(servers / su_servers) (only the last may be partly filled); leaves = SUs x rails, leaf
///   index = su x rails + rail; server s is in SU s / su_servers.
/// - One SU: the rail leaves alone (no spines); same-rail traffic never leaves a rail leaf and
///   cross-rail traffic inside a server goes over NVLink (PXN), so the SU is complete. Diameter 1.
/// - 2 tiers: as the fat-tree (every leaf reaches every spine: leaves <= k, i.e. SUs <= k / rails).
/// - 3 tiers: a pod holds whole SUs: leaves_per_pod = floor(sd / rails) x rails (TopologyError when a
///   spine has fewer down ports than rails). spines_per_pod = u, cores as the fat-tree.
/// - Graph: one edge of one cable per (server, rail leaf); inventory, checks and bisection as fat_tree.hpp.
///   Switch hops: 1 inside an SU (same rail), 3 inside a pod, 5 across pods.
///
/// SimGrid (simgrid_platform.hpp): one host per server, its NICs aggregated, so an SU is one star zone
/// "su-<i>" whose hosts reach each other at full server bandwidth (nics_per_server x link_bps: same-rail
/// traffic stays in the rail leaves; cross-rail traffic in a real server crosses NVLink first, PXN) and
/// whose aggregated uplink "su-<i>-up" = rails x leaf uplinks x link_bps (the sum of its rail leaves'
/// uplinks). Per-rail imbalance (one rail busier than another) is not modelled.

#include <memory>

#include "topologies/fat_tree.hpp"

namespace clustersim {

/// Builds a rail-optimized fat-tree: `params` with su_servers = `su_servers` (> 0).
FatTree build_rail_optimized(FatTreeParams params, int su_servers);

/// `params` with su_servers = `su_servers`; TopologyError (key fabric.su_servers) when it is below 1.
FatTreeParams rail_optimized_params(FatTreeParams params, int su_servers);

/// The leaf layer of a rail-optimized fat-tree (used by build_fat_tree when params.su_servers > 0):
/// sets leaves_per_group = rails and servers_per_leaf = su_servers after checking them against the leaf
/// down ports t.leaf_down_ports. Throws TopologyError.
void size_rail_leaves(FatTree& t);

/// The "rail-optimized" registry entry (topology_registry.hpp).
std::unique_ptr<Topology> rail_optimized_topology();

}  // namespace clustersim
