#include "sim/engine/dp_allreduce.hpp"

#include <xbt/log.h>

#include <algorithm>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(cs_dp_allreduce, clustersim, "data-parallel gradient all-reduce of a training job");

namespace clustersim {

DpAllReduce::DpAllReduce(const TrainingJobRuntime& job, const FabricPhase& phase) {
  const int n = static_cast<int>(job.servers.size());
  stride_ = std::max(1, phase.stride);
  servers_per_group_ = std::min(std::max(1, phase.group), n / stride_);
  span_ = stride_ * servers_per_group_;
  if (servers_per_group_ < 2 || phase.bytes_per_server <= 0) return;
  XBT_DEBUG("job '%s': DP all-reduce over %d groups of %d servers", job.spec.name.c_str(), stride_, servers_per_group_);
  const int rails = std::max(1, job.estimate.dp_rings_per_server);
  const int shard = job.spec.dp * job.spec.cp;
  int per_server = shard % servers_per_group_ == 0 ? shard / servers_per_group_ : 1;
  if (rails * per_server > job.gpus_per_server_used) per_server = 1;
  CollectiveGroupParams p;
  p.ranks_per_server = rails * per_server;
  p.communicator_gpus_per_server = per_server;
  p.alpha_s = job.calibration.network_alpha_s;
  p.caller_synchronizes = true;  // the job's barrier follows every call (training_job.cpp)
  p.mirror_tree_broadcast = !job.spec.exact_tree_broadcast;
  // Ring volume per server = rails x 2(r-1)/r x bytes, r = ranks of one communicator.
  const double ranks = static_cast<double>(servers_per_group_) * per_server;
  bytes_per_rank_ = phase.bytes_per_server / (rails * 2.0 * (ranks - 1) / ranks);
  for (int block = 0; block + span_ <= n; block += span_)  // one block per pipeline stage (tp-cp-dp-pp), else one
    for (int lane = 0; lane < stride_; ++lane) {
      p.name = job.spec.name + "#dp" + std::to_string(block + lane);
      p.servers.clear();
      for (int i = 0; i < servers_per_group_; ++i) p.servers.push_back(job.servers[block + lane + i * stride_]);
      groups_.emplace_back(p);
    }
  CollectiveGroup::share_phase_rates(groups_);  // the lanes reduce together
}

CollectiveTiming DpAllReduce::run(int rank) {
  const size_t group = static_cast<size_t>(rank / span_) * stride_ + rank % stride_;
  if (empty() || group >= groups_.size()) return {};
  return groups_[group].run(rank % span_ / stride_, CollectiveOp::kAllReduce, bytes_per_rank_);
}

}  // namespace clustersim
