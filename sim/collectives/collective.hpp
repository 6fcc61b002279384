#pragma once
/// @file
/// Collectives over servers (SPMD: the actor of every participating server calls in with the same
/// arguments). Inside a server (the scale-up domain: NVLink/NVSwitch) the cost is analytic (alpha-beta);
/// between servers each phase is issued as concurrent SimGrid flows, one per server and phase (a ring
/// all-reduce over N servers is one phase of N flows carrying 2(N-1)/N of the buffer, not 2(N-1) steps),
/// so contention with other jobs on the same links is real; latency terms (alpha per step) are analytic.
/// The algorithm (ring, tree, hierarchical) is chosen by message size and group size as NCCL does, or forced.
///
/// **Who takes part.** Each server contributes `ranks_per_server` GPUs (r). They form c = r / g
/// communicators that run side by side, each holding g = `communicator_gpus_per_server` GPUs of every
/// server, so one communicator has n = N g ranks (N servers). g = 1 (the default) is the rail-aligned case
/// of data parallelism over tensor/pipeline shards: GPU j of every server forms one ring on rail j, and the r
/// rings are aggregated into one server flow. g = r is one communicator over all the GPUs of the servers.
///
/// **Sizes** follow nccl-tests: `bytes_per_rank` is the full buffer of one rank (all-reduce: the buffer;
/// reduce-scatter: the input; all-gather: the output; all-to-all: the send buffer). With B = bytes_per_rank,
/// the bytes one server sends over the fabric (and receives), W, and the analytic terms are (N > 1):
///
/// | algorithm | op | W | latency | intra-server (NVLink) |
/// |---|---|---|---|---|
/// | ring | all-reduce | c 2(n-1)/n B | 2(n-1) alpha | 0 |
/// | ring | reduce-scatter, all-gather | c (n-1)/n B | (n-1) alpha | 0 |
/// | hierarchical | all-reduce | c 2(N-1)/N B | 2(N-1) alpha | RS before + AG after |
/// | hierarchical | reduce-scatter / all-gather | c (N-1)/N B | (N-1) alpha | RS before / AG after |
/// | tree | all-reduce | 2 c B in two phases (up, down) | 2 ceil(log2 N) alpha | RS before + AG after |
/// | direct | all-to-all | c g (N-1)/N B | (N-1) alpha | (g-1)/n B / scaleup bandwidth |
///
/// where the intra-server reduce-scatter (RS) or all-gather (AG) over g GPUs costs
/// (g-1)/g B / scaleup_bandwidth + (g-1) scaleup_alpha (zero for g = 1). So for g = 1, hierarchical is the
/// ring. Tree exists for all-reduce only (NCCL): asked for another op, the ring runs. With N = 1 nothing
/// crosses the fabric: every algorithm costs its intra-server phases (all-reduce: RS + AG over g GPUs).
///
/// **Flows.** Ring: one phase, server i sends W to server i+1. Tree: NCCL's double binary tree (tree 1 =
/// NCCL's in-order binary tree, tree 2 its mirror for even N or shift for odd N; every server is interior in
/// at most one of them); up phase: every server sends cB/2 to its parent in each tree; down phase: cB/2
/// to each child in each tree; a server starts its down phase when its own up flows are done (reduce and
/// broadcast are pipelined in NCCL; with full-duplex links two phases of B/bandwidth take as long as the
/// pipelined 2B/bandwidth). All-to-all: each server sends W split evenly over the peers of
/// all_to_all_offsets (point_to_point.hpp: every other server up to kMaxAllToAllPeers + 1 servers, else
/// kMaxAllToAllPeers strided peers); the latency is one alpha per other server, as the training step model.
/// Shift (pipeline sends): server i sends to server i + 1, the last sends nothing; one flow plus alpha.
///
/// **kAuto** takes the algorithm with the smallest ideal time (ideal_time_s with the server's injection
/// bandwidth), ties to ring. For g = 1 all-reduce, tree wins below
/// B* = N bw alpha (N - 1 - ceil(log2 N)) / c (tree_ring_crossover_bytes): the ring pays 2(N-1) alpha of
/// latency, the tree 2 ceil(log2 N) alpha but moves 2B instead of 2(N-1)/N B. So tree for small messages and
/// large N, ring for large messages, as NCCL. Reduce-scatter and all-gather: ring or hierarchical.
///
/// Messages use per-server mailboxes named from the group name with Mailbox::put_async / get_async (never
/// detached sends: SIMGRID.md trap 2); at most kMaxAllToAllPeers sends and receives are outstanding per
/// actor (all-to-all), 2 and 3 for the tree, 1 and 1 for the ring and the shift.

