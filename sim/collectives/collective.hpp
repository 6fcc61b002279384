#pragma once
/// @file
/// Collectives over servers (SPMD: the actor of every participating server calls in with the same
/// arguments). Inside a server (the scale-up domain: NVLink/NVSwitch) the cost is analytic (alpha-beta);
/// between servers each phase is issued as concurrent SimGrid flows, one per server and phase (a ring
/// all-reduce over N servers is one phase of N flows carrying 2(N-1)/N of the buffer, not 2(N-1) steps),
/// so contention with other jobs on the same links is real; latency terms (alpha per step) are analytic.
/// The algorithm (ring, tree, hierarchical) is chosen by message size and group size as NCCL does, or forced.

#include <simgrid/s4u.hpp>
#include <string>
#include <vector>

namespace clustersim {

enum class CollectiveOp { kAllReduce, kReduceScatter, kAllGather, kAllToAll };
enum class CollectiveAlgo { kAuto, kRing, kTree, kHierarchical };

const char* collective_op_name(CollectiveOp op);
const char* collective_algo_name(CollectiveAlgo a);

struct CollectiveGroupParams {
  std::string name;                           ///< unique among groups: mailbox names derive from it
  std::vector<simgrid::s4u::Host*> servers;   ///< participants, in ring order
  int ranks_per_server = 1;                   ///< GPUs of each server taking part (they share its NICs)
  double scaleup_bandwidth_Bps = 450e9;       ///< per GPU per direction inside a server
  double alpha_s = 5e-6;                      ///< per inter-server step latency
  double scaleup_alpha_s = 2e-6;              ///< per intra-server step latency
};

/// The result of one collective as seen by one server.
struct CollectiveTiming {
  double total_s = 0;        ///< from the call to the return
  double network_s = 0;      ///< simulated inter-server flow phases
  double analytic_s = 0;     ///< intra-server phases and latency terms
  CollectiveAlgo algorithm = CollectiveAlgo::kRing;
};

class CollectiveGroup {
public:
  explicit CollectiveGroup(CollectiveGroupParams params);

  /// Runs `op` on `bytes_per_rank` (the buffer each GPU holds, as NCCL's count x type size) from the actor of
  /// server `index`. Every server of the group must call it. Blocks this actor until its part is done.
  CollectiveTiming run(int index, CollectiveOp op, double bytes_per_rank, CollectiveAlgo algo = CollectiveAlgo::kAuto);

  /// Point-to-point: server `from` sends `bytes` to server `to` (both actors call it: the sender with
  /// index == from, the receiver with index == to). For pipeline-parallel activations.
  double send_recv(int index, int from, int to, double bytes);

  /// The algorithm kAuto picks for this op and size.
  CollectiveAlgo choose(CollectiveOp op, double bytes_per_rank) const;

  /// Closed-form time on an idle, non-blocking fabric where each server injects at `server_bandwidth_Bps`
  /// (the bus-bandwidth formulas of nccl-tests): used by tests and for analytic estimates.
  double ideal_time_s(CollectiveOp op, double bytes_per_rank, double server_bandwidth_Bps,
                      CollectiveAlgo algo = CollectiveAlgo::kAuto) const;

  int size() const { return static_cast<int>(params_.servers.size()); }
  const CollectiveGroupParams& params() const { return params_; }

private:
  CollectiveGroupParams params_;
};

}  // namespace clustersim
