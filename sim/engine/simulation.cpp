#include "sim/engine/simulation.hpp"

#include <simgrid/s4u.hpp>
#include <simgrid/version.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <memory>

#include "models/power/cluster_power.hpp"
#include "common/diagnostics.hpp"
#include "models/power/network_power.hpp"
#include "sim/engine/engine_config.hpp"
#include "sim/engine/inference_service.hpp"
#include "sim/engine/placement.hpp"
#include "sim/engine/power_tracker.hpp"
#include "sim/engine/progress.hpp"
#include "sim/engine/results_builder.hpp"
#include "sim/engine/service_builder.hpp"
#include "sim/input/trace_reader.hpp"
#include "sim/setup/training_layout.hpp"
#include "sim/engine/training_job.hpp"
#include "common/version.hpp"
#include "sim/setup/fabric_params.hpp"
#include "topologies/fabric_components.hpp"
#include "topologies/simgrid_platform.hpp"

namespace sg4 = simgrid::s4u;

namespace clustersim {

namespace {

/// Places the workload; a workload that does not fit (e.g. a disaggregated service whose decode pool starts a
/// new server) is the user's input problem: a ConfigError on `workload`, exit 2.
Placement place_or_report(const LoadedExperiment& exp) {
  try {
    return place_workload(exp.spec);
  } catch (const std::invalid_argument& e) {
    Diagnostics d;
    d.add({exp.source_path, 0, 0}, "workload", e.what(), "add servers (cluster.servers) or shrink the workload");
    throw ConfigError(d);
  }
}

/// Samples the cluster's mean power over each interval into the time series.
void sampler_actor(PowerTracker* tracker, const ClusterPowerModel* power, double interval_s, double end_s,
                   TimeSeries* ts) {
  double last_integral = 0;
  for (double t = 0; t < end_s - 1e-12; t += interval_s) {
    const double until = std::min(t + interval_s, end_s);
    sg4::this_actor::sleep_until(until);
    const double integral = tracker->integral(until);
    ts->time_s.push_back(t);
    ts->power.push_back(power->mean_over(integral - last_integral, until - t));
    ts->activity_fraction.push_back((integral - last_integral) / (until - t) / power->gpus());
    last_integral = integral;
  }
}

uint64_t derive_seed(uint64_t seed, size_t index) { return seed * 1000003ULL + index * 7919ULL + 1; }

}  // namespace

RunResults run_experiment(const LoadedExperiment& exp, const RunOptions& options) {
  return run_experiment(PreparedExperiment{exp, build_experiment_fabric(exp)}, options);
}

RunResults run_experiment(const PreparedExperiment& prepared, const RunOptions& options) {
  const auto wall_start = std::chrono::steady_clock::now();
  const LoadedExperiment& exp = prepared.experiment;
  const ExperimentSpec& spec = exp.spec;
  const Catalog& cat = exp.catalog;
  const AcceleratorSpec& gpu = cat.accelerators.at(spec.cluster.gpu);

  // Fabric: components by link speed, the Boost.Graph fabric (built by the validation), its inventory and power.
  const ExperimentFabric& built = prepared.fabric;
  const FabricComponents& comps = built.components;
  const Fabric& fabric = built.fabric;
  const NetworkPower net_power = network_power(fabric.inventory, comps);
  const Placement placement = place_or_report(exp);

  // Engine and platform.
  const auto engine = create_engine("clustersim", options.simgrid_args);
  PlatformParams pp;
  pp.gpus_per_server = spec.cluster.gpus_per_server;
  pp.gpu_flops = gpu.peak_bf16_flops;
  pp.frontend_bandwidth_bps = spec.fabric.link_bps * spec.fabric.nics_per_server;
  const Platform platform = instantiate_platform(fabric, pp);

  ClusterPowerParams cpp;
  cpp.gpu = gpu;
  cpp.server = cat.servers.at(spec.cluster.server);
  cpp.servers = spec.cluster.servers;
  cpp.gpus_per_server = spec.cluster.gpus_per_server;
  cpp.network_w = net_power.total_w();
  cpp.pue = spec.facility.pue;
  const ClusterPowerModel power(cpp);
  PowerTracker tracker;
  const double end_s = spec.duration_s;

  // Training jobs.
  std::vector<std::unique_ptr<TrainingJobRuntime>> jobs;
  for (size_t j = 0; j < spec.training.size(); ++j) {
    const TrainingJobSpec& js = spec.training[j];
    const TrainingLayout layout = training_layout(js, spec, cat);
    auto job = std::make_unique<TrainingJobRuntime>();
    job->spec = js;
    job->layout = layout;
    job->estimate = estimate_training_step(layout);
    job->calibration = cat.calibration;
    for (int s : placement.job_servers[j]) job->servers.push_back(platform.servers[s]);
    job->gpus_per_server_used = std::min(js.gpus, spec.cluster.gpus_per_server);
    job->core_speed_flops = pp.gpu_flops;
    job->power_group = tracker.add_group(js.gpus);
    launch_training_job(*job, tracker, end_s);
    jobs.push_back(std::move(job));
  }

  // Inference services.
  std::vector<std::unique_ptr<InferenceServiceRuntime>> services;
  for (size_t k = 0; k < spec.inference.size(); ++k) {
    const InferenceServiceSpec& ss = spec.inference[k];
    auto svc = build_inference_service(ss, cat.models.at(ss.model), gpu, cat.calibration, placement.replicas[k],
                                       platform.servers, tracker, end_s, derive_seed(spec.seed, k));
    svc->frontend = platform.frontend;
    launch_inference_service(*svc, tracker, end_s, spec.output.sample_interval_s);
    services.push_back(std::move(svc));
  }

  TimeSeries ts;
  sg4::Actor::create("power-sampler", platform.frontend, sampler_actor, &tracker, &power,
                     spec.output.sample_interval_s, end_s, &ts);

  ProgressLine progress(end_s, options.progress);
  sg4::Engine::on_time_advance_cb([&progress](double) { progress.update(sg4::Engine::get_clock()); });
  engine->run_until(end_s);
  progress.finish();

  // Results.
  ResultsInputs in{exp, fabric, comps, net_power, power, tracker, ts, end_s};
  for (auto& j : jobs) {
    j->stats.activity_integral = tracker.group_integral(j->power_group, end_s);
    in.jobs.push_back(j.get());
  }
  for (auto& s : services) in.services.push_back(s.get());
  RunResults results = build_results(in);
  results.string_attrs["command_line"] = options.command_line;
  results.string_attrs["simgrid_version"] = std::to_string(SIMGRID_VERSION_MAJOR) + "." +
                                            std::to_string(SIMGRID_VERSION_MINOR);
  results.numeric_attrs["wall_time_s"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return results;
}

}  // namespace clustersim
