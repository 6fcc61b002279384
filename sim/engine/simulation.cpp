#include "sim/engine/simulation.hpp"

#include "sim/setup/power_budget.hpp"

#include <simgrid/version.h>
#include <xbt/log.h>
#include <simgrid/s4u.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <memory>

#include "common/diagnostics.hpp"
#include "common/large_stack.hpp"
#include "models/power/cluster_power.hpp"
#include "models/power/network_power.hpp"
#include "sim/engine/engine_config.hpp"
#include "sim/engine/placement.hpp"
#include "sim/engine/power_tracker.hpp"
#include "sim/engine/progress.hpp"
#include "sim/engine/results_builder.hpp"
#include "sim/engine/workload_registry.hpp"
#include "sim/setup/fabric_params.hpp"
#include "sim/setup/facility_factory.hpp"
#include "spec/cluster_pools.hpp"
#include "topologies/fabric_components.hpp"
#include "topologies/simgrid_platform.hpp"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(cs_simulation, clustersim, "one run: fabric, platform, workloads, engine, results");

namespace sg4 = simgrid::s4u;

namespace clustersim {

namespace {

/// Places every workload, in registry order, on its pool's allocator; a workload that does not fit (e.g. a
/// disaggregated service whose decode pool starts a new server) is the user's input problem: a ConfigError on
/// `workload`, exit 2. Returns the servers used in each pool.
std::vector<int> place_or_report(const LoadedExperiment& exp, const std::vector<PoolSpec>& pools,
                                 const std::vector<std::unique_ptr<Workload>>& workloads) {
  try {
    SiteAllocator servers(pools, exp.spec.cluster.gpus_per_server);
    for (const auto& w : workloads) w->place(servers);
    servers.check_fits();
    return servers.servers_used();
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
  std::vector<double> last_pools;
  for (double t = 0; t < end_s - 1e-12; t += interval_s) {
    const double until = std::min(t + interval_s, end_s);
    sg4::this_actor::sleep_until(until);
    const double integral = tracker->integral(until);
    std::vector<double> pools = tracker->pool_integrals(until);
    std::vector<double> in_interval = pools;
    for (size_t k = 0; k < in_interval.size() && k < last_pools.size(); ++k) in_interval[k] -= last_pools[k];
    ts->time_s.push_back(t);
    ts->power.push_back(in_interval.size() > 1 ? power->mean_over(in_interval, t, until)
                                               : power->mean_over(integral - last_integral, t, until));
    ts->activity_fraction.push_back((integral - last_integral) / (until - t) / power->gpus());
    ts->pool_activity.push_back(in_interval);
    last_integral = integral;
    last_pools = std::move(pools);
  }
}

}  // namespace

RunResults run_experiment(const LoadedExperiment& exp, const RunOptions& options) {
  return run_experiment(PreparedExperiment{exp, build_experiment_fabric(exp)}, options);
}

namespace {
/// Seconds since `t` and resets `t` to now.
double lap_s(std::chrono::steady_clock::time_point& t) {
  const auto now = std::chrono::steady_clock::now();
  const double s = std::chrono::duration<double>(now - t).count();
  t = now;
  return s;
}

double process_cpu_s() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}
}  // namespace

/// The run itself, on the calling thread (run_experiment puts it on a large stack: common/large_stack.hpp).
static RunResults run_prepared(const PreparedExperiment& prepared, const RunOptions& options) {
  const auto wall_start = std::chrono::steady_clock::now();
  RunTimings timings;
  auto lap = wall_start;
  // facility.budget_policy cap: the run's GPUs capped so that the site stays within the budget.
  double budget_cap_fraction = 1;
  const std::optional<LoadedExperiment> budgeted =
      with_budget_caps(prepared.experiment, prepared.fabric, budget_cap_fraction);
  const LoadedExperiment& exp = budgeted ? *budgeted : prepared.experiment;
  const ExperimentSpec& spec = exp.spec;
  const Catalog& cat = exp.catalog;
  const AcceleratorSpec& gpu = cat.accelerators.at(spec.cluster.gpu);
  const std::vector<PoolSpec> pools = site_pools(spec.cluster);

  // Fabric: components by link speed, the Boost.Graph fabric (built by the validation), its inventory and power.
  const ExperimentFabric& built = prepared.fabric;
  const FabricComponents& comps = built.components;
  const Fabric& fabric = built.fabric;
  const NetworkPower net_power = network_power(fabric.inventory, comps);
  std::vector<std::unique_ptr<Workload>> placed = make_workloads(spec);
  const std::vector<int> pool_servers_used = place_or_report(exp, pools, placed);
  int servers_used = 0;
  for (int n : pool_servers_used) servers_used += n;
  timings.placement_s = lap_s(lap);

  // Engine and platform.
  const auto engine = create_engine("clustersim", options.simgrid_args);
  PlatformParams pp;
  pp.gpus_per_server = spec.cluster.gpus_per_server;
  pp.gpu_flops = gpu.peak_bf16_flops;
  pp.nic_host_bps = spec.cluster.nic_host_bandwidth_bps;
  if (pools.size() > 1)
    for (const PoolSpec& p : pools) {
      pp.server_gpu_flops.insert(pp.server_gpu_flops.end(), p.servers, cat.accelerators.at(p.gpu).peak_bf16_flops);
      pp.server_nic_host_bps.insert(pp.server_nic_host_bps.end(), p.servers, p.nic_host_bandwidth_bps);
    }
  pp.frontend_bandwidth_bps = spec.fabric.link_bps * spec.fabric.nics_per_server;
  const Platform platform = instantiate_platform(fabric, pp);
  timings.platform_s = lap_s(lap);
  XBT_VERB("platform built: %zu servers (%d used by the workloads), %d switches, %d cables; %.3f s of wall time",
           platform.servers.size(), servers_used, fabric.inventory.total_switches(), fabric.inventory.total_cables(),
           timings.platform_s);

  ClusterPowerParams cpp;
  for (const PoolSpec& p : pools)
    cpp.pools.push_back(
        {cat.accelerators.at(p.gpu), cat.servers.at(p.server), p.servers, spec.cluster.gpus_per_server});
  cpp.network_w = net_power.total_w();
  const ClusterPowerModel power(cpp, make_facility_model(spec.facility, exp.facility_data, full_load_it_power_w(cpp)));
  PowerTracker tracker;
  tracker.set_pool_weights(power.watts_per_activity());
  if (spec.output.power_trace_duration_s > 0 && spec.output.power_trace_start_s < spec.duration_s)
    tracker.record_window(spec.output.power_trace_start_s,
                          spec.output.power_trace_start_s + spec.output.power_trace_duration_s);
  const double end_s = spec.duration_s;

  // Workloads: destroyed before the engine (their actors hold references into them).
  const std::vector<std::unique_ptr<Workload>> workloads = std::move(placed);
  ServerLending lending;
  const WorkloadContext context{exp, platform, tracker, end_s, fabric, pools, pool_servers_used, lending, &power};
  for (const auto& w : workloads) {
    w->launch(context);
    XBT_VERB("workload '%s' launched", w->kind());
  }

  TimeSeries ts;
  sg4::Actor::create("power-sampler", platform.frontend, sampler_actor, &tracker, &power, spec.output.sample_interval_s,
                     end_s, &ts);

  timings.launch_s = lap_s(lap);
  XBT_VERB("workloads launched; %.3f s of wall time", timings.launch_s);
  const double cpu_before_s = process_cpu_s();
  ProgressLine progress(end_s, options.progress);
  sg4::Engine::on_time_advance_cb([&progress](double) { progress.update(sg4::Engine::get_clock()); });
  XBT_VERB("engine runs to %g s", end_s);
  engine->run_until(end_s);
  progress.finish();
  timings.engine_s = lap_s(lap);
  timings.engine_cpu_s = process_cpu_s() - cpu_before_s;
  XBT_VERB("engine stopped at %g s after %.3f s of wall time", sg4::Engine::get_clock(), timings.engine_s);

  // Results.
  ResultsInputs in{exp, fabric, net_power, power, tracker, ts, end_s};
  in.components = &comps;
  for (const auto& w : workloads) w->append_results(in);
  RunResults results = build_results(in);
  if (spec.facility.budget_policy == BudgetPolicy::kCap && spec.facility.power_budget_w > 0)
    results.record->summary.budget_cap_fraction = budget_cap_fraction;
  timings.results_s = lap_s(lap);
  XBT_VERB("results built: %zu training jobs, %zu inference services, %zu power samples; %.3f s of wall time",
           in.jobs.size(), in.services.size(), ts.time_s.size(), timings.results_s);
  if (options.timings != nullptr) *options.timings = timings;
  results.string_attrs["command_line"] = options.command_line;
  results.string_attrs["simgrid_version"] =
      std::to_string(SIMGRID_VERSION_MAJOR) + "." + std::to_string(SIMGRID_VERSION_MINOR);
  results.numeric_attrs["wall_time_s"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return results;
}

RunResults run_experiment(const PreparedExperiment& prepared, const RunOptions& options) {
  // Routed fabrics couple the max-min solver's constraints in long chains, and SimGrid walks them recursively: those
  // runs need the large stack. Ideal ones stay on this thread: a second thread makes glibc's malloc take its locks
  // (step-100k ~7 % slower).
  if (prepared.experiment.spec.fabric.routing == RoutingKind::kIdeal) return run_prepared(prepared, options);
  return call_on_large_stack<RunResults>([&] { return run_prepared(prepared, options); });
}

}  // namespace clustersim
