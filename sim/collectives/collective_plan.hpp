#pragma once
/// @file
/// The cost decomposition of one collective call as seen by one server (the table in collective.hpp):
/// bytes over the fabric, analytic intra-server phases and latency. Pure arithmetic, no SimGrid.

#include "sim/collectives/collective.hpp"

namespace clustersim {

struct CollectivePlan {
  CollectiveAlgo algorithm = CollectiveAlgo::kRing;  ///< what actually runs (tree asked for a non all-reduce: ring)
  double wire_bytes = 0;      ///< W: bytes one server sends over the fabric in total (all phases)
  double intra_before_s = 0;  ///< analytic intra-server phase before the network (reduce-scatter)
  double intra_after_s = 0;   ///< analytic intra-server phase after the network (all-gather)
  double latency_s = 0;       ///< analytic alpha terms
  double analytic_s() const { return intra_before_s + intra_after_s + latency_s; }
  /// Closed-form time when each server injects at `server_bandwidth_Bps` with no contention.
  double ideal_time_s(double server_bandwidth_Bps) const;
};

/// Plans `op` with `algo` (not kAuto) for a group of `servers` servers described by `p` (its server list is
/// not read). all-to-all always plans kDirect.
CollectivePlan plan_collective(const CollectiveGroupParams& p, int servers, CollectiveOp op, CollectiveAlgo algo,
                               double bytes_per_rank);

/// ceil(log2 n) for n >= 1 (the depth term of the tree latency).
int ceil_log2(int n);

}  // namespace clustersim