#include <memory>
#include <simgrid/s4u.hpp>
#include <string>
#include <vector>

#include "sim/collectives/point_to_point.hpp"

namespace clustersim {

enum class CollectiveOp { kAllReduce, kReduceScatter, kAllGather, kAllToAll };
/// kDirect is the all-to-all pattern (the only algorithm of that op; kAuto picks it).
enum class CollectiveAlgo { kAuto, kRing, kTree, kHierarchical, kDirect };

const char* collective_op_name(CollectiveOp op);
const char* collective_algo_name(CollectiveAlgo a);

struct CollectiveGroupParams {
  std::string name;                          ///< unique among groups: mailbox names derive from it
  std::vector<simgrid::s4u::Host*> servers;  ///< participants, in ring order
  int ranks_per_server = 1;                  ///< GPUs of each server taking part (they share its NICs)
  int communicator_gpus_per_server = 1;      ///< g: GPUs per server in one communicator; divides ranks_per_server
  double scaleup_bandwidth_Bps = 450e9;      ///< per GPU per direction inside a server
  double alpha_s = 5e-6;                     ///< per inter-server step latency
  double scaleup_alpha_s = 2e-6;             ///< per intra-server step latency
  /// Injection bandwidth of one server for kAuto's cost model; 0: the first server's, as its platform recorded
  /// it (kServerInjectionProperty, common/host_properties.hpp), else the first link of its route to the second.
  double server_bandwidth_Bps = 0;
  /// The caller synchronizes every server of the group after each call (a barrier) and then applies the
  /// call's trailing analytic time once (CollectiveTiming::deferred_s; shift: alpha_s): run() and shift()
  /// do not sleep that tail, and do not wait for this server's last sends (ring, shift, the tree's down
  /// phase), whose receivers wait for them. The barrier then ends when the last flow of the group ends, and the
  /// tail after it, at the time it would without: a training job's phases (sim/engine) use it to save one
  /// wait per flow and one sleep per server.
  bool caller_synchronizes = false;
  /// Tree all-reduce: the broadcast (down) phase mirrors the reduce (up) phase: the same edges, the same bytes,
  /// the other direction of full-duplex links. When true only the up phase runs, each edge carrying both phases'
  /// bytes (2 x cB/2 per tree) in the child-to-parent direction: half the flows and no second, staggered phase.
  /// Exact when the fabric and the cross traffic are the same in both directions (a job alone: the same step
  /// time to ~1e-11 on the shipped examples); with cross traffic in one direction only, the phase's time is
  /// that direction's.
  bool mirror_tree_broadcast = false;
};

/// The result of one collective as seen by one server.
struct CollectiveTiming {
  double total_s = 0;     ///< from the call to the return
  double network_s = 0;   ///< simulated inter-server flow phases
  double analytic_s = 0;  ///< intra-server phases and latency terms
  double deferred_s = 0;  ///< with caller_synchronizes: the trailing analytic time the caller applies once
  CollectiveAlgo algorithm = CollectiveAlgo::kRing;
};

/// The phase-synchronous rate bounds of groups that run their phases together (share_phase_rates).
struct PhaseRateTable {
  std::vector<std::vector<simgrid::s4u::Host*>> groups;  ///< the servers of each group, in group order
  std::vector<double> rate_Bps;                          ///< per mailbox kind: 0 = not yet computed, -1 = no bound
};

class CollectiveGroup {
 public:
  /// Throws std::invalid_argument for an empty group, ranks_per_server < 1 or a g that does not divide it.
  explicit CollectiveGroup(CollectiveGroupParams params);

