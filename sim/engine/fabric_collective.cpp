#include "sim/engine/fabric_collective.hpp"

#include <xbt/log.h>

#include <algorithm>
#include <string>

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(cs_fabric_collective, clustersim, "training fabric phases as collectives");

namespace clustersim {

FabricCollective::FabricCollective(const TrainingJobRuntime& job, const FabricPhase& phase, int phase_index)
    : pattern_(phase.pattern) {
  const int n = static_cast<int>(job.servers.size());
  group_of_.assign(n, -1);
  index_of_.assign(n, 0);
  if (phase.bytes_per_server <= 0) return;
  if (phase.pattern == FlowPattern::kRing) {
    auto dp = std::make_shared<DpAllReduce>(job, phase);
    if (!dp->empty()) dp_ = dp;
    return;
  }
  CollectiveGroupParams p;
  p.alpha_s = job.calibration.network_alpha_s;
  p.caller_synchronizes = true;
  const int s = std::max(1, phase.stride);
  const std::string base =
      job.spec.name + (phase.pattern == FlowPattern::kNext ? "#pp" : "#ep") + std::to_string(phase_index);
  auto add_group = [&](const std::string& name, const std::vector<int>& ranks) {
    p.name = name;
    p.servers.clear();
    for (size_t i = 0; i < ranks.size(); ++i) {
      p.servers.push_back(job.servers[ranks[i]]);
      group_of_[ranks[i]] = static_cast<int>(groups_.size());
      index_of_[ranks[i]] = static_cast<int>(i);
    }
    groups_.emplace_back(p);
  };
  if (phase.pattern == FlowPattern::kNext) {
    bytes_ = phase.bytes_per_server;
    for (int lane = 0; lane < std::min(s, n); ++lane) {
      std::vector<int> ranks;
      for (int r = lane; r < n; r += s) ranks.push_back(r);
      if (ranks.size() >= 2) add_group(base + "#" + std::to_string(lane), ranks);
    }
    CollectiveGroup::share_phase_rates(groups_);  // the lanes send together
    return;
  }
  // kAllToAll: blocks of g x stride servers; in each, lane l holds the servers block + k stride + l.
  const int g = std::max(1, std::min(phase.group, n / s));
  if (g <= 1) return;
  bytes_ = phase.bytes_per_server * g / (g - 1.0);  // one rank per server: W = (g-1)/g x bytes per rank
  const int span = s * g;
  for (int block = 0; block + span <= n; block += span)
    for (int lane = 0; lane < s; ++lane) {
      std::vector<int> ranks;
      for (int k = 0; k < g; ++k) ranks.push_back(block + k * s + lane);
      add_group(base + "#" + std::to_string(block) + "#" + std::to_string(lane), ranks);
    }
  CollectiveGroup::share_phase_rates(groups_);  // every block and lane exchanges together
}

double FabricCollective::run(int rank) {
  if (dp_ != nullptr) return dp_->run(rank).deferred_s;
  const int group = group_of_.at(rank);
  if (group < 0) return 0;
  if (pattern_ == FlowPattern::kNext) {
    groups_[group].shift(index_of_[rank], bytes_);
    return groups_[group].params().alpha_s;  // the shift's alpha, left to the caller
  }
  return groups_[group].run(index_of_[rank], CollectiveOp::kAllToAll, bytes_).deferred_s;
}

void FabricCollective::release_unwaited() {
  if (dp_ != nullptr) dp_->release_unwaited();
  for (auto& g : groups_) g.release_unwaited();
}

std::vector<std::shared_ptr<FabricCollective>> make_fabric_collectives(const TrainingJobRuntime& job) {
  std::vector<std::shared_ptr<FabricCollective>> out;
  for (size_t k = 0; k < job.estimate.fabric.size(); ++k) {
    auto c = std::make_shared<FabricCollective>(job, job.estimate.fabric[k], static_cast<int>(k));
    out.push_back(c->empty() ? nullptr : c);
  }
  XBT_VERB("job '%s': %zu fabric phases as collectives", job.spec.name.c_str(), out.size());
  return out;
}

}  // namespace clustersim
