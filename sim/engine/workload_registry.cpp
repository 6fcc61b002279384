#include "sim/engine/workload_registry.hpp"

#include "sim/engine/workloads/inference_workload.hpp"
#include "sim/engine/workloads/training_workload.hpp"

namespace clustersim {

const std::vector<WorkloadKind>& workload_kinds() {
  static const std::vector<WorkloadKind> kinds = {
      {"training", "training jobs: data/tensor/pipeline/context/expert-parallel steps on whole servers",
       make_training_workload},
      {"inference", "inference services: a router and replicas with continuous batching, optionally disaggregated",
       make_inference_workload},
  };
  return kinds;
}

const WorkloadKind* find_workload_kind(const std::string& name) {
  for (const auto& k : workload_kinds())
    if (name == k.name) return &k;
  return nullptr;
}

std::vector<std::unique_ptr<Workload>> make_workloads(const ExperimentSpec& spec) {
  std::vector<std::unique_ptr<Workload>> out;
  for (const auto& k : workload_kinds())
    if (auto w = k.make(spec)) out.push_back(std::move(w));
  return out;
}

}  // namespace clustersim
