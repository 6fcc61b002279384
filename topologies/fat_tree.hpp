#pragma once
/// @file
/// Fat-tree fabrics (2 and 3 tiers, any switch radix, oversubscription per tier) as a Boost.Graph
/// graph: built, checked (connected, ports within radix, no dangling links), analysed (bisection
/// bandwidth, diameter in switch hops) and counted (switches per tier, cables and transceiver ends
/// per link tier). One vertex per server (its NICs aggregated into parallel cables), one per switch.

#include <boost/graph/adjacency_list.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace clustersim {

/// Raised for a fabric that cannot be built (impossible radix or oversubscription, too many servers
/// for the tiers). `what()` says what is wrong; `hint()` what would work.
class TopologyError : public std::invalid_argument {
public:
  TopologyError(const std::string& what, std::string hint) : std::invalid_argument(what), hint_(std::move(hint)) {}
  const std::string& hint() const { return hint_; }

private:
  std::string hint_;
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
};

enum class NodeRole { kServer, kLeaf, kSpine, kCore };

struct TopoNode {
  NodeRole role = NodeRole::kServer;
  int index = 0;  ///< index within its role
  int pod = 0;    ///< pod (3 tiers) or 0
};

struct TopoEdge {
  int tier = 1;           ///< 1 server-leaf, 2 leaf-spine, 3 spine-core
  int cables = 1;         ///< parallel cables aggregated in this edge
  double bandwidth_bps = 0;  ///< cables x link_bps
};

using TopologyGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, TopoNode, TopoEdge>;

/// Counts for one switch tier.
struct SwitchTierCount {
  std::string name;   ///< "leaf", "spine", "core"
  int switches = 0;
  int ports_used = 0; ///< connected ports over all switches of the tier
};

/// Counts for one link tier.
struct LinkTierCount {
  std::string name;   ///< "server-leaf", "leaf-spine", "spine-core"
  int cables = 0;
  double link_bps = 0;
  int transceiver_ends = 0;  ///< 2 per cable (a module or port at each end)
};

struct FabricInventory {
  int servers = 0;
  int nics = 0;
  std::vector<SwitchTierCount> switch_tiers;
  std::vector<LinkTierCount> link_tiers;
  double bisection_bandwidth_bps = 0;  ///< min over balanced cuts, one direction
  int diameter_switch_hops = 0;        ///< max switches crossed between two servers
  int total_switches() const;
  int total_cables() const;
};

/// A built fat-tree: its structure, graph and inventory.
struct FatTree {
  FatTreeParams params;
  int servers_per_leaf = 0;   ///< servers attached to each leaf (the last leaf may hold fewer)
  int leaves = 0;
  int leaf_uplinks = 0;       ///< uplink cables per leaf
  int leaves_per_pod = 0;     ///< 3 tiers: leaves in a pod; 2 tiers: = leaves
  int pods = 1;
  int spines_per_pod = 0;     ///< 2 tiers: all spines
  int spine_uplinks = 0;      ///< uplink cables per spine (3 tiers)
  int cores = 0;
  TopologyGraph graph;
  FabricInventory inventory;
  /// The leaf of a server and the pod of a leaf.
  int leaf_of(int server) const { return server / servers_per_leaf; }
  int pod_of_leaf(int leaf) const { return leaf / leaves_per_pod; }
};

/// Builds and checks a fat-tree. Throws TopologyError when the parameters are impossible.
FatTree build_fat_tree(const FatTreeParams& params);

/// Re-checks a graph: connected, every switch within its radix, no dangling links. Returns problems.
std::vector<std::string> check_fat_tree(const FatTree& tree);

}  // namespace clustersim