  /// Runs `op` on `bytes_per_rank` (the buffer each GPU holds, as NCCL's count x type size) from the actor of
  /// server `index`. Every server of the group must call it. Blocks this actor until its part is done.
  CollectiveTiming run(int index, CollectiveOp op, double bytes_per_rank, CollectiveAlgo algo = CollectiveAlgo::kAuto);

  /// Shift (pipeline-parallel sends between consecutive stages): server `index` sends `bytes` to server
  /// index + 1 (the last sends nothing) and receives from index - 1, one flow each, then alpha. Every server
  /// of the group calls it; a group of one server returns at once. Returns the time this actor spent.
  /// With caller_synchronizes the alpha is left to the caller and the send is not waited for.
  double shift(int index, double bytes);

  /// Point-to-point: server `from` sends `bytes` to server `to` (both actors call it: the sender with
  /// index == from, the receiver with index == to). For pipeline-parallel activations. One flow of `bytes`
  /// plus alpha; from == to is analytic over the scale-up bandwidth. Returns the time this actor spent.
  double send_recv(int index, int from, int to, double bytes);

  /// Phase-synchronous flows (file comment, kPhaseSynchronousProperty): `groups` run each phase together (the lanes
  /// of one data-parallel all-reduce, the pipelines of one job), so their flows share one bound per phase, that of
  /// the slowest flow of all of them. Without this each group bounds its own phases alone.
  static void share_phase_rates(std::vector<CollectiveGroup>& groups);

  /// caller_synchronizes: drops the references to the last call's sends once the caller knows they are done (its
  /// barrier passed). A kept send references its sender's actor, whose code may hold this group: without this,
  /// the actors of a run that ended would never be freed (their stacks with them).
  void release_unwaited() { unwaited_.clear(); }

  /// The algorithm kAuto picks for this op and size.
  CollectiveAlgo choose(CollectiveOp op, double bytes_per_rank) const;

  /// All-reduce bytes_per_rank below which kAuto prefers tree to ring (see the file comment); 0 when the
  /// ring always wins (N <= 2 or so).
  double tree_ring_crossover_bytes() const;

  /// Closed-form time on an idle, non-blocking fabric where each server injects at `server_bandwidth_Bps`
  /// (the bus-bandwidth formulas of nccl-tests): intra-server terms + latency + W / bandwidth.
  double ideal_time_s(CollectiveOp op, double bytes_per_rank, double server_bandwidth_Bps,
                      CollectiveAlgo algo = CollectiveAlgo::kAuto) const;

  int size() const { return static_cast<int>(params_.servers.size()); }
  const CollectiveGroupParams& params() const { return params_; }

 private:
  CollectiveAlgo choose_for(CollectiveOp op, double bytes_per_rank, double server_bandwidth_Bps) const;
  simgrid::s4u::Mailbox* mailbox(int kind, int server);
  double ring_phase(int index, double bytes);
  double tree_phases(int index, double flow_bytes);
  double direct_phase(int index, double wire_bytes);

  CollectiveGroupParams params_;
  /// caller_synchronizes: server `index`'s sends of its last call, which the receivers wait for.
  void keep_unwaited(int index, std::vector<simgrid::s4u::CommPtr> sends);
  /// Phase-synchronous platforms (kPhaseSynchronousProperty): the rate bound of every flow of the phase of mailbox
  /// kind `kind`, computed once from the routes of every group sharing the table; -1 elsewhere (no bound).
  double phase_rate_Bps(int kind);
  std::shared_ptr<PhaseRateTable> phase_rates_;  ///< null: no bound (the platform does not ask for one)

  std::vector<simgrid::s4u::Mailbox*> mailboxes_;             ///< per (kind, server), created on first use
  std::vector<std::vector<simgrid::s4u::CommPtr>> unwaited_;  ///< per server (caller_synchronizes)
};

}  // namespace clustersim
