#pragma once
/// @file
/// The `workload.training` kind: every training job of the experiment as a TrainingJobRuntime
/// (sim/engine/training_job) with one power group per job. Without a scheduler (scheduler.policy none) each job
/// holds whole servers in file order from t = 0; with one, the jobs take no servers at placement and a
/// JobScheduler (sim/engine/job_scheduler) hands them the servers the other workloads left, over time.

#include <memory>
#include <vector>

#include "sim/engine/job_scheduler.hpp"
#include "sim/engine/training_job.hpp"
#include "sim/engine/workload.hpp"

namespace clustersim {

class TrainingWorkload : public Workload {
 public:
  static constexpr const char* kName = "training";

  TrainingWorkload(std::vector<TrainingJobSpec> jobs, SchedulerSpec scheduler)
      : specs_(std::move(jobs)), scheduler_spec_(scheduler) {}

  const char* kind() const override { return kName; }

  void place(SiteAllocator& servers) override;
  void launch(const WorkloadContext& context) override;
  void append_results(ResultsInputs& in) override;

  /// Per job, its server ids (after place()).
  const std::vector<std::vector<int>>& job_servers() const { return job_servers_; }

  /// The launched jobs (after launch()).
  const std::vector<std::unique_ptr<TrainingJobRuntime>>& jobs() const { return jobs_; }

 private:
  bool scheduled() const { return scheduler_spec_.policy != SchedulerKind::kNone; }

  std::vector<TrainingJobSpec> specs_;
  SchedulerSpec scheduler_spec_;
  std::unique_ptr<JobScheduler> scheduler_;
  FailurePlan plan_;  ///< failures to replay (inactive without failures)
  std::vector<std::vector<int>> job_servers_;
  std::vector<std::unique_ptr<TrainingJobRuntime>> jobs_;
};

/// The registry's factory: the training jobs of `spec`, or null when it has none.
std::unique_ptr<Workload> make_training_workload(const ExperimentSpec& spec);

}  // namespace clustersim
