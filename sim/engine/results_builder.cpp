#include "sim/engine/results_builder.hpp"

#include "sim/engine/power_trace.hpp"

#include "spec/cluster_pools.hpp"

#include <xbt/log.h>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <ctime>

#include "common/build_info.hpp"
#include "common/statistics.hpp"
#include "common/version.hpp"
#include "models/cost/tco.hpp"
#include "models/reliability/checkpoint.hpp"
#include "sim/engine/service_results.hpp"
#include "sim/engine/uncertainty_results.hpp"
#include "sim/setup/facility_factory.hpp"

XBT_LOG_NEW_DEFAULT_SUBCATEGORY(cs_results_builder, clustersim, "results rows of a finished run");

namespace clustersim {

namespace {

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

JobRow job_row(const TrainingJobRuntime& j, const ClusterPowerModel& power, double T, bool scheduled) {
  const auto& e = j.estimate;
  const auto& st = j.stats;
  double t = st.mean_step_time_s > 0 ? st.mean_step_time_s : kMissing;
  if (scheduled) {  // a job through time: its segments' step times, weighted by the steps done at each
    double steps = 0, weighted = 0;
    for (const JobSegment& g : j.schedule.segments) {
      steps += g.steps;
      weighted += g.steps * g.step_time_s;
    }
    if (steps > 0) t = weighted / steps;
  }
  double mean_dp = 0;
  for (double d : st.dp_allreduce_s) mean_dp += d / st.dp_allreduce_s.size();
  const double tokens = st.steps_done * e.tokens_per_step;
  const double energy =
      power.group_facility_energy_j(j.spec.gpus, st.activity_integral, 0, scheduled ? j.schedule.held_s : T, j.pool);
  const StepFigures fig = step_figures(j.layout, e, t, j.spec.name);  // throws on a broken invariant
  JobRow r;
  r.name = j.spec.name;
  r.model = j.spec.model;
  const double ran_s = scheduled ? j.schedule.held_s : st.end_s - st.start_s;
  if (ran_s > 0 && j.spec.gpus > 0)
    r.gpu_power_mean_w = gpu_power_w(j.layout.gpu, st.activity_integral / (j.spec.gpus * ran_s));
  r.pool = j.spec.pool;
  r.gpus = j.spec.gpus;
  r.tp = j.spec.tp;
  r.pp = j.spec.pp;
  r.dp = j.spec.dp;
  r.cp = j.spec.cp;
  r.ep = j.spec.ep;
  r.virtual_stages = j.spec.virtual_stages;
  r.step_time_s = t;
  r.compute_time_s = e.compute_time_s;
  r.tp_comm_time_s = e.tp_comm_time_s;
  r.bubble_time_s = e.bubble_time_s;
  r.dp_allreduce_time_s = st.dp_allreduce_s.empty() ? kMissing : mean_dp;
  r.other_local_comm_time_s = e.cp_comm_time_s + e.pp_local_time_s;
  r.optimizer_time_s = e.optimizer_time_s;
  r.exposed_dp_time_s = st.mean_exposed_s(CommKind::kDp);
  r.exposed_pp_time_s = st.mean_exposed_s(CommKind::kPp);
  r.exposed_ep_time_s = st.mean_exposed_s(CommKind::kEp);
  r.hardware_flops_per_gpu = fig.hardware_flops_per_gpu_s;
  r.hfu = fig.hfu;
  r.memory_per_gpu_bytes = e.memory.total();
  r.memory_weights_bytes = e.memory.weights;
  r.memory_gradients_bytes = e.memory.gradients;
  r.memory_optimizer_bytes = e.memory.optimizer;
  r.memory_activations_bytes = e.memory.activations;
  r.tokens_per_step = e.tokens_per_step;
  r.tokens_per_step_requested = j.spec.tokens_per_step_requested > 0 ? j.spec.tokens_per_step_requested : kMissing;
  r.tokens_per_s = fig.tokens_per_s;
  r.model_flops_per_gpu = fig.model_flops_per_gpu_s;
  r.mfu = fig.mfu;
  r.steps = st.steps_done;
  r.energy_j = energy;
  r.energy_per_token_j = tokens > 0 ? energy / tokens : kMissing;
  const JobScheduleState& sc = j.schedule;
  r.state = sc.state;
  r.submit_s = sc.submit_s;
  r.start_s = st.start_s >= 0 ? st.start_s : kMissing;
  r.end_s = st.start_s >= 0 && st.end_s >= sc.run_start_s && sc.state != "running" ? st.end_s : kMissing;
  r.wait_s = st.start_s >= 0 ? st.start_s - sc.submit_s : kMissing;
  r.held_s = sc.held_s;
  r.steps_total = j.steps_total > 0 ? j.steps_total : kMissing;
  r.servers = static_cast<int64_t>(j.servers.size());
  r.leaves = sc.groups;
  r.pods = sc.pods;
  r.min_leaves = sc.min_groups;
  r.preemptions = sc.preemptions;
  const JobReliability& rel = j.reliability;
  if (rel.active) {
    const JobFailureStats& f = j.failures;
    r.interruptions = f.interruptions;
    for (const auto& [cause, n] : f.causes)
      r.interruption_causes += (r.interruption_causes.empty() ? "" : " ") + cause + ":" + std::to_string(n);
    r.lost_work_s = f.lost_s;
    r.checkpoints = f.checkpoints;
    r.checkpoint_time_s = f.checkpoint_s;
    r.checkpoint_interval_s = std::isfinite(rel.checkpoint_interval_s) ? rel.checkpoint_interval_s : kMissing;
    r.checkpoint_write_s = rel.write_s;
    r.recovery_time_s = f.recovery_s;
    r.spares = rel.spares;
    r.spare_swaps = f.spare_swaps;
    r.mtbf_s = std::isfinite(rel.mtbf_s) ? rel.mtbf_s : kMissing;
    r.productive_s = f.trained_s;
    r.ettr_expected = expected_ettr(rel.checkpoint_interval_s, rel.write_s, rel.mtbf_s,
                                    rel.detection_s + rel.restart_s + rel.restore_s);
    const double wall = (std::isnan(r.end_s) ? T : r.end_s) - st.start_s;
    if (st.start_s >= 0 && wall > 0) {
      r.ettr = f.trained_s / wall;
      r.goodput_tokens_per_s = tokens / wall;
    }
  }
  return r;
}

}  // namespace

void add_provenance(const LoadedExperiment& experiment, RunResults& r) {
  const ExperimentSpec& spec = experiment.spec;
  r.string_attrs["tool_version"] = kVersion;
  r.string_attrs["git_commit"] = kGitCommit;
  r.string_attrs["experiment"] = spec.name;
  // How the fabric's flows were routed (fabric.routing), in words: the summary names it when not ideal.
  r.string_attrs["fabric_routing"] =
      spec.fabric.routing == RoutingKind::kIdeal
          ? std::string("ideal")
          : std::string(kind_name(spec.fabric.routing)) + ", " + std::to_string(spec.fabric.connections_per_nic) +
                (spec.fabric.connections_per_nic == 1 ? " connection" : " connections") + " per NIC pair" +
                (spec.fabric.pxn ? "" : ", PXN off (all-to-all crosses rails)");
  r.string_attrs["description"] = spec.description;
  r.string_attrs["source_path"] = experiment.source_path;
  r.string_attrs["config_yaml"] = experiment.resolved_yaml;
  r.string_attrs["config_source"] = experiment.source_yaml;
  r.string_attrs["created_utc"] = utc_now();
  char host[256] = {0};
  gethostname(host, sizeof host - 1);
  r.string_attrs["hostname"] = host;
  r.numeric_attrs["seed"] = static_cast<double>(spec.seed);
}

void append_job_rows(const std::vector<const TrainingJobRuntime*>& jobs, const ClusterPowerModel& power, double end_s,
                     bool scheduled, RunRecord& record) {
  for (const TrainingJobRuntime* j : jobs) {
    record.training_tokens += j->stats.steps_done * j->estimate.tokens_per_step;
    record.jobs.push_back(job_row(*j, power, end_s, scheduled));
    for (const JobSegment& g : j->schedule.segments)
      record.segments.push_back({j->spec.name, g.start_s, g.end_s, g.steps, g.step_time_s, g.dp_allreduce_s,
                                 g.looked_up ? 1 : 0, g.neighbours});
  }
}

void append_fabric_rows(const FabricInventory& inventory, const NetworkPower& network_power, RunRecord& record) {
  for (const auto& t : inventory.switch_tiers)
    record.switch_tiers.push_back({t.name, t.switches, t.ports_used, network_power.switch_tier_w(t.name)});
  for (const auto& t : inventory.link_tiers)
    record.link_tiers.push_back({t.name, t.cables, t.link_bps, t.transceiver_ends, network_power.link_tier_w(t.name)});
}

void append_power_samples(const TimeSeries& ts, RunRecord& record) {
  for (size_t i = 0; i < ts.power.size(); ++i) {
    const PowerBreakdown& p = ts.power[i];
    const FacilityBreakdown& f = p.facility;
    record.power_samples.push_back({ts.time_s.at(i), p.it_w, p.facility_w, p.gpu_w, p.server_w, p.network_w,
                                    ts.activity_fraction.at(i), p.it_w > 0 ? p.facility_w / p.it_w : kMissing,
                                    f.cooling_w, f.electrical_loss_w, f.dry_bulb_c, f.wet_bulb_c, f.carbon_g_per_s,
                                    f.water_l_per_s});
  }
}

void append_pool_rows(const ResultsInputs& in, RunRecord& record) {
  const ExperimentSpec& spec = in.experiment.spec;
  const std::vector<PoolSpec> pools = site_pools(spec.cluster);
  const double T = in.end_s;
  std::vector<double> integrals = in.tracker.pool_integrals(T);
  integrals.resize(pools.size(), 0);
  std::vector<double> placed_training_gpus(pools.size(), 0);
  for (size_t k = 0; k < pools.size(); ++k) {
    const PoolSpec& p = pools[k];
    PoolRow r;
    r.name = p.name;
    r.gpu = p.gpu;
    r.server = p.server;
    r.servers = p.servers;
    r.first_server = p.first_server;
    r.gpus = 1LL * p.servers * spec.cluster.gpus_per_server;
    for (const InferenceServiceRuntime* s : in.services)  // the mean over the run (autoscaled: its plan)
      if (s->pool == static_cast<int>(k))
        r.serving_gpus += s->spec.gpus() * (s->plan.time_s.empty() ? static_cast<double>(s->spec.replicas)
                                                                   : s->plan.mean_allocated(s->spec.start_s, T));
    for (const TrainingJobRuntime* j : in.jobs)
      if (j->pool == static_cast<int>(k)) {
        r.training_gpu_hours += j->spec.gpus * j->schedule.held_s / 3600.0;
        placed_training_gpus[k] += j->spec.gpus;
      }
    r.gpu_activity = r.gpus > 0 && T > 0 ? integrals[k] / (static_cast<double>(r.gpus) * T) : kMissing;
    r.it_power_mean_w = T > 0 ? in.power.pool_it_power_w(static_cast<int>(k), integrals[k] / T) : kMissing;
    r.it_energy_j = r.it_power_mean_w * T;
    record.pools.push_back(r);
  }
  const TimeSeries& ts = in.timeseries;
  const double interval_s = spec.output.sample_interval_s;
  for (size_t i = 0; i < ts.time_s.size() && i < ts.pool_activity.size(); ++i) {
    const double t0 = ts.time_s[i], dt = std::min(t0 + interval_s, T) - t0;
    for (size_t k = 0; k < pools.size(); ++k) {
      const double a = k < ts.pool_activity[i].size() && dt > 0 ? ts.pool_activity[i][k] / dt : 0;
      PoolSampleRow r;
      r.time_s = t0;
      r.pool = pools[k].name;
      r.it_power_w = in.power.pool_it_power_w(static_cast<int>(k), a);
      const double gpus = 1.0 * pools[k].servers * spec.cluster.gpus_per_server;
      r.gpu_activity = gpus > 0 ? a / gpus : kMissing;
      if (k < in.pool_schedule_samples.size() && i < in.pool_schedule_samples[k].size()) {
        const ScheduleSampleRow& x = in.pool_schedule_samples[k][i];
        r.training_gpus = x.allocated_gpus;
        r.queued_jobs = x.queued_jobs;
        r.training_tokens_per_s = x.training_tokens_per_s;
      } else {
        r.training_gpus = placed_training_gpus[k];
      }
      for (const InferenceServiceRuntime* s : in.services)
        if (s->pool == static_cast<int>(k))
          r.serving_gpus += s->spec.gpus() * (s->plan.time_s.empty() ? static_cast<double>(s->spec.replicas)
                                                                     : s->plan.mean_allocated(t0, t0 + dt));
      record.pool_samples.push_back(r);
    }
  }
}

namespace {

/// The facility figures: design and provisioned power always; for a varying model (facility.model: cooling) the
/// run's facility energy and PUE from the sampled intervals, its peak the IT peak in the worst sampled interval,
/// cooling, losses, carbon and water, and the jobs' and services' facility energy at the run's PUE.
void facility_summary(const ExperimentSpec& spec, const ClusterPowerModel& power, double T, RunRecord& record) {
  RunSummary& s = record.summary;
  s.design_it_power_w = design_it_power_w(spec.facility, power.full_load_it_w());
  s.facility_power_provisioned_w = power.facility().design_power_w(s.design_it_power_w);
  const auto& ps = record.power_samples;
  if (!power.facility().varies() || ps.empty()) return;
  double it = 0, facility = 0, cooling = 0, loss = 0, carbon = 0, water = 0, peak = 0;
  for (size_t i = 0; i < ps.size(); ++i) {
    const double dt = (i + 1 < ps.size() ? ps[i + 1].time_s : T) - ps[i].time_s;
    it += ps[i].it_power_w * dt;
    facility += ps[i].facility_power_w * dt;
    cooling += ps[i].cooling_power_w * dt;
    loss += ps[i].electrical_loss_power_w * dt;
    carbon += ps[i].carbon_rate_g_per_s * dt;
    water += ps[i].water_rate_l_per_s * dt;
    // The IT peak (an instant) in this interval's conditions: an upper bound, as the IT peak x PUE of a constant
    // PUE; the IT peak and the worst hour need not coincide.
    peak = std::max({peak, ps[i].facility_power_w,
                     power.facility().mean_facility_power_w(s.it_power_peak_w, ps[i].time_s, ps[i].time_s + dt)});
  }
  s.facility_energy_j = facility;
  s.facility_power_mean_w = T > 0 ? facility / T : kMissing;
  s.facility_power_peak_w = peak;
  s.pue = it > 0 ? facility / it : kMissing;
  s.cooling_energy_j = cooling;
  s.electrical_loss_energy_j = loss;
  s.carbon_kg = carbon / 1000;
  s.water_l = water;
  s.wue_l_per_kwh = it > 0 ? water / (it / 3.6e6) : kMissing;
  const double tokens = record.training_tokens + record.generated_tokens;
  s.energy_per_token_j = tokens > 0 ? facility / tokens : kMissing;
  // Jobs and services: their IT energy at the run's PUE (the model charged the design-load PUE of [0, t1), t1 =
  // held time or run end; dividing by it gives back their IT energy exactly).
  const bool scheduled = spec.scheduler.policy != SchedulerKind::kNone;
  auto recharge = [&](double& energy_j, double& per_token_j, double t1) {
    const double charged = power.facility().pue(0, t1);
    if (std::isnan(energy_j) || !(charged > 0) || std::isnan(s.pue)) return;
    const double factor = s.pue / charged;
    energy_j *= factor;
    if (!std::isnan(per_token_j)) per_token_j *= factor;
  };
  for (JobRow& j : record.jobs) recharge(j.energy_j, j.energy_per_token_j, scheduled ? j.held_s : T);
  for (ServiceRow& v : record.services) recharge(v.energy_j, v.energy_per_output_token_j, T);
}

}  // namespace

void finish_summary(const ExperimentSpec& spec, const FabricInventory& inventory, const NetworkPower& network_power,
                    const ClusterPowerModel& power, PowerTracker& tracker, double T, RunRecord& record) {
  const double integral = tracker.integral(T);
  const std::vector<double> pool_integrals = tracker.pool_integrals(T);
  const bool pools = pool_integrals.size() > 1;
  const PowerBreakdown mean = pools ? power.mean_over(pool_integrals, 0, T) : power.mean_over(integral, 0, T);
  // The tracker keeps the highest power (weighted activity), not when it happened: the facility model is asked at
  // the end.
  const PowerBreakdown peak =
      pools ? power.at(tracker.peak_activity_by_pool(), T) : power.at(tracker.peak_activity_sum(), T);
  const double tokens = record.training_tokens + record.generated_tokens;
  RunSummary& s = record.summary;
  s.duration_s = T;
  s.servers = static_cast<double>(spec.cluster.servers);
  s.gpus = static_cast<double>(spec.cluster.servers * spec.cluster.gpus_per_server);
  s.it_power_mean_w = mean.it_w;
  s.it_power_peak_w = peak.it_w;
  s.facility_power_mean_w = mean.facility_w;
  s.facility_power_peak_w = peak.facility_w;
  s.gpu_power_mean_w = mean.gpu_w;
  s.node_power_mean_w = s.servers > 0 ? (mean.gpu_w + mean.server_w) / s.servers : kMissing;
  s.node_power_peak_w = s.servers > 0 ? (peak.gpu_w + peak.server_w) / s.servers : kMissing;
  s.network_power_w = network_power.total_w();
  s.it_energy_j = mean.it_w * T;
  s.facility_energy_j = mean.facility_w * T;
  s.pue = power.facility().pue(0, T);
  s.training_tokens_per_s = record.training_tokens / T;
  s.inference_output_tokens_per_s = record.generated_tokens / T;
  s.energy_per_token_j = tokens > 0 ? mean.facility_w * T / tokens : kMissing;
  s.bisection_bandwidth_bps = inventory.bisection_bandwidth_bps;
  s.nic_bandwidth_bps = nic_effective_bps(spec.fabric.link_bps, spec.cluster.nic_host_bandwidth_bps);
  // Through time: the jobs' waits and the GPU time they held.
  std::vector<double> waits;
  double held_gpu_s = 0;
  s.jobs_submitted = static_cast<double>(record.jobs.size());
  s.jobs_completed = 0;
  for (const JobRow& j : record.jobs) {
    if (!std::isnan(j.wait_s)) waits.push_back(j.wait_s);
    if (j.state == "done") s.jobs_completed += 1;
    held_gpu_s += static_cast<double>(j.gpus) * j.held_s;
  }
  s.jobs_started = static_cast<double>(waits.size());
  if (!waits.empty()) {
    const std::vector<double> q = select_quantiles(waits, {0.5, 0.99});
    s.job_wait_p50_s = q[0];
    s.job_wait_p99_s = q[1];
  }
  s.training_gpu_allocation = s.gpus > 0 && T > 0 ? held_gpu_s / (s.gpus * T) : kMissing;
  facility_summary(spec, power, T, record);
  if (spec.facility.power_budget_w > 0) {
    s.facility_power_budget_w = spec.facility.power_budget_w;
    s.power_budget_exceeded_s = 0;
    const auto& ps = record.power_samples;
    for (size_t i = 0; i < ps.size(); ++i)
      if (ps[i].facility_power_w > spec.facility.power_budget_w)
        s.power_budget_exceeded_s += (i + 1 < ps.size() ? ps[i + 1].time_s : T) - ps[i].time_s;
  }
}

void cost_summary(const LoadedExperiment& experiment, const FabricInventory& inventory,
                  const FabricComponents* components, RunRecord& record) {
  const ExperimentSpec& spec = experiment.spec;
  const CalibrationSpec& c = experiment.catalog.calibration;
  RunSummary& s = record.summary;
  TcoParams p;
  for (const PoolSpec& pool : site_pools(spec.cluster)) {
    const auto server = experiment.catalog.servers.find(pool.server);
    p.servers.push_back({static_cast<double>(pool.servers),
                         server == experiment.catalog.servers.end() ? 0.0 : server->second.price_usd});
  }
  p.network_share = c.cost_network_share;
  if (components != nullptr) p.network_parts_usd = network_parts_usd(inventory, *components);
  p.facility_usd_per_w = c.cost_facility_usd_per_w;
  p.design_it_power_w = s.design_it_power_w;
  p.facility_life_years = c.cost_facility_life_years;
  p.server_life_years = c.cost_server_life_years;
  p.electricity_usd_per_kwh =
      electricity_usd_per_kwh(spec.facility, experiment.facility_data, c.cost_electricity_usd_per_kwh);
  p.facility_power_mean_w = s.facility_power_mean_w;
  p.tokens_per_s = s.training_tokens_per_s + s.inference_output_tokens_per_s;
  const TcoResult r = total_cost_of_ownership(p);
  s.capital_servers_usd = r.servers_usd;
  s.capital_network_usd = r.network_usd;
  s.capital_facility_usd = r.facility_usd;
  s.tco_usd_per_hour = r.tco_usd_per_hour;
  s.cost_per_million_tokens_usd = r.usd_per_million_tokens;
}

void append_power_trace(const PowerTrace& trace, RunRecord& record) {
  if (trace.it_w.empty()) return;
  for (size_t i = 0; i < trace.it_w.size(); ++i)
    record.power_trace.push_back({trace.start_s + static_cast<double>(i) * trace.resolution_s, trace.it_w[i],
                                  trace.facility_w[i], trace.grid_w[i]});
  RunSummary& s = record.summary;
  s.trace_power_peak_w = trace.site.peak_w;
  s.trace_power_min_w = trace.site.min_w;
  s.trace_ramp_max_w_per_s = trace.site.max_ramp_w_per_s;
  s.trace_swing_w = trace.site.swing_w;
  s.trace_swing_frequency_hz = trace.site.main_frequency_hz;
  s.grid_power_peak_w = trace.grid.peak_w;
  s.grid_swing_w = trace.grid.swing_w;
  s.grid_ramp_max_w_per_s = trace.grid.max_ramp_w_per_s;
  s.storage_loss_energy_j = trace.storage_loss_j;
}

RunResults build_results(const ResultsInputs& in) {
  RunResults r;
  add_provenance(in.experiment, r);
  RunRecord& record = r.record.emplace();
  append_job_rows(in.jobs, in.power, in.end_s, in.experiment.spec.scheduler.policy != SchedulerKind::kNone, record);
  record.schedule_samples = in.schedule_samples;
  record.failures = in.failures;
  if (in.experiment.spec.failures.active()) {  // before finish_summary, which reads the record's jobs
    RunSummary& s = record.summary;
    s.failures = static_cast<double>(record.failures.size());
    double interruptions = 0, productive = 0, wall = 0;
    for (const JobRow& j : record.jobs) {
      interruptions += static_cast<double>(j.interruptions);
      if (std::isnan(j.ettr) || std::isnan(j.productive_s)) continue;
      productive += j.gpus * j.productive_s;
      wall += j.gpus * j.productive_s / j.ettr;
    }
    s.interruptions = interruptions;
    s.training_ettr = wall > 0 ? productive / wall : kMissing;
  }
  append_service_rows(in.services, in.tracker, in.power, in.end_s, record);
  append_fabric_rows(in.fabric.inventory, in.network_power, record);
  append_power_samples(in.timeseries, record);
  append_pool_rows(in, record);
  finish_summary(in.experiment.spec, in.fabric.inventory, in.network_power, in.power, in.tracker, in.end_s, record);
  cost_summary(in.experiment, in.fabric.inventory, in.components, record);
  apply_uncertainty_bands(in, record);
  append_power_trace(build_power_trace(in.tracker, in.power, in.experiment.spec, in.end_s), record);
  XBT_VERB("results: %zu job rows, %zu service rows, %zu power samples", record.jobs.size(), record.services.size(),
           record.power_samples.size());
  return r;
}

}  // namespace clustersim
