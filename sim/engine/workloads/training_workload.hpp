#pragma once
/// @file
/// The `workload.training` kind: every training job of the experiment as a TrainingJobRuntime
/// (sim/engine/training_job), each on whole servers in file order, with one power group per job.

#include <memory>
#include <vector>

#include "sim/engine/training_job.hpp"
#include "sim/engine/workload.hpp"

namespace clustersim {

class TrainingWorkload : public Workload {
 public:
  static constexpr const char* kName = "training";

  explicit TrainingWorkload(std::vector<TrainingJobSpec> jobs) : specs_(std::move(jobs)) {}

  const char* kind() const override { return kName; }

  void place(ServerAllocator& servers) override;
  void launch(const WorkloadContext& context) override;
  void append_results(ResultsInputs& in) override;

  /// Per job, its server ids (after place()).
  const std::vector<std::vector<int>>& job_servers() const { return job_servers_; }

  /// The launched jobs (after launch()).
  const std::vector<std::unique_ptr<TrainingJobRuntime>>& jobs() const { return jobs_; }

 private:
  std::vector<TrainingJobSpec> specs_;
  std::vector<std::vector<int>> job_servers_;
  std::vector<std::unique_ptr<TrainingJobRuntime>> jobs_;
};

/// The registry's factory: the training jobs of `spec`, or null when it has none.
std::unique_ptr<Workload> make_training_workload(const ExperimentSpec& spec);

}  // namespace clustersim
