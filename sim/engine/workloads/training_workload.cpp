#include "sim/engine/workloads/training_workload.hpp"

#include <xbt/asserts.h>
#include <xbt/log.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sim/engine/job_scheduler.hpp"
#include "sim/engine/results_builder.hpp"
#include "sim/setup/training_layout.hpp"
#include "spec/cluster_pools.hpp"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(cs_training_workload, clustersim, "training workload: placement and launch");

namespace clustersim {

namespace {

/// Each server's fabric group and pod, by server id.
void fabric_groups(const Fabric& fabric, std::vector<int>& group_of, std::vector<int>& pod_of) {
  group_of.resize(fabric.servers());
  pod_of.resize(fabric.servers());
  for (int s = 0; s < fabric.servers(); ++s) {
    group_of[s] = fabric.group_of(s);
    pod_of[s] = fabric.pod_of(s);
  }
}

/// What failures cost `job` under `plan`, and when it checkpoints (training[].checkpoint).
void set_reliability(TrainingJobRuntime& job, const FailurePlan& plan, int gpus_per_server) {
  JobReliability& r = job.reliability;
  const TrainingJobSpec& js = job.spec;
  r.active = plan.active;
  if (!r.active) return;
  const int gps = std::max(1, gpus_per_server);
  const int servers = (js.gpus + gps - 1) / gps;
  const double bytes = js.checkpoint_bytes > 0 ? js.checkpoint_bytes : checkpoint_bytes(job.layout.model);
  r.write_s = checkpoint_transfer_s(bytes, servers, plan.store.write_bandwidth_Bps, plan.store);
  r.restore_s = checkpoint_transfer_s(bytes, servers, plan.store.read_bandwidth_Bps, plan.store);
  r.detection_s = plan.detection_s;
  r.restart_s = plan.restart_s;
  r.spares = js.spares;
  // Its exposure: its GPUs and NIC links, its servers, the leaves it would span packed.
  r.mtbf_s = plan.active ? plan.packed_job_mtbf_s(js.gpus) : std::numeric_limits<double>::infinity();
  r.checkpoint_interval_s = !js.checkpoints                ? std::numeric_limits<double>::infinity()
                            : js.checkpoint_interval_s > 0 ? js.checkpoint_interval_s
                                                           : daly_interval_s(r.write_s, r.mtbf_s);
}

}  // namespace

void TrainingWorkload::place(SiteAllocator& site) {
  job_servers_.clear();
  if (scheduled()) {  // the scheduler places them over time
    job_servers_.resize(specs_.size());
    return;
  }
  for (const TrainingJobSpec& js : specs_) {
    ServerAllocator& servers = site.pool(js.pool);
    // Whole servers, so that a job's tensor-parallel groups stay inside servers.
    const int gps = std::max(1, servers.gpus_per_server());
    job_servers_.push_back(servers.whole_servers((js.gpus + gps - 1) / gps));
  }
}

void TrainingWorkload::launch(const WorkloadContext& ctx) {
  const ExperimentSpec& spec = ctx.experiment.spec;
  const Catalog& cat = ctx.experiment.catalog;
  xbt_assert(job_servers_.size() == specs_.size(), "internal error: %zu training jobs launched, %zu placed",
             specs_.size(), job_servers_.size());
  std::vector<int> group_of, pod_of;  // where each server sits: placement spread, the scheduler's pool
  fabric_groups(ctx.fabric, group_of, pod_of);
  plan_ = make_failure_plan(spec, cat, group_of, ctx.fabric.built->spine_planes());
  const int largest = largest_group(group_of);
  for (size_t j = 0; j < specs_.size(); ++j) {
    const TrainingJobSpec& js = specs_[j];
    auto job = std::make_unique<TrainingJobRuntime>();
    job->spec = js;
    job->layout = training_layout(js, spec, cat);
    job->estimate = estimate_training_step(job->layout);
    job->calibration = job->layout.calibration;  // resolved for the pool's accelerator
    for (int s : job_servers_[j]) job->servers.push_back(ctx.platform.servers.at(s));
    job->gpus_per_server_used = std::min(js.gpus, spec.cluster.gpus_per_server);
    job->pool = std::max(0, pool_index(ctx.pools, js.pool));
    job->spec.pool = ctx.pools.at(job->pool).name;            // resolved ("" = the first pool)
    job->core_speed_flops = job->layout.gpu.peak_bf16_flops;  // the speed of its servers' hosts (the pool's GPU)
    job->power_group = ctx.tracker.add_group(js.gpus, job->pool);
    job->power_floor = spec.cluster.gpu_power_floor;
    if (!js.fallback_pools.empty() && scheduled()) {  // the job as it would run in each pool it may start in
      job->variants.push_back(
          {job->pool, job->layout, job->estimate, job->calibration, job->core_speed_flops, job->power_group});
      for (const std::string& name : js.fallback_pools) {
        TrainingJobSpec in_pool = js;
        in_pool.pool = name;
        TrainingPoolVariant v;
        v.pool = std::max(0, pool_index(ctx.pools, name));
        v.layout = training_layout(in_pool, spec, cat);
        v.estimate = estimate_training_step(v.layout);
        v.calibration = v.layout.calibration;
        v.core_speed_flops = v.layout.gpu.peak_bf16_flops;
        v.power_group = ctx.tracker.add_group(js.gpus, v.pool);
        job->variants.push_back(std::move(v));
      }
    }
    set_reliability(*job, plan_, spec.cluster.gpus_per_server);
    job->schedule.submit_s = js.start_s;
    job->steps_total = js.steps;
    if (js.steps == 0 && js.tokens > 0 && job->estimate.tokens_per_step > 0)
      job->steps_total =
          std::max(1, static_cast<int>(std::min(1e9, std::ceil(js.tokens / job->estimate.tokens_per_step - 1e-9))));
    else if (js.steps == 0 && js.run_time_s > 0)
      job->steps_total = std::max(1, static_cast<int>(std::ceil(js.run_time_s / analytic_step_time_s(*job) - 1e-9)));
    if (scheduled()) {
      jobs_.push_back(std::move(job));
      continue;
    }
    const PlacementSpread spread = placement_spread(job_servers_[j], group_of, pod_of, largest);
    job->schedule.groups = spread.groups;
    job->schedule.pods = spread.pods;
    job->schedule.min_groups = spread.min_groups;
    launch_training_job(*job, ctx.tracker, ctx.end_s);
    XBT_VERB("training job '%s' launched: %d GPUs on %zu servers from server %d, starts at %g s, local step %g s",
             js.name.c_str(), js.gpus, job->servers.size(), job_servers_[j].empty() ? -1 : job_servers_[j][0],
             js.start_s, job->estimate.local_time_s());
    jobs_.push_back(std::move(job));
  }
  if (!scheduled()) return;
  // In each pool, the scheduler owns the servers the other workloads left.
  const int cluster_servers = spec.cluster.servers;
  std::vector<ServerPool> pools;
  size_t owned = 0;
  for (size_t k = 0; k < ctx.pools.size(); ++k) {
    // The pool's servers; those the services hold leave it at once (a service may lend them back over time).
    std::vector<int> ids, held;
    for (int s = ctx.pools[k].first_server; s < ctx.pools[k].first_server + ctx.pools[k].servers; ++s)
      (s < ctx.pools[k].first_server + ctx.servers_placed.at(k) ? held : ids).push_back(s);
    owned += ids.size();
    ids.insert(ids.begin(), held.begin(), held.end());
    pools.emplace_back(ids, group_of, pod_of);
    pools.back().withdraw(held);
  }
  JobSchedulerParams p;
  p.spec = scheduler_spec_;
  for (int s = 0; s < cluster_servers; ++s) p.hosts.push_back(ctx.platform.servers.at(s));
  p.end_s = ctx.end_s;
  p.lending = &ctx.lending;
  for (const PoolSpec& pool : ctx.pools) p.pool_names.push_back(pool.name);
  p.sample_interval_s = spec.output.sample_interval_s;
  if (spec.facility.budget_policy == BudgetPolicy::kHold) p.hold_budget_w = spec.facility.power_budget_w;
  p.power = ctx.power;
  p.failures = &plan_;
  std::vector<TrainingJobRuntime*> jobs;
  for (auto& j : jobs_) jobs.push_back(j.get());
  p.group_of = group_of;
  p.pod_of = pod_of;
  scheduler_ = std::make_unique<JobScheduler>(p, jobs, std::move(pools), ctx.tracker);
  scheduler_->launch(ctx.platform.frontend);
  XBT_VERB("scheduler '%s' launched: %zu jobs, %zu servers", kind_name(scheduler_spec_.policy), jobs_.size(), owned);
}

void TrainingWorkload::append_results(ResultsInputs& in) {
  if (scheduler_ != nullptr) {
    scheduler_->finish();
    in.schedule_samples = scheduler_->samples();
    in.failures = scheduler_->failure_log();
    in.pool_schedule_samples.clear();
    for (int p = 0; p < scheduler_->pools(); ++p) in.pool_schedule_samples.push_back(scheduler_->pool_samples(p));
  } else {
    for (auto& j : jobs_)
      if (j->stats.start_s >= 0 && j->stats.end_s < j->schedule.run_start_s) {  // running at the end
        j->schedule.held_s += in.end_s - j->schedule.run_start_s;
        j->schedule.state = "running";
      }
  }
  for (auto& j : jobs_) {
    j->stats.activity_integral = in.tracker.group_integral(j->power_group, in.end_s);
    XBT_VERB("training job '%s': %g steps done, mean step %g s, %g GPU x s of activity", j->spec.name.c_str(),
             j->stats.steps_done, j->stats.mean_step_time_s, j->stats.activity_integral);
    in.jobs.push_back(j.get());
  }
}

std::unique_ptr<Workload> make_training_workload(const ExperimentSpec& spec) {
  if (spec.training.empty()) return nullptr;
  return std::make_unique<TrainingWorkload>(spec.training, spec.scheduler);
}

}  // namespace clustersim
