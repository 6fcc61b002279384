#include "sim/engine/workloads/training_workload.hpp"

#include <xbt/asserts.h>
#include <xbt/log.h>

#include <algorithm>

#include "sim/engine/results_builder.hpp"
#include "sim/setup/training_layout.hpp"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(cs_training_workload, clustersim, "training workload: placement and launch");

namespace clustersim {

void TrainingWorkload::place(ServerAllocator& servers) {
  job_servers_.clear();
  for (const TrainingJobSpec& js : specs_) {
    // Whole servers, so that a job's tensor-parallel groups stay inside servers.
    const int gps = std::max(1, servers.gpus_per_server());
    job_servers_.push_back(servers.whole_servers((js.gpus + gps - 1) / gps));
  }
}

void TrainingWorkload::launch(const WorkloadContext& ctx) {
  const ExperimentSpec& spec = ctx.experiment.spec;
  const Catalog& cat = ctx.experiment.catalog;
  const AcceleratorSpec& gpu = cat.accelerators.at(spec.cluster.gpu);
  xbt_assert(job_servers_.size() == specs_.size(), "internal error: %zu training jobs launched, %zu placed",
             specs_.size(), job_servers_.size());
  for (size_t j = 0; j < specs_.size(); ++j) {
    const TrainingJobSpec& js = specs_[j];
    auto job = std::make_unique<TrainingJobRuntime>();
    job->spec = js;
    job->layout = training_layout(js, spec, cat);
    job->estimate = estimate_training_step(job->layout);
    job->calibration = cat.calibration;
    for (int s : job_servers_[j]) job->servers.push_back(ctx.platform.servers.at(s));
    job->gpus_per_server_used = std::min(js.gpus, spec.cluster.gpus_per_server);
    job->core_speed_flops = gpu.peak_bf16_flops;
    job->power_group = ctx.tracker.add_group(js.gpus);
    launch_training_job(*job, ctx.tracker, ctx.end_s);
    XBT_VERB("training job '%s' launched: %d GPUs on %zu servers from server %d, starts at %g s, local step %g s",
             js.name.c_str(), js.gpus, job->servers.size(), job_servers_[j].empty() ? -1 : job_servers_[j][0],
             js.start_s, job->estimate.local_time_s());
    jobs_.push_back(std::move(job));
  }
}

void TrainingWorkload::append_results(ResultsInputs& in) {
  for (auto& j : jobs_) {
    j->stats.activity_integral = in.tracker.group_integral(j->power_group, in.end_s);
    XBT_VERB("training job '%s': %g steps done, mean step %g s, %g GPU x s of activity", j->spec.name.c_str(),
             j->stats.steps_done, j->stats.mean_step_time_s, j->stats.activity_integral);
    in.jobs.push_back(j.get());
  }
}

std::unique_ptr<Workload> make_training_workload(const ExperimentSpec& spec) {
  if (spec.training.empty()) return nullptr;
  return std::make_unique<TrainingWorkload>(spec.training);
}

}  // namespace clustersim
