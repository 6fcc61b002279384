#pragma once
/// @file
/// Dragonfly fabrics (Kim et al., ISCA 2008) as a Boost.Graph graph: built, checked, analysed and counted
/// like the fat-tree (fat_tree.hpp), and instantiated in SimGrid.
///
/// Semantics (k = radix, every port and cable at link_bps; sp servers per router, p = sp x nics_per_server
/// terminal ports per router, a routers per group, h global links per router, g groups):
/// - **Router ports.** p + (a - 1) + h <= k (terminal cables, one local cable to each other router of the
///   group, h global cables); TopologyError otherwise ("radix").
/// - **Defaults** (any value left 0): balanced a = 2p = 2h. sp = max(1, floor(floor((k + 1) / 4) / nics)),
///   the most servers that keep 4p - 1 <= k (k = 64, 8 NICs: p_max = 16, sp = 2, p = 16, a = 32, h = 16);
///   when a and h are both given, sp = floor((k - (a - 1) - h) / nics). a = 2p, h = p, and
///   g = ceil(servers / (a sp)).
/// - **Servers** fill routers in order (server s on router s / sp; router r in group r / a). Every group has
///   all its a routers even when the last ones hold no server (given groups: servers <= g a sp).
/// - **Global links.** Every pair of groups gets c = floor(a h / (g - 1)) parallel cables (at least one:
///   g <= a h + 1, else TopologyError "dragonfly.groups"); a h - c (g - 1) global ports per group stay
///   unused. The cables of a group are dealt round-robin over its routers in peer order (cable m to peer
///   group j uses global slot q = index(j) c + m on router q mod a, index(j) = the rank of j among the
///   other groups), so a router carries at most ceil(c (g - 1) / a) <= h of them.
/// - **Graph.** Vertices: servers 0..S-1, then routers (vertex S + r; TopoNode role kRouter, pod = group).
///   Edge tiers: 1 server-router (nics_per_server cables), 2 local, 3 global; parallel cables aggregated.
/// - **Inventory.** Switch tier "router"; link tiers "server-router", "local", "global"; 2 transceiver ends
///   per cable. Bisection bandwidth: the cut between the first floor(g/2) groups and the rest crosses
///   floor(g/2) ceil(g/2) c global cables (one group: the cut through its routers crosses
///   floor(a/2) ceil(a/2) local cables), at most half the server-router capacity; one direction.
/// - **Hops** (routers crossed on a minimal route): 1 same router, 2 same group, 2 to 4 across groups
///   (2 when the two routers share a global cable, 3 when one of them has a global cable to the other's
///   group, 4 otherwise). Diameter and mean over ordered pairs of distinct servers follow exactly.

#include <memory>
#include <string>
#include <vector>

#include "topologies/fat_tree.hpp"

namespace clustersim {

struct DragonflyParams {
  int servers = 0;
  int nics_per_server = 8;          ///< terminal cables per server, all to its router
  double link_bps = 400e9;          ///< every cable, bit/s
  int radix = 64;                   ///< router ports at link_bps
  int servers_per_router = 0;       ///< sp; 0 = derived (see the file comment)
  int routers_per_group = 0;        ///< a; 0 = 2p
  int global_links_per_router = 0;  ///< h; 0 = p
  int groups = 0;                   ///< g; 0 = just enough for the servers
  double hop_latency_s = 1e-6;      ///< per router hop
};

/// A built dragonfly: resolved parameters (no zeros left), graph and inventory.
struct Dragonfly {
  DragonflyParams params;
  int terminal_ports = 0;                 ///< p = servers_per_router x nics_per_server
  int global_cables_per_pair = 0;         ///< c (0 with one group)
  std::vector<int> router_global_cables;  ///< per router: global cables it carries
  TopologyGraph graph;
  FabricInventory inventory;

  int routers() const { return params.groups * params.routers_per_group; }

  int router_of(int server) const { return server / params.servers_per_router; }

  int group_of_router(int router) const { return router / params.routers_per_group; }

  int group_of(int server) const { return group_of_router(router_of(server)); }

  /// Servers on a router / in a group (fewer, maybe 0, at the end).
  int servers_on_router(int router) const;
  int servers_in_group(int group) const;

  int router_vertex(int router) const { return params.servers + router; }
};

/// The parameters with every 0 replaced by its default; throws TopologyError when they are impossible.
DragonflyParams resolve_dragonfly_params(const DragonflyParams& params);

/// Builds and checks a dragonfly. Throws TopologyError when the parameters are impossible.
Dragonfly build_dragonfly(const DragonflyParams& params);

/// Re-checks the graph: connected, router ports within the radix (terminal, local and global ports each
/// within p, a - 1 and h), every server with nics_per_server cables, edge bandwidth = cables x link_bps.
/// Returns problems (empty = fine).
std::vector<std::string> check_dragonfly(const Dragonfly& fly);

/// The "dragonfly" registry entry (topology_registry.hpp); dragonfly_topology.cpp.
std::unique_ptr<Topology> dragonfly_topology();

}  // namespace clustersim
