#include "sim/setup/job_streams.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <numeric>
#include <stdexcept>
#include <string>

#include "common/random.hpp"
#include "common/units.hpp"
#include "models/scheduling/job_arrivals.hpp"
#include "sim/config/experiment_loader.hpp"
#include "sim/config/experiment_rules.hpp"
#include "sim/input/job_trace_reader.hpp"
#include "sim/setup/training_layout.hpp"
#include "spec/cluster_pools.hpp"

namespace clustersim {

namespace {

std::vector<JobArrival> stream_arrivals(const ExperimentSpec& spec, size_t i) {
  const TrainingStreamSpec& s = spec.training_streams[i];
  std::vector<JobArrival> jobs;
  if (s.trace.empty()) {
    SyntheticJobParams p;
    p.rate_per_s = 1.0 / s.interarrival_s;
    p.start_s = s.start_s;
    p.end_s = spec.duration_s;
    p.max_jobs = s.jobs;
    p.gpu_sizes = s.gpu_sizes.empty() ? std::vector<int>{8} : s.gpu_sizes;
    p.gpu_weights = s.gpu_sizes.empty() ? std::vector<double>{1} : s.gpu_weights;
    p.run_median_s = s.run_time_median_s;
    p.run_mean_s = s.run_time_mean_s;
    p.run_min_s = s.run_time_min_s;
    p.run_max_s = s.run_time_max_s;
    p.seed = substream_seed(spec.seed, i);
    if (p.start_s >= p.end_s) return jobs;
    jobs = draw_jobs(p);
  } else {
    jobs = scale_jobs(read_job_trace(s.trace, data_dir()), s.time_scale, s.gpu_scale, 1, s.run_scale,
                      spec.duration_s - s.start_s);
    for (JobArrival& a : jobs) a.submit_s += s.start_s;
  }
  if (s.jobs > 0 && static_cast<int>(jobs.size()) > s.jobs) jobs.resize(s.jobs);
  return jobs;
}

TrainingJobSpec job_of(const TrainingStreamSpec& s, const JobArrival& a, size_t k, int model_seq_len) {
  const int g = std::max(1, a.gpus);
  int tp = 1;
  while (tp * 2 <= std::min(s.tp, g)) tp *= 2;
  const int pp = std::max(1, std::min(s.pp, g / tp));
  TrainingJobSpec t;
  t.name = s.name + "-" + std::to_string(k + 1);
  t.model = s.model;
  t.tp = tp;
  t.pp = pp;
  t.dp = (g + tp * pp - 1) / (tp * pp);
  t.gpus = tp * pp * t.dp;
  t.precision = s.precision;
  t.micro_batch = s.micro_batch;
  t.global_batch = t.dp * s.batch_per_replica;
  t.seq_len = s.seq_len > 0 ? s.seq_len : model_seq_len;
  t.recompute = s.recompute;
  t.distributed_optimizer = s.distributed_optimizer;
  t.start_s = a.submit_s;
  t.run_time_s = a.run_s;
  t.priority = s.priority;
  t.tenant = s.tenant;
  t.pool = s.pool;
  t.fallback_pools = s.fallback_pools;
  t.detailed_steps = s.detailed_steps;
  return t;
}

std::vector<TrainingJobSpec> stream_jobs(const ExperimentSpec& spec, size_t i, const Catalog& catalog) {
  const TrainingStreamSpec& s = spec.training_streams[i];
  auto model = catalog.models.find(s.model);
  const int seq_len = model == catalog.models.end() ? 0 : model->second.seq_len;
  std::vector<TrainingJobSpec> out;
  const std::vector<JobArrival> arrivals = stream_arrivals(spec, i);
  for (size_t k = 0; k < arrivals.size(); ++k) out.push_back(job_of(s, arrivals[k], k, seq_len));
  return out;
}

}  // namespace

std::vector<TrainingJobSpec> expand_job_streams(const ExperimentSpec& spec, const Catalog& catalog) {
  std::vector<TrainingJobSpec> out;
  for (size_t i = 0; i < spec.training_streams.size(); ++i) {
    std::vector<TrainingJobSpec> jobs = stream_jobs(spec, i, catalog);
    out.insert(out.end(), jobs.begin(), jobs.end());
  }
  return out;
}

void check_job_streams(Rules& r, const ExperimentSpec& spec, const Catalog& catalog) {
  const int gps = spec.cluster.gpus_per_server;
  const auto pools = site_pools(spec.cluster);
  if (gps <= 0) return;
  for (size_t i = 0; i < spec.training_streams.size(); ++i) {
    const TrainingStreamSpec& s = spec.training_streams[i];
    const std::string path = "workload.job_streams[" + std::to_string(i) + "]";
    const int pool = pool_index(pools, s.pool);
    if (pool < 0 || pools[pool].servers == 0 || !catalog.accelerators.count(pools[pool].gpu)) continue;
    const long long servers_left = scheduler_servers(spec, pool);
    if (!r.all_ok({path + ".model", path + ".gpus", path + ".trace", path + ".tp", path + ".pp", path + ".pool"}) ||
        !catalog.models.count(s.model) ||
        std::any_of(s.gpu_sizes.begin(), s.gpu_sizes.end(), [](int g) { return g < 1; }) ||  // the rules said so
        (!s.gpu_sizes.empty() && std::accumulate(s.gpu_weights.begin(), s.gpu_weights.end(), 0.0) <= 0))
      continue;
    std::vector<TrainingJobSpec> jobs;
    try {
      jobs = stream_jobs(spec, i, catalog);
    } catch (const std::exception& e) {  // a trace that does not read, or draws past their bound
      if (s.trace.empty())
        r.error(path + ".interarrival", e.what(), "submit fewer jobs (interarrival, jobs)");
      else
        r.error(path + ".trace", e.what(), "see the trace's README in data/traces for its columns");
      continue;
    }
    const std::string size_key = s.trace.empty() ? path + ".gpus" : path + ".gpu_scale";
    std::map<int, const TrainingJobSpec*> by_size;
    for (const TrainingJobSpec& j : jobs) by_size.emplace(j.gpus, &j);
    const auto quota = spec.scheduler.quota_gpus.find(s.tenant);
    for (const auto& [gpus, job] : by_size) {
      const long long servers = (gpus + gps - 1) / gps;
      if (quota != spec.scheduler.quota_gpus.end() && gpus > quota->second) {
        r.error(size_key,
                "a job of " + std::to_string(gpus) + " GPUs is above its tenant's quota ('" + s.tenant +
                    "': " + format_quantity(quota->second, Quantity::kCount) + " GPUs): it could never start",
                "raise scheduler.quotas." + s.tenant + " or drop the size");
        break;
      }
      if (servers > servers_left) {
        r.error(size_key,
                "a job of " + std::to_string(gpus) + " GPUs needs " + std::to_string(servers) +
                    " servers but the scheduler has " + std::to_string(std::max(0LL, servers_left)) +
                    ": it could never start",
                "add servers or drop the size");
        break;
      }
      std::string hint;
      const std::string error = memory_fit_error(training_layout(*job, spec, catalog), hint);
      if (!error.empty()) {
        r.error(size_key,
                "a job of " + std::to_string(gpus) + " GPUs (tp " + std::to_string(job->tp) + ", pp " +
                    std::to_string(job->pp) + ", dp " + std::to_string(job->dp) + "): " + error,
                hint + "; or drop that size, or use a smaller model for the stream");
        break;
      }
    }
  }
}

void append_stream_jobs(LoadedExperiment& experiment) {
  ExperimentSpec& spec = experiment.spec;
  std::vector<TrainingJobSpec> jobs = expand_job_streams(spec, experiment.catalog);
  spec.training.insert(spec.training.end(), jobs.begin(), jobs.end());
}

}  // namespace clustersim
