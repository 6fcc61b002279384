#pragma once
/// @file
/// Fat-tree fabrics (2 and 3 tiers, any switch radix, oversubscription per tier) as a Boost.Graph
/// graph: built, checked (connected, ports within radix, no dangling links), analysed (bisection
/// bandwidth, diameter in switch hops) and counted (switches per tier, cables and transceiver ends
/// per link tier). One vertex per server (its NICs aggregated into parallel cables), one per switch.
///
/// Semantics (k = radix, every port and cable at link_bps):
/// - **Port split** of a switch with oversubscription r >= 1 (split_ports): down ports
///   d = floor(k r / (1 + r)) (the most down ports the ratio allows), up ports u = ceil(d / r) (the fewest
///   uplinks that keep d/u <= r). So d + u <= k and d/u = r whenever integers allow it:
///   k=64 1:1 -> 32/32, 3:1 -> 48/16, 2:1 -> 42/21; 1.5:1 -> 38/26 (achieved 1.46:1, never worse than asked).
/// - **Leaves.** A server puts all its nics_per_server cables on one leaf (su_servers = 0; with
///   su_servers > 0 the fabric is rail-optimized instead: see rail_optimized.hpp for how the leaf layer
///   changes; everything above the leaves is the same):
///   servers_per_leaf = floor(d / nics_per_server) (error if nics_per_server > d);
///   leaves = ceil(servers / servers_per_leaf). Servers fill leaves in order (server s on leaf
///   s / servers_per_leaf); only the last leaf may be partly filled.
/// - **Groups.** Servers come in groups that share their leaves: a group is one leaf here (leaves_per_group
///   = 1), a scalable unit of nics_per_server rail leaves when rail-optimized.
/// - **One group.** When every server fits in one group the fabric is that group's leaves alone: no
///   spines, no cores, diameter 1, whatever `tiers` says.
/// - **2 tiers** (leaf-spine): every leaf cables its u uplinks; spines = ceil(leaves u / k). Uplink cables
///   are dealt round-robin in leaf order (cable t of leaf l goes to spine (l u + t) mod spines), so a
///   (leaf, spine) pair carries floor or ceil of u / spines cables and spine loads differ by at most one.
///   Capacity rule: every leaf must reach every spine, i.e. spines <= u, which holds iff leaves <= k;
///   beyond k leaves (k x servers_per_leaf servers) TopologyError, hint "use tiers: 3 or a larger radix".
/// - **3 tiers** (pods): spine port split sd/su from spine_oversubscription; leaves_per_pod = sd (each spine
///   reaches every leaf of its pod with one cable), spines_per_pod = u (one cable from each leaf to each
///   spine of its pod); pods = ceil(leaves / leaves_per_pod). Each spine cables its su uplinks to the cores;
///   cores = ceil(pods u su / k), cables dealt round-robin in (pod, spine) order as for 2 tiers.
///   Capacity rule: every core must reach every pod (a core has at least one port per pod), which holds
///   iff pods <= k; beyond k x leaves_per_pod x servers_per_leaf servers TopologyError, hint "use a larger
///   radix or oversubscription". One pod needs no cores (cores = 0, spine uplinks left uncabled).
/// - **Partly filled leaf or pod.** Uplinks are provisioned whole per switch: a leaf cables all u uplinks
///   and a spine all su uplinks (when cores exist) however full they are; down ports count only when
///   something is attached (a server to a leaf, an existing leaf to a spine). The last pod still has
///   spines_per_pod spines. ports_used and cables count exactly these.
/// - **Graph.** Vertices in order: servers 0..S-1 (vertex = server id), leaves, spines (pod-major:
///   pod p, local spine j -> spine index p spines_per_pod + j), cores. One edge per connected pair with
///   `cables` parallel cables and bandwidth_bps = cables x link_bps.
/// - **Inventory.** Switch tiers "leaf", "spine"[, "core"] and link tiers "server-leaf", "leaf-spine"
///   [, "spine-core"] as many as `tiers` (zero counts when a tier is not needed). Transceiver ends = 2 per
///   cable. Bisection bandwidth = min over link tiers that have cables of half that tier's total
///   capacity, one direction (the cut through the middle of a tier crosses half its cables; switches are
///   non-blocking). Diameter in switches crossed: 1 (one leaf), 3 (leaf-spine-leaf; also 3 tiers with one
///   pod), 5 (leaf-spine-core-spine-leaf). Mean hop count: the switches crossed averaged over all ordered
///   pairs of distinct servers (1 inside a group, 3 inside a pod or a 2-tier fabric, 5 across pods).

#include <boost/graph/adjacency_list.hpp>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "spec/fabric_inventory.hpp"

namespace clustersim {

/// Raised for a fabric that cannot be built (impossible radix or oversubscription, too many servers
/// for the tiers). `what()` says what is wrong; `hint()` what would work.
class TopologyError : public std::invalid_argument {
 public:
  /// `key`: the experiment key most to blame ("fabric.radix", "fabric.su_servers",
  /// "fabric.dragonfly.groups"); "" when no single key is.
  TopologyError(const std::string& what, std::string hint, std::string key = "")
      : std::invalid_argument(what), hint_(std::move(hint)), key_(std::move(key)) {}

  const std::string& hint() const { return hint_; }

  const std::string& key() const { return key_; }

