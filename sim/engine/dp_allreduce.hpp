#pragma once
/// @file
/// The data-parallel gradient all-reduce of a training job as collectives (sim/collectives): one
/// CollectiveGroup per block and lane of the DP ring phase (a block of stride x group servers, lane l holding
/// its servers l, l + stride, ...: one block over the job with stride = servers per model replica in rank order
/// tp-cp-pp-dp; a block per pipeline stage in tp-cp-dp-pp), each an all-reduce over the job's DP communicators that
/// leave the server (estimate dp_rings_per_server of them, aggregated into one server flow); kAuto picks ring or tree
/// by size. The size per rank is set so that the ring moves exactly the phase's bytes_per_server, which keeps the step
/// model's volume (ZeRO-3 included). When the dp x cp ranks fill whole servers (several replicas per server) the
/// communicator holds dp x cp / servers GPUs of each server, else one (rails).

#include <memory>
#include <vector>

#include "sim/collectives/collective.hpp"
#include "sim/engine/training_job.hpp"

namespace clustersim {

class DpAllReduce {
 public:
  /// Groups for `phase` (a kDp kRing phase of job.estimate.fabric) over job.servers. empty() when a lane
  /// has fewer than 2 servers.
  DpAllReduce(const TrainingJobRuntime& job, const FabricPhase& phase);

  bool empty() const { return groups_.empty(); }

  /// Runs the all-reduce from the actor of job server `rank` (every server of the job calls it; servers
  /// past the last whole group return at once). The groups are caller_synchronizes: the caller waits at a
  /// barrier after the call and applies the returned deferred_s once.
  CollectiveTiming run(int rank);

  /// CollectiveGroup::release_unwaited of every lane.
  void release_unwaited() {
    for (auto& g : groups_) g.release_unwaited();
  }

  /// Group `i`: block i / stride, lane i % stride.
  const CollectiveGroup& group(int i) const { return groups_.at(i); }
  int groups() const { return static_cast<int>(groups_.size()); }
  double bytes_per_rank() const { return bytes_per_rank_; }

 private:
  std::vector<CollectiveGroup> groups_;
  int stride_ = 1;
  int servers_per_group_ = 0;
  int span_ = 1;  ///< servers of one block (stride x servers per group): one per stage (tp-cp-dp-pp), else all
  double bytes_per_rank_ = 0;
};

}  // namespace clustersim
