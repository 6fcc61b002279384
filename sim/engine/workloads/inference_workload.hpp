#pragma once
/// @file
/// The `workload.inference` kind: every inference service of the experiment as an InferenceServiceRuntime
/// (sim/engine/service_builder, sim/engine/inference_service). Replicas are packed onto servers after the
/// workloads placed before; a disaggregated service's decode pool starts on a new server. Service k draws its
/// arrivals from a seed derived from the experiment's seed and k.

#include <cstdint>
#include <memory>
#include <vector>

#include "sim/engine/inference_service.hpp"
#include "sim/engine/workload.hpp"

namespace clustersim {

class InferenceWorkload : public Workload {
 public:
  static constexpr const char* kName = "inference";

  explicit InferenceWorkload(std::vector<InferenceServiceSpec> services) : specs_(std::move(services)) {}

  const char* kind() const override { return kName; }

  void place(SiteAllocator& servers) override;
  void launch(const WorkloadContext& context) override;
  void append_results(ResultsInputs& in) override;

  /// Per service, one slot per replica (after place()).
  const std::vector<std::vector<ReplicaSlot>>& replica_slots() const { return slots_; }

  /// The launched services (after launch()).
  const std::vector<std::unique_ptr<InferenceServiceRuntime>>& services() const { return services_; }

 private:
  std::vector<InferenceServiceSpec> specs_;
  std::vector<std::vector<ReplicaSlot>> slots_;
  std::vector<std::unique_ptr<InferenceServiceRuntime>> services_;
};

/// The seed of service `index` of an experiment seeded with `seed`.
uint64_t service_seed(uint64_t seed, size_t index);

/// The registry's factory: the inference services of `spec`, or null when it has none.
std::unique_ptr<Workload> make_inference_workload(const ExperimentSpec& spec);

}  // namespace clustersim