 private:
  std::string hint_;
  std::string key_;
};

/// Inputs of the fat-tree builder (from FabricSpec + ClusterSpec + the switch model).
struct FatTreeParams {
  int servers = 0;
  int nics_per_server = 8;            ///< each NIC is one cable to a leaf switch
  double link_bps = 400e9;            ///< every cable, bit/s
  int radix = 64;                     ///< switch ports at link_bps
  int tiers = 2;                      ///< 2 (leaf-spine) or 3 (leaf-spine-core, spines grouped in pods)
  double leaf_oversubscription = 1;   ///< leaf down ports : up ports
  double spine_oversubscription = 1;  ///< spine down : up (3 tiers only)
  double hop_latency_s = 1e-6;        ///< per switch hop
  int su_servers = 0;                 ///< 0: plain fat-tree; > 0: rail-optimized, servers per scalable unit
};

/// Vertex roles; a link joins two consecutive roles of the fat-tree order (kRouter: dragonfly only).
enum class NodeRole { kServer, kLeaf, kSpine, kCore, kRouter };

struct TopoNode {
  NodeRole role = NodeRole::kServer;
  int index = 0;  ///< index within its role
  int pod = 0;    ///< pod (3 tiers), dragonfly group, or 0
};

struct TopoEdge {
  int tier = 1;              ///< 1 server-leaf, 2 leaf-spine, 3 spine-core (dragonfly: dragonfly.hpp)
  int cables = 1;            ///< parallel cables aggregated in this edge
  double bandwidth_bps = 0;  ///< cables x link_bps
};

using TopologyGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, TopoNode, TopoEdge>;

/// Down/up port split of one switch (see the file comment).
struct PortSplit {
  int down = 0;
  int up = 0;
};

/// Splits `radix` ports for oversubscription `ratio` (>= 1): down = floor(k r/(1+r)), up = ceil(down/r).
/// Throws TopologyError for ratio < 1 or radix < 2.
PortSplit split_ports(int radix, double ratio);

/// A built fat-tree: its structure, graph and inventory.
struct FatTree {
  FatTreeParams params;
  int servers_per_leaf = 0;  ///< servers attached to each leaf (the last group's leaves may hold fewer)
  int leaves_per_group = 1;  ///< 1; rail-optimized: nics_per_server rail leaves per scalable unit
  int leaves = 0;
  int leaf_down_ports = 0;  ///< d: server-facing ports per leaf (split_ports)
  int leaf_uplinks = 0;     ///< uplink cables per leaf (u; 0 for a one-leaf fabric)
  int leaves_per_pod = 0;   ///< 3 tiers: leaves in a pod; 2 tiers: = leaves
  int pods = 1;
  int spines_per_pod = 0;    ///< 2 tiers: all spines
  int spine_down_ports = 0;  ///< sd (3 tiers)
  int spine_uplinks = 0;     ///< uplink cables per spine (su; 3 tiers with cores, else 0)
  int cores = 0;
  TopologyGraph graph;
  FabricInventory inventory;

  /// The group of a server (its leaf; rail-optimized: its scalable unit), and the number of groups.
  int group_of(int server) const { return server / servers_per_leaf; }

  int groups() const { return leaves / leaves_per_group; }

  /// The leaf of a server (rail-optimized: the leaf of its first rail; rail k is leaf_of(s) + k) and the
  /// pod of a leaf.
  int leaf_of(int server) const { return group_of(server) * leaves_per_group; }

  int pod_of_leaf(int leaf) const { return leaf / leaves_per_pod; }

  /// Servers on a leaf (servers_per_leaf except maybe for the last group's leaves).
  int servers_on_leaf(int leaf) const;
  /// Leaves in a pod (leaves_per_pod except maybe for the last pod).
  int leaves_in_pod(int pod) const;

  int spines() const { return pods * spines_per_pod; }

  /// Graph vertex of a switch (vertex of server s is s).
  int leaf_vertex(int leaf) const { return params.servers + leaf; }

  int spine_vertex(int spine) const { return params.servers + leaves + spine; }

  int core_vertex(int core) const { return params.servers + leaves + spines() + core; }
};

/// Builds and checks a fat-tree. Throws TopologyError when the parameters are impossible.
FatTree build_fat_tree(const FatTreeParams& params);

/// Re-checks a graph: connected, every switch within its radix, every server with exactly
/// nics_per_server cables, every switch linked below it (and above it when an upper tier exists),
/// edge bandwidth = cables x link_bps. Returns problems (empty = fine).
std::vector<std::string> check_fat_tree(const FatTree& tree);

class Topology;
class BuiltTopology;
struct FabricRouting;

/// The "fat-tree" registry entry (topology_registry.hpp); fat_tree_topology.cpp.
std::unique_ptr<Topology> fat_tree_topology();

/// Builds the fat-tree of `params` (su_servers > 0: rail-optimized) behind the BuiltTopology interface:
/// placement from the tree, SimGrid zones from instantiate_platform(const FatTree&) (routing ideal) or
/// instantiate_routed_platform (routed_fat_tree.hpp), a summary opening with `name`. Throws TopologyError.
std::unique_ptr<const BuiltTopology> fat_tree_fabric(const FatTreeParams& params, std::string name,
                                                     const FabricRouting& routing);

}  // namespace clustersim
