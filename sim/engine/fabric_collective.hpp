#pragma once
/// @file
/// One fabric phase of a training job (an entry of job.estimate.fabric) as collectives over the job's servers
/// (sim/collectives), so that every byte a training job puts on the fabric takes the one path:
///
/// | pattern | what | collective |
/// |---|---|---|
/// | kRing | DP gradients | all-reduce per lane of servers rank % stride (DpAllReduce) |
/// | kNext | pipeline sends | shift per lane: server rank sends to rank + stride |
/// | kAllToAll | expert dispatch and combine | all-to-all per block of `group` servers at the stride |
///
/// A call includes its latency terms (alpha), so the engine drops the phase's analytic latency_s when the
/// phase runs as a collective. Servers outside every group (past the last whole block) take no part.

#include <memory>
#include <vector>

#include "sim/collectives/collective.hpp"
#include "sim/engine/dp_allreduce.hpp"
#include "sim/engine/training_job.hpp"

namespace clustersim {

class FabricCollective {
 public:
  /// The groups of `phase` over job.servers; `phase_index` (the phase's position in the estimate) keeps the
  /// group names, and so the mailboxes, unique.
  FabricCollective(const TrainingJobRuntime& job, const FabricPhase& phase, int phase_index);

  /// True when nothing crosses the fabric (every group has fewer than two servers, or no bytes).
  bool empty() const { return dp_ == nullptr && groups_.empty(); }

  /// Runs one call of the phase from the actor of job server `rank`. Every server of the job calls it, and
  /// synchronizes with the others after it (the groups are caller_synchronizes); the returned trailing
  /// analytic time (latency terms) is the same for every server and is applied once, after that barrier.
  double run(int rank);

  /// Drops the sends of the last call once every server is past it (CollectiveGroup::release_unwaited).
  void release_unwaited();

  /// The groups of a kNext or kAllToAll phase (empty for kRing, which runs as DpAllReduce).
  const std::vector<CollectiveGroup>& groups() const { return groups_; }

 private:
  FlowPattern pattern_;
  std::shared_ptr<DpAllReduce> dp_;
  std::vector<CollectiveGroup> groups_;
  std::vector<int> group_of_;  ///< per job rank: its group, -1 when it takes no part
  std::vector<int> index_of_;  ///< per job rank: its index in that group
  double bytes_ = 0;           ///< kNext: bytes of the one flow; kAllToAll: bytes per rank (nccl-tests)
};

/// One entry per phase of job.estimate.fabric: its collective, or null when nothing crosses the fabric.
std::vector<std::shared_ptr<FabricCollective>> make_fabric_collectives(const TrainingJobRuntime& job);

}  // namespace clustersim
